package io.ringfence.gateway;

import org.agrona.DirectBuffer;

/**
 * Receives {@code Subscribe} and {@code Unsubscribe} messages of logged-on sessions holding the
 * SUBSCRIBE (or ADMIN) role, and learns when a session ends so its subscriptions can be dropped.
 *
 * <p>Same contract as {@link InboundHandler}: called on the gateway I/O thread, must not block,
 * the bytes (the whole SBE message, header included) are valid only during the call, and
 * {@code false} means back-pressure: the gateway stops reading and presents the same message
 * again later.
 */
public interface SubscriptionHandler {
    /** A handler that accepts and ignores subscriptions (no push routing wired yet). */
    SubscriptionHandler IGNORE = new SubscriptionHandler() {
        @Override
        public boolean onSubscribe(final long sessionId, final long clientKey, final long clientSeq,
                                   final DirectBuffer buffer, final int offset, final int length) {
            return true;
        }

        @Override
        public boolean onUnsubscribe(final long sessionId, final long clientKey, final long clientSeq,
                                     final DirectBuffer buffer, final int offset, final int length) {
            return true;
        }
    };

    /** A {@code Subscribe} (template 12). */
    boolean onSubscribe(long sessionId, long clientKey, long clientSeq, DirectBuffer buffer, int offset, int length);

    /** An {@code Unsubscribe} (template 13). */
    boolean onUnsubscribe(long sessionId, long clientKey, long clientSeq, DirectBuffer buffer, int offset, int length);

    /**
     * A logged-on session has ended, for any reason; its subscriptions are void. Called on the
     * I/O thread after the socket is closed; later {@link SessionOutbound#offer}s to it return false.
     */
    default void onSessionClosed(final long sessionId) {
    }
}
