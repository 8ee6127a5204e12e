package dev.miu.core;

/** Something the user must set or fix before miu can work: a missing API key, an unknown provider, a bad config value. */
public class ConfigurationException extends MiuException {
    public ConfigurationException(String message) {
        super(message);
    }
}
