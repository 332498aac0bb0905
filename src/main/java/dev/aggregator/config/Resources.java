package dev.aggregator.config;

import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes the pools this service opened (database, broker) after Camel has stopped its routes. */
public class Resources extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    public <T extends AutoCloseable> T track(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    protected void doStop() {
        while (!open.isEmpty()) {
            AutoCloseable r = open.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", r.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
