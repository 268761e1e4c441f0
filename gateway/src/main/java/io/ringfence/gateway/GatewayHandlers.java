package io.ringfence.gateway;

import java.util.Objects;

/**
 * The application side of the gateway: where inbound messages go, and what the engine tells
 * logons. Built once and handed to {@code GatewayServer.start}.
 *
 * @param inbound       business messages
 * @param subscriptions Subscribe / Unsubscribe and session end
 * @param sequences     per-client journal positions for LogonAck
 * @param sessions      lifecycle observer
 */
public record GatewayHandlers(InboundHandler inbound, SubscriptionHandler subscriptions,
                              ClientSequences sequences, SessionListener sessions) {
    public GatewayHandlers {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(subscriptions, "subscriptions");
        Objects.requireNonNull(sequences, "sequences");
        Objects.requireNonNull(sessions, "sessions");
    }

    /** Business messages to {@code inbound}; subscriptions ignored; nothing journaled; no listener. */
    public static GatewayHandlers of(final InboundHandler inbound) {
        return new GatewayHandlers(inbound, SubscriptionHandler.IGNORE, ClientSequences.NONE, SessionListener.NONE);
    }
}
