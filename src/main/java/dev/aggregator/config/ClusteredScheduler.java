package dev.aggregator.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz with its clustered JDBC job store on our PostgreSQL: every instance runs a scheduler over the
 * same tables, and each trigger fires on exactly one of them. That makes vendor polling happen once per
 * period across the cluster, and when the polling instance dies another one fires the next trigger
 * (its in-flight poll is recovered after clusterCheckinInterval).
 */
public final class ClusteredScheduler {

    private ClusteredScheduler() {
    }

    public static void configure(CamelContext context, DataSource dataSource) {
        // Quartz looks data sources up by name in a JVM-wide registry; the name is per Camel context so
        // two contexts in one JVM (tests) never share one.
        String name = "aggregator-" + Integer.toHexString(System.identityHashCode(context));
        DBConnectionManager.getInstance().addConnectionProvider(name, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the application, which closes it
            }

            @Override
            public void initialize() {
                // nothing to set up: the pool exists already
            }
        });
        // Quartz's own settings are the org.quartz.* keys of application.properties (env on top); only the
        // data source, which is ours, is named here.
        Properties p = new Properties();
        PropertiesComponent pc = context.getPropertiesComponent();
        for (String key : pc.loadProperties(k -> k.startsWith("org.quartz.")).stringPropertyNames()) {
            pc.resolveProperty(key).ifPresent(v -> p.setProperty(key, v));
        }
        if (p.getProperty("org.quartz.jobStore.class") == null) {
            throw new IllegalStateException("application.properties has no org.quartz.* settings");
        }
        p.setProperty("org.quartz.jobStore.dataSource", name);
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(p);
        quartz.setEnableJmx(false);
        // Started by PollTriggers once the schema exists: a clustered scheduler checks in to its tables at
        // once, and they are not there before the migration (or while PostgreSQL is down).
        quartz.setAutoStartScheduler(false);
    }
}
