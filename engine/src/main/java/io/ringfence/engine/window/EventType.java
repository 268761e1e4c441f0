package io.ringfence.engine.window;

/** The inbound event types a window can be fed by, with their configuration names. */
public enum EventType {
    ORDER("order"),
    PAYMENT("payment"),
    ACTIVITY("activity");

    private final String configName;

    EventType(final String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    int bit() {
        return 1 << ordinal();
    }

    static EventType fromConfig(final String text) {
        for (final EventType t : values()) {
            if (t.configName.equals(text)) {
                return t;
            }
        }
        return null;
    }
}
