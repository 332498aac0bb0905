package dev.aggregator.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Checks the contract's settings before Camel binds any of them (camel.server.port = {{PORT}} would
 * otherwise fail first, with a type-conversion stack trace instead of a line naming PORT), and that PORT
 * is free: Camel's Vert.x server only logs a failed bind and the service then runs on without its HTTP
 * API, consuming queues but answering nobody (seen with a second instance started on the same port).
 */
public class SettingsCheck extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Settings settings = SettingsLoader.load(main.getCamelContext());
        requireFreePort(settings.port());
    }

    /** Binds PORT on all interfaces (as the HTTP server will) and lets it go again. */
    static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Vert.x does: a port in TIME_WAIT is free to use
            probe.bind(new InetSocketAddress("0.0.0.0", port));
        } catch (BindException e) {
            throw new SettingsException("PORT", port + " is already in use by another process");
        } catch (IOException e) {
            throw new SettingsException("PORT", "cannot listen on " + port + ": " + e.getMessage());
        }
    }
}
