package io.ringfence.gateway.session;

import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.Role;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.UnsubscribeDecoder;

/**
 * Which role a logged-on session needs for each inbound template: business events need SUBMIT,
 * Subscribe and Unsubscribe need SUBSCRIBE, Heartbeat needs none, and ADMIN may do everything.
 */
public final class Permissions {
    public static final int SUBMIT = 1;
    public static final int SUBSCRIBE = 1 << 1;
    public static final int ADMIN = 1 << 2;

    private Permissions() {
    }

    /** The bit of a role. */
    public static int bit(final Role role) {
        switch (role) {
            case SUBMIT: return SUBMIT;
            case SUBSCRIBE: return SUBSCRIBE;
            case ADMIN: return ADMIN;
            default: throw new IllegalArgumentException("no permission bit for " + role);
        }
    }

    /** Whether a session holding {@code roles} may send {@code templateId} after logon. */
    public static boolean allows(final int roles, final int templateId) {
        if ((roles & ADMIN) != 0) {
            return true;
        }
        switch (templateId) {
            case OrderDecoder.TEMPLATE_ID:
            case PaymentDecoder.TEMPLATE_ID:
            case OrderStatusDecoder.TEMPLATE_ID:
            case InventoryDecoder.TEMPLATE_ID:
            case ActivityDecoder.TEMPLATE_ID:
                return (roles & SUBMIT) != 0;
            case SubscribeDecoder.TEMPLATE_ID:
            case UnsubscribeDecoder.TEMPLATE_ID:
                return (roles & SUBSCRIBE) != 0;
            case HeartbeatDecoder.TEMPLATE_ID:
                return true;
            default:
                return false;
        }
    }
}
