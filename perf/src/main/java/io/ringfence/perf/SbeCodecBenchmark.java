package io.ringfence.perf;

import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode of the two messages on the hot path: an inbound {@code Order} with two
 * item lines (every field set / read, ids copied from preallocated bytes as the JSON parser and the
 * engine do), and an outbound {@code Decision} with two reason codes; and the gateway's fingerprint of
 * the order. Flyweights are wrapped per
 * operation, as in the engine. Run with {@code -prof gc}: gc.alloc.rate.norm must be ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class SbeCodecBenchmark {
    private final UnsafeBuffer orderBuffer = new UnsafeBuffer(new byte[1024]);
    private final UnsafeBuffer decisionBuffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderEncoder orderEncoder = new OrderEncoder();
    private final OrderDecoder orderDecoder = new OrderDecoder();
    private final DecisionEncoder decisionEncoder = new DecisionEncoder();
    private final DecisionDecoder decisionDecoder = new DecisionDecoder();
    private final byte[] scratch = new byte[64];
    private byte[] orderId;
    private byte[] userId;
    private byte[] merchantId;
    private byte[] currency;
    private byte[] country;
    private byte[] ip;
    private byte[] deviceId;
    private byte[] instrumentId;
    private byte[][] skus;
    private byte[] category;
    private byte[][] reasons;
    private long seq;
    private int orderLength;

    @Setup
    public void setUp() {
        orderId = field("o-7f3c9a2e-5b1d-4c8e-9f60-123456789abc");
        userId = field("u-1234");
        merchantId = field("shop-7");
        currency = field("GBP");
        country = field("United Kingdom");
        ip = field("10.0.0.17");
        deviceId = field("d-2231");
        instrumentId = field("card-0042");
        skus = new byte[][] {field("sku-101"), field("sku-202")};
        category = field("home");
        reasons = new byte[][] {field("VELOCITY_USER_1H"), field("NEW_DEVICE")};
        orderLength = encodeOrder();
        encodeDecision();
    }

    private static byte[] field(final String text) {
        final byte[] out = new byte[64]; // at least every fixed field's length, NUL padded
        final byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** An order with every field and two item lines. */
    @Benchmark
    public int encodeOrder() {
        final OrderEncoder e = orderEncoder.wrapAndApplyHeader(orderBuffer, 0, headerEncoder)
                .clientSeq(++seq).eventTime(1_700_000_000_000_000L + seq)
                .putOrderId(orderId, 0).putUserId(userId, 0).putMerchantId(merchantId, 0)
                .amount(12_345).putCurrency(currency, 0).putCountry(country, 0).putIp(ip, 0)
                .putDeviceId(deviceId, 0).putInstrumentId(instrumentId, 0).channel(Channel.WEB).label((byte) 0);
        final OrderEncoder.ItemsEncoder items = e.itemsCount(2);
        for (int i = 0; i < 2; i++) {
            items.next().putSku(skus[i], 0).qty(1 + i).unitPrice(2_500).putCategory(category, 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /** Reads every field of that order: numbers, ids into a scratch array, both item lines. */
    @Benchmark
    public void decodeOrder(final Blackhole bh) {
        final OrderDecoder d = orderDecoder.wrapAndApplyHeader(orderBuffer, 0, headerDecoder);
        bh.consume(d.clientSeq());
        bh.consume(d.eventTime());
        bh.consume(d.getOrderId(scratch, 0));
        bh.consume(d.getUserId(scratch, 0));
        bh.consume(d.getMerchantId(scratch, 0));
        bh.consume(d.amount());
        bh.consume(d.getCurrency(scratch, 0));
        bh.consume(d.getCountry(scratch, 0));
        bh.consume(d.getIp(scratch, 0));
        bh.consume(d.getDeviceId(scratch, 0));
        bh.consume(d.getInstrumentId(scratch, 0));
        bh.consume(d.channelRaw());
        bh.consume(d.label());
        final OrderDecoder.ItemsDecoder items = d.items();
        while (items.hasNext()) {
            items.next();
            bh.consume(items.getSku(scratch, 0));
            bh.consume(items.qty());
            bh.consume(items.unitPrice());
            bh.consume(items.getCategory(scratch, 0));
        }
        bh.consume(scratch);
    }

    /**
     * The gateway's fingerprint of that order (its dispatch stage takes one of every event it dispatches, so a
     * resend can be told from another message under the same client sequence).
     */
    @Benchmark
    public long fingerprintOrder() {
        return io.ringfence.gateway.frame.MessageFingerprint.of(orderBuffer, 0, orderLength);
    }

    /** A decision with two reason codes. */
    @Benchmark
    public int encodeDecision() {
        final DecisionEncoder e = decisionEncoder.wrapAndApplyHeader(decisionBuffer, 0, headerEncoder)
                .seq(++seq).clientSeq(seq).eventTime(1_700_000_000_000_000L + seq).subjectKind(SubjectKind.ORDER)
                .putSubjectId(orderId, 0).putUserId(userId, 0).outcome(Outcome.REVIEW).score(0.72)
                .ingestTime(1_700_000_000_000_000L);
        final DecisionEncoder.ReasonsEncoder r = e.reasonsCount(2);
        for (int i = 0; i < 2; i++) {
            r.next().putCode(reasons[i], 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /** Reads every field of that decision. */
    @Benchmark
    public void decodeDecision(final Blackhole bh) {
        final DecisionDecoder d = decisionDecoder.wrapAndApplyHeader(decisionBuffer, 0, headerDecoder);
        bh.consume(d.seq());
        bh.consume(d.clientSeq());
        bh.consume(d.eventTime());
        bh.consume(d.subjectKind());
        bh.consume(d.getSubjectId(scratch, 0));
        bh.consume(d.getUserId(scratch, 0));
        bh.consume(d.outcome());
        bh.consume(d.score());
        bh.consume(d.ingestTime());
        final DecisionDecoder.ReasonsDecoder r = d.reasons();
        while (r.hasNext()) {
            r.next();
            bh.consume(r.getCode(scratch, 0));
        }
        bh.consume(scratch);
    }
}
