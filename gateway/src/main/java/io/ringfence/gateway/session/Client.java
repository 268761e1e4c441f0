package io.ringfence.gateway.session;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.Role;

import java.nio.charset.StandardCharsets;

/**
 * A configured client as the session layer needs it: its id (text and NUL-padded wire bytes),
 * the key the engine knows it by, its secret and its roles as a bit mask.
 */
public final class Client {
    private final int index;
    private final String id;
    private final byte[] wireId;
    private final long key;
    private final byte[] secret;
    private final int roles;

    Client(final int index, final String id, final byte[] secret, final int roles) {
        this.index = index;
        this.id = id;
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        this.wireId = new byte[Ids.MAX_ID_BYTES];
        System.arraycopy(idBytes, 0, wireId, 0, idBytes.length);
        this.key = Ids.hash(idBytes, 0, idBytes.length);
        this.secret = secret;
        this.roles = roles;
    }

    /** Position in the configured list: dense, for per-client arrays. */
    public int index() {
        return index;
    }

    public String id() {
        return id;
    }

    /** {@code Ids.hash} of the id: what handlers and {@code ClientSequences} key clients by. */
    public long key() {
        return key;
    }

    /** The id as the 36-byte NUL-padded SBE {@code Id} field. */
    byte[] wireId() {
        return wireId;
    }

    byte[] secret() {
        return secret;
    }

    /** Role bit mask, see {@link Permissions}. */
    public int roles() {
        return roles;
    }

    /** The single role LogonAck reports: ADMIN if held, else SUBMIT if held, else SUBSCRIBE. */
    public Role primaryRole() {
        if ((roles & Permissions.ADMIN) != 0) {
            return Role.ADMIN;
        }
        return (roles & Permissions.SUBMIT) != 0 ? Role.SUBMIT : Role.SUBSCRIBE;
    }

    @Override
    public String toString() {
        return "Client{" + id + '}';
    }
}
