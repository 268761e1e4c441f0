package io.ringfence.tools.convert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An {@code order} event as DESIGN §4.1 defines it for JSON Lines. Optional fields are
 * {@code null} and then left out of the output. Amounts are in major units of {@code currency}
 * with the currency's scale already applied (GBP: 2 decimals).
 */
public record OrderEvent(
        Instant time,
        String orderId,
        String userId,
        BigDecimal amount,
        String currency,
        String country,
        String ip,
        String deviceId,
        String instrumentId,
        String merchantId,
        String channel,
        List<Item> items,
        Integer label) {

    public OrderEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** One item line; {@code category} is optional. */
    public record Item(String sku, long qty, BigDecimal unitPrice, String category) {
        public Item {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(unitPrice, "unitPrice");
        }
    }
}
