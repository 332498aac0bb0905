# Build and run the aggregator in a container (used by docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml application.properties ./
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/order-aggregator.jar /app/order-aggregator.jar
COPY application.properties /app/application.properties
COPY routes /app/routes
# The options the benchmark measures with, and the README's run command's: C2 alone with one compiler thread was the
# cheapest per order once warm and the smallest in RSS on 2 cores (history.md, "JIT settings"); for instances that
# live minutes, -XX:TieredStopAtLevel=1 warms within seconds at about a quarter more CPU per order. Override JAVA_OPTS as needed.
# (The benchmark also starts from a class-data archive written by a training start; see the README.)
ENV MALLOC_ARENA_MAX=2
ENV JAVA_OPTS="-Xmx128m -XX:+UseSerialGC -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000"
EXPOSE 8000
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/order-aggregator.jar"]
