package io.ringfence.tools.convert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@code payment} event as DESIGN §4.1 defines it for JSON Lines. Optional fields
 * ({@code orderId}, {@code userId}, {@code instrumentId}, {@code label}) are {@code null} and then
 * left out of the output. {@code amount} is in major units of {@code currency} with the
 * currency's scale already applied; {@code result} is one of the engine's payment results
 * (AUTHORIZED, DECLINED, FAILED, CAPTURED, REFUNDED, CHARGEBACK).
 */
public record PaymentEvent(
        Instant time,
        String paymentId,
        String orderId,
        String userId,
        String instrumentId,
        BigDecimal amount,
        String currency,
        String result,
        Integer label) {

    public PaymentEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(result, "result");
    }
}
