package io.ringfence.gateway.session;

import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.sbe.Role;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientRegistryTest {
    private final ClientRegistry registry = ClientRegistry.of(List.of(
        new ClientConfig("shop", "0123456789abcdef", List.of("SUBMIT", "subscribe")),
        new ClientConfig("ops", "fedcba9876543210", List.of("ADMIN"))));

    @Test
    void shouldAuthenticateOnlyTheExactSecret() {
        assertNotNull(registry.find("shop"));
        assertSame(registry.find("shop"), registry.authenticate("shop", bytes("0123456789abcdef")));
        assertNull(registry.authenticate("shop", bytes("0123456789abcdeF")));
        assertNull(registry.authenticate("shop", bytes("0123456789abcdef0")));
        assertNull(registry.authenticate("shop", bytes("")));
        assertNull(registry.authenticate("nobody", bytes("0123456789abcdef")));
        assertNull(registry.authenticate("ops", bytes("0123456789abcdef")), "another client's secret");
    }

    @Test
    void shouldMapRolesToPermissions() {
        final Client shop = registry.find("shop");
        assertTrue(Permissions.allows(shop.roles(), 1));
        assertTrue(Permissions.allows(shop.roles(), 12));
        assertEquals(Role.SUBMIT, shop.primaryRole());
        final Client ops = registry.find("ops");
        assertEquals(Role.ADMIN, ops.primaryRole());
        assertTrue(Permissions.allows(ops.roles(), 5));
        assertTrue(Permissions.allows(ops.roles(), 13));
        assertFalse(Permissions.allows(Permissions.SUBSCRIBE, 2));
        assertFalse(Permissions.allows(Permissions.SUBMIT, 13));
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
