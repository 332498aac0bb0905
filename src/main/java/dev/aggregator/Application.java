package dev.aggregator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import javax.net.ssl.SSLContext;

import dev.aggregator.config.SettingsCheck;
import dev.aggregator.config.SettingsException;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/** Starts the aggregator with Camel Main; everything else is configured in dev.aggregator.config. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        footprintDefaults();
        // The JDK's TLS set-up (security providers, the default trust store) beside start-up: the vendor
        // HTTP client's connection manager otherwise did it on the main thread, 0.2 s in a start-up profile.
        Thread tls = new Thread(Application::prepareTls, "tls-warm-up");
        tls.setDaemon(true);
        tls.start();
        // No main class, so no base-package scan: application.properties lists the configuration and the
        // route builders (camel.main.configuration-classes, camel.main.routes-builder-classes).
        Main main = new Main();
        // The contract: application.properties in the working directory wins over the jar's own copy.
        main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("application.properties"))
                ? "file:application.properties" : "classpath:application.properties");
        main.addMainListener(new SettingsCheck());
        try {
            System.exit(main.run(args));
        } catch (Exception e) {
            SettingsException bad = settingsProblem(e);
            if (bad == null) {
                throw e;
            }
            // A bad setting is the user's to fix: one line naming it, no stack trace.
            LoggerFactory.getLogger(Application.class).error("Refusing to start: {}", bad.getMessage());
            System.exit(2);
        }
    }

    /**
     * Netty's pooled allocator (under Vert.x: the HTTP server and the vendor client's event loops) takes its
     * direct memory in chunks of 4 MB, one arena per event loop: 16 MB in native memory tracking's "Other", for
     * buffers of a request or an answer (at most a page of products, ~20 KB). Chunks of 1 MB (maxOrder 7) cut
     * "Other" from 22 to 6.7 MB, at the same throughput. Set before any Netty class loads; -D on the command line wins.
     */
    static void footprintDefaults() {
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", "7");
        }
    }

    private static void prepareTls() {
        try {
            SSLContext.getInstance("TLS").init(null, null, null);
        } catch (GeneralSecurityException e) {
            // The HTTP client's own set-up meets the same problem and reports it.
        }
    }

    private static SettingsException settingsProblem(Throwable e) {
        return org.apache.camel.util.ObjectHelper.getException(SettingsException.class, e);
    }
}
