package io.ringfence.gateway.server;

import io.ringfence.gateway.session.Session;

/**
 * The open sessions as a dense array the I/O thread walks every loop (the slot table is sparse).
 * Removal swaps the last entry in, so walking from the end down stays correct while closing.
 */
final class ActiveSessions {
    private final Session[] sessions;
    private int size;

    ActiveSessions(final int capacity) {
        this.sessions = new Session[capacity];
    }

    int size() {
        return size;
    }

    Session get(final int index) {
        return sessions[index];
    }

    void add(final Session session) {
        sessions[size++] = session;
    }

    void remove(final Session session) {
        for (int i = 0; i < size; i++) {
            if (sessions[i] == session) {
                sessions[i] = sessions[--size];
                sessions[size] = null;
                return;
            }
        }
    }
}
