package dev.aggregator.config;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Checks the contract's settings before Camel binds any of them (camel.server.port = {{PORT}} would
 * otherwise fail first, with a type-conversion stack trace instead of a line naming PORT).
 */
public class SettingsCheck extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        SettingsLoader.load(main.getCamelContext());
    }
}
