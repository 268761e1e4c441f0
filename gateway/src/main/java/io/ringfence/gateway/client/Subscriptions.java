package io.ringfence.gateway.client;

import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.Topic;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subscriptions the application holds, and the Subscribe / Unsubscribe messages still to be
 * written. A server forgets a session's subscriptions when the session ends, so after every logon
 * the pending work is replaced by one Subscribe per active subscription. Application threads add
 * and remove; the I/O thread drains. Guarded by this object's lock (subscribing is rare).
 */
final class Subscriptions {
    /** One active subscription. */
    record Entry(long subscriptionId, Topic topic, FilterKind filterKind, String filter) {
    }

    /** An Unsubscribe still to be written. */
    private record Removal(long subscriptionId) {
    }

    private final Map<Long, Entry> active = new LinkedHashMap<>();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private volatile boolean hasPending;

    synchronized void add(final Entry entry) {
        active.put(entry.subscriptionId(), entry);
        pending.add(entry);
        hasPending = true;
    }

    synchronized boolean remove(final long subscriptionId) {
        if (active.remove(subscriptionId) == null) {
            return false;
        }
        pending.add(new Removal(subscriptionId));
        hasPending = true;
        return true;
    }

    synchronized int size() {
        return active.size();
    }

    /** A new session: everything active is to be subscribed again, nothing else. */
    synchronized void onLogon() {
        pending.clear();
        pending.addAll(active.values());
        hasPending = !pending.isEmpty();
    }

    /** Cheap check for the I/O loop. */
    boolean hasPending() {
        return hasPending;
    }

    /** Encodes pending messages while the control buffer has room. I/O thread. */
    synchronized void drainTo(final ControlPublisher control) {
        while (!pending.isEmpty()) {
            final Object next = pending.peek();
            if (next instanceof Entry entry) {
                if (control.room() < ControlPublisher.SUBSCRIBE_FRAME) {
                    break;
                }
                control.subscribe(entry.subscriptionId(), entry.topic(), entry.filterKind(), entry.filter());
            } else {
                if (control.room() < ControlPublisher.UNSUBSCRIBE_FRAME) {
                    break;
                }
                control.unsubscribe(((Removal) next).subscriptionId());
            }
            pending.poll();
        }
        hasPending = !pending.isEmpty();
    }
}
