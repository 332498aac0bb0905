package dev.aggregator.config;

/** A setting that cannot be used; the message names the setting and says what is wrong, on one line. */
public class SettingsException extends RuntimeException {
    public SettingsException(String setting, String problem) {
        super(setting + ": " + problem);
    }
}
