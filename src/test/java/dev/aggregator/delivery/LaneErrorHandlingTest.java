package dev.aggregator.delivery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aggregator.config.VendorConfig;
import dev.aggregator.support.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor lane's error handling without a broker, a database or a vendor: the lane's real routes and
 * DeliveryErrors, advised on their node ids (the consumer replaced by direct:, the vendor's PUT by a
 * scripted answer, the confirm and the dead-letter route by mocks).
 */
class LaneErrorHandlingTest extends CamelTestSupport {

    private static final LaneDefaults DEFAULTS = new LaneDefaults(1000, 8, 1000, 500, 4, 60_000, 20, 10, 1000, 50, 60_000, 0, 2000, 60_000, 300_000);

    private final Lane lane = new Lane(new VendorConfig("v", "http://v.example/products"), DEFAULTS);
    private static final String MESSAGE = "{\"orderId\":\"0b0c0d0e-0000-0000-0000-000000000001\",\"vendor\":\"v\"}";

    private final Deque<Exception> script = new ArrayDeque<>(); // what each PUT does: null = 200
    private final AtomicInteger puts = new AtomicInteger();
    private final java.util.List<Long> putTimes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        Properties p = new Properties();
        p.setProperty("aggregator.delivery.backoff-ms", "10");
        camel.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        // no vendor routes: no credentials to add, nothing to hide
        dev.aggregator.vendor.VendorRegistry vendors = new dev.aggregator.vendor.VendorRegistry(
                new org.apache.camel.impl.DefaultCamelContext(), java.util.List.of());
        Lanes lanes = new Lanes(DEFAULTS, vendors, null, null, new Metrics(null));
        lanes.add(lane);
        registry.bind("lanes", lanes);
        registry.bind("vendorRegistry", vendors);
        registry.bind("orderDelivery", new OrderDelivery(null, null, vendors, new com.fasterxml.jackson.databind.ObjectMapper(), new Metrics(null)));
        registry.bind(Lanes.WORKERS, Executors.newFixedThreadPool(2));
        // no database: every call finds its order still PENDING (OrderCallsIT covers the real statements)
        registry.bind("orderCalls", new OrderCalls(null, lanes) {
            @Override
            public void starting(Exchange exchange) {
            }

            @Override
            public void answered(Exchange exchange) {
            }
        });
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        // Made by the context's injector, as Camel Main makes it: its @BeanInject fields are filled.
        return new RoutesBuilder[] {context.getInjector().newInstance(DeliveryErrors.class), new LaneRoutes(lane), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:order-dead-letter").routeId("order-dead-letter").to("mock:dead-letter");
            }
        }};
    }

    private String status = "PENDING";

    private void startLane(Exception prepareFailure) throws Exception {
        AdviceWith.adviceWith(context, "delivery-lane-v", a -> {
            a.replaceFromWith("direct:lane");
            a.weaveById("lane-ack-v").remove();
            // the order as the database would answer it (the message's id is read by the real step)
            a.weaveById("read-order-v").replace().process(e -> {
                if (prepareFailure != null) {
                    throw prepareFailure;
                }
                e.setProperty(OrderDelivery.ORDER, new OrderToDeliver(e.getProperty(OrderDelivery.ORDER_ID, String.class),
                        "v", "1", 2, status, null, 0, System.nanoTime()));
            });
            // no vendor routes here to find the vendor's URL in
            a.weaveById("put-url-v").replace().setProperty(OrderDelivery.PUT_URL, a.constant("http://v.example/products/1"));
            a.weaveById("confirm-order-v").replace().to("mock:confirmed");
        });
        AdviceWith.adviceWith(context, "vendor-call-v", a -> a.weaveById("vendor-http-put-v").replace().process(e -> {
            puts.incrementAndGet();
            putTimes.add(System.nanoTime());
            // what the vendor would receive: the contract's PUT
            assertThat(e.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("PUT");
            assertThat(e.getMessage().getHeader("Idempotency-Key")).isEqualTo("0b0c0d0e-0000-0000-0000-000000000001");
            assertThat(e.getMessage().getHeader(Exchange.HTTP_URI)).isEqualTo("http://v.example/products/1");
            assertThat(e.getMessage().getBody(String.class))
                    .isEqualTo("{\"orderId\":\"0b0c0d0e-0000-0000-0000-000000000001\",\"productId\":\"1\",\"quantity\":2}");
            Exception next = script.poll();
            if (next != null) {
                throw next;
            }
        }));
        context.start();
    }

    private static HttpOperationFailedException status(int code) {
        return new HttpOperationFailedException("http://v.example/products/1", code, "S", null, null, "");
    }

    @Test
    void transientFailuresAreRetriedUntilTheVendorAccepts() throws Exception {
        script.add(status(503));
        script.add(status(429));
        startLane(null);
        MockEndpoint confirmed = getMockEndpoint("mock:confirmed");
        confirmed.expectedMessageCount(1);
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);
        template.sendBody("direct:lane", MESSAGE);
        MockEndpoint.assertIsSatisfied(context);
        assertThat(puts.get()).isEqualTo(3);
        assertThat(confirmed.getReceivedExchanges().get(0).getProperty(OrderDelivery.ATTEMPTS)).isEqualTo(3);
    }

    /**
     * Issue 24, item 5: a 429 with "Retry-After: 1" holds the order's own retry (backoff 10 ms here) and a
     * second order's first try until the second is over; each order spends one attempt per PUT.
     */
    @Test
    void aRetryAfterHoldsTheRetryAndEveryOtherCallOfTheLane() throws Exception {
        script.add(new HttpOperationFailedException("http://v.example/products/1", 429, "Too Many Requests", null,
                java.util.Map.of("Retry-After", "1"), ""));
        startLane(null);
        MockEndpoint confirmed = getMockEndpoint("mock:confirmed");
        confirmed.expectedMessageCount(2);
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);
        template.asyncSendBody("direct:lane", MESSAGE);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> puts.get() == 1);
        template.asyncSendBody("direct:lane", MESSAGE);
        MockEndpoint.assertIsSatisfied(context);
        assertThat(puts.get()).isEqualTo(3);
        assertThat(putTimes.subList(1, 3)).allSatisfy(t -> assertThat(t - putTimes.get(0)).isGreaterThanOrEqualTo(1_000_000_000L));
        assertThat(confirmed.getReceivedExchanges()).extracting(e -> e.getProperty(OrderDelivery.ATTEMPTS)).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aVendorThatKeepsFailingOneOrderIsAskedFourTimesThenTheOrderIsDeadLettered() throws Exception {
        for (int i = 0; i < 10; i++) {
            script.add(status(503));
        }
        startLane(null);
        MockEndpoint dead = getMockEndpoint("mock:dead-letter");
        dead.expectedMessageCount(1);
        getMockEndpoint("mock:confirmed").expectedMessageCount(0);
        template.sendBody("direct:lane", MESSAGE);
        MockEndpoint.assertIsSatisfied(context);
        assertThat(puts.get()).isEqualTo(4);
        assertThat(dead.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(HttpOperationFailedException.class);
        assertThat(dead.getReceivedExchanges().get(0).getMessage().getBody(String.class)).as("the original message").isEqualTo(MESSAGE);
    }

    @Test
    void aRedeliveredMessageForAFinishedOrderSendsNothing() throws Exception {
        status = "SYNCED";
        startLane(null);
        getMockEndpoint("mock:confirmed").expectedMessageCount(0);
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);
        template.sendBody("direct:lane", MESSAGE);
        MockEndpoint.assertIsSatisfied(context);
        assertThat(puts.get()).isZero();
    }

    @Test
    void aPermanentRefusalIsDeadLetteredAtOnce() throws Exception {
        script.add(status(404));
        startLane(null);
        getMockEndpoint("mock:dead-letter").expectedMessageCount(1);
        template.sendBody("direct:lane", MESSAGE);
        MockEndpoint.assertIsSatisfied(context);
        assertThat(puts.get()).isEqualTo(1);
    }

    @Test
    void ourDatabaseFailingIsNeverAVendorAttemptAndNeverDeadLettered() throws Exception {
        startLane(new DataAccessResourceFailureException("I/O error", new java.io.EOFException()));
        getMockEndpoint("mock:dead-letter").expectedMessageCount(0);
        Exchange done = template.send("direct:lane", e -> e.getMessage().setBody(MESSAGE));
        MockEndpoint.assertIsSatisfied(context);
        // Retried, then handed back unhandled: the lane nacks it and the broker delivers it again.
        assertThat(done.getException()).isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(puts.get()).isZero();
    }
}
