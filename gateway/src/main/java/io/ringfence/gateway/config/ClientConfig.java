package io.ringfence.gateway.config;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.Role;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One client allowed to log on: its id, its shared secret and the roles it holds.
 *
 * <pre>
 * clients:
 *   - id: shop-1
 *     secret: 3f9c...        # at least 16 bytes; never logged, never echoed in errors
 *     roles: [SUBMIT, SUBSCRIBE]
 * </pre>
 */
public final class ClientConfig {
    /** Secrets printed in the docs' examples, refused as a client's secret. */
    private static final java.util.Set<String> EXAMPLE_SECRETS =
        java.util.Set.of("change-me-32-bytes-of-randomness", "another-long-random-secret");

    /** The shortest secret accepted, in UTF-8 bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    public String id;
    public String secret;
    public List<String> roles = new ArrayList<>();

    public ClientConfig() {
    }

    public ClientConfig(final String id, final String secret, final List<String> roles) {
        this.id = id;
        this.secret = secret;
        this.roles = new ArrayList<>(roles);
    }

    /** Checks the entry; errors name the field and never quote the secret. */
    public void validate(final String path) {
        if (id == null || id.isEmpty()) {
            throw new ConfigException(path + ".id", id, "must be a non-empty client id");
        }
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        if (idBytes.length > Ids.MAX_ID_BYTES) {
            throw new ConfigException(path + ".id", id, "is longer than " + Ids.MAX_ID_BYTES + " UTF-8 bytes");
        }
        if (id.indexOf('\0') >= 0) {
            throw new ConfigException(path + ".id", id, "must not contain NUL");
        }
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigException(path + ".secret", null, "must be at least " + MIN_SECRET_BYTES + " bytes (value not shown)");
        }
        if (EXAMPLE_SECRETS.contains(secret)) {
            // security trial: the documented examples were accepted as they stand, and anyone who read the docs had them
            throw new ConfigException(path + ".secret", null, "is an example from the docs: generate one, e.g. `openssl rand -hex 32`"
                + " (value not shown)");
        }
        if (roles == null || roles.isEmpty()) {
            throw new ConfigException(path + ".roles", roles, "must name at least one of SUBMIT, SUBSCRIBE, ADMIN");
        }
        for (int i = 0; i < roles.size(); i++) {
            role(path + ".roles[" + i + "]", roles.get(i));
        }
    }

    /** The SBE role a configured name stands for. */
    public static Role role(final String field, final String name) {
        if (name != null) {
            switch (name.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "SUBMIT": return Role.SUBMIT;
                case "SUBSCRIBE": return Role.SUBSCRIBE;
                case "ADMIN": return Role.ADMIN;
                default: break;
            }
        }
        throw new ConfigException(field, name, "is not a role (use SUBMIT, SUBSCRIBE or ADMIN)");
    }
}
