package io.ringfence.gateway.session;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients allowed to log on, and the check of a client id and secret. Secrets are compared
 * in constant time ({@link MessageDigest#isEqual}); an unknown id is compared against a dummy
 * secret so the time taken does not reveal which ids exist.
 */
public final class ClientRegistry {
    private static final byte[] DUMMY_SECRET = new byte[32];

    private final List<Client> clients;
    private final Map<String, Client> byId = new HashMap<>();

    private ClientRegistry(final List<Client> clients) {
        this.clients = Collections.unmodifiableList(clients);
        for (final Client client : clients) {
            byId.put(client.id(), client);
        }
    }

    /** Clients from validated configuration entries. */
    public static ClientRegistry of(final List<ClientConfig> configs) {
        final List<Client> clients = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            final ClientConfig config = configs.get(i);
            int roles = 0;
            for (int r = 0; r < config.roles.size(); r++) {
                roles |= Permissions.bit(ClientConfig.role(GatewayConfig.PATH + ".clients[" + i + "].roles[" + r + "]",
                    config.roles.get(r)));
            }
            clients.add(new Client(i, config.id, config.secret.getBytes(StandardCharsets.UTF_8), roles));
        }
        return new ClientRegistry(clients);
    }

    /**
     * The configured clients or, when none are configured, the generated clients of
     * {@link CredentialsFile} in {@code dataDir} ({@code local} and the subscribe-only
     * {@code local-watch}; the file is created on first use, the watch client added to an older one).
     *
     * @param dataDir where to keep generated credentials; {@code null} requires configured clients
     */
    public static ClientRegistry from(final GatewayConfig config, final Path dataDir) {
        if (!config.clients.isEmpty()) {
            return of(config.clients);
        }
        if (dataDir == null) {
            throw new ConfigException(GatewayConfig.PATH + ".clients", "[]",
                "is empty and no data directory was given to generate a local client into");
        }
        return of(CredentialsFile.loadOrCreateAll(dataDir));
    }

    public int size() {
        return clients.size();
    }

    public List<Client> clients() {
        return clients;
    }

    /** The client with this id, or {@code null}. */
    public Client find(final String id) {
        return byId.get(id);
    }

    /**
     * @return the client when {@code id} is configured and {@code secret} matches, else {@code null}
     */
    public Client authenticate(final String id, final byte[] secret) {
        final Client client = byId.get(id);
        if (client == null) {
            MessageDigest.isEqual(DUMMY_SECRET, secret);
            return null;
        }
        return MessageDigest.isEqual(client.secret(), secret) ? client : null;
    }
}
