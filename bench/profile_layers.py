"""Java CPU of a profile (async-profiler collapsed stacks, with threads) by layer, per request.

Each sample goes to the layer of the frame nearest its leaf that belongs to one (so JSON written from a Camel
route counts as JSON, not Camel); JIT compiler and GC threads are layers of their own; what matches none is
"other" (JDK and JVM internals). Usage: profile_layers.py FILE LABEL REQ_PER_S JAVA_CPU_MS_PER_REQUEST
"""
import re
import sys
from collections import Counter

LAYERS = [
    ("logging", r"ch/qos/logback|org/slf4j"),
    ("metrics", r"io/micrometer|dev/aggregator/support/Metrics"),
    ("tracing", r"io/opentelemetry|org/apache/camel/telemetry|org/apache/camel/opentelemetry"),
    ("JSON (Jackson)", r"com/fasterxml/jackson"),
    ("JDBC, pool, Spring JDBC", r"org/postgresql|com/zaxxer/hikari|org/springframework/jdbc|org/springframework/transaction"),
    ("publish and confirm (RabbitMQ client, Spring AMQP)", r"com/rabbitmq|org/springframework/amqp"),
    ("HTTP server (Vert.x, Netty)", r"io/vertx|io/netty"),
    ("Camel routing and REST binding", r"org/apache/camel"),
    ("our code", r"dev/aggregator"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in LAYERS]


def layer(frames):
    thread = frames[0]
    if "CompilerThre" in thread:
        return "JIT compiler"
    if "VM Thread" in thread or "GC Thread" in thread:
        return "GC and VM"
    for frame in reversed(frames[1:]):
        for name, pattern in COMPILED:
            if pattern.search(frame):
                return name
    return "other (JDK, JVM)"


# A Vert.x worker runs our requests, the in-process demo vendor's and the delivery's answers alike: those are told
# apart by a frame of their stack; every other thread by its name.
WORKER_ROLES = [
    ("demo vendor answering the PUTs (in the same JVM: not the service's cost)", r"dev/aggregator/demo/"),
    ("delivery (vendor answers handled on Vert.x workers)", r"vertx/http/VertxHttpProducer|dev/aggregator/delivery/"),
    ("HTTP request threads (Vert.x workers: the route, the reservation, the answer)", r""),
]
THREAD_ROLES = [
    ("HTTP event loop (Vert.x, Netty: parsing, writing)", r"vert\.x-eventloop"),
    ("outbox publisher (fast-path publish, confirm wait, outbox delete)", r"outbox-publisher"),
    ("RabbitMQ client I/O", r"AMQP Connection"),
    ("delivery (lane consumers, workers, throttle)", r"delivery-|amqp-dispatch|Throttle|delivery-lanes"),
    ("JIT compiler", r"CompilerThre"),
    ("GC and VM", r"VM Thread|GC Thread"),
]
WORKER_ROLES_COMPILED = [(name, re.compile(pattern)) for name, pattern in WORKER_ROLES]
THREAD_ROLES_COMPILED = [(name, re.compile(pattern)) for name, pattern in THREAD_ROLES]


def role(frames):
    thread = frames[0]
    if "vert.x-worker" in thread:
        stack = ";".join(frames[1:])
        return next(name for name, pattern in WORKER_ROLES_COMPILED if pattern.search(stack))
    for name, pattern in THREAD_ROLES_COMPILED:
        if pattern.search(thread):
            return name
    return "other threads (timers, pool, profiler attach)"


def main():
    path, label, rps, cpu_ms = sys.argv[1:5]
    counts = Counter()
    roles = Counter()
    for line in open(path):
        stack, n = line.rstrip("\n").rsplit(" ", 1)
        frames = stack.split(";")
        counts[layer(frames)] += int(n)
        roles[role(frames)] += int(n)
    total = sum(counts.values())
    print(f"# Where order intake's Java CPU goes ({label})")
    print()
    print(f"POST /order at 32 connections, 20 s: {rps} req/s, {cpu_ms} ms of Java CPU per accepted order (from /proc).")
    print(f"async-profiler, event=cpu every 1 ms, {total} samples; each sample counted once, in the layer of the frame")
    print("nearest its leaf that belongs to one. Flame graph: profile-intake-" + label + ".html.")
    print()
    print("| layer | samples | share | ms per order |")
    print("| --- | --- | --- | --- |")
    for name, n in counts.most_common():
        share = n / total
        print(f"| {name} | {n} | {share:.1%} | {share * float(cpu_ms):.3f} |")
    print()
    print("By thread:")
    print()
    print("| threads | samples | share | ms per order |")
    print("| --- | --- | --- | --- |")
    for name, n in roles.most_common():
        share = n / total
        print(f"| {name} | {n} | {share:.1%} | {share * float(cpu_ms):.3f} |")


if __name__ == "__main__":
    main()
