package io.ringfence.gateway.frame;

import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.LogonDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.sbe.UnsubscribeDecoder;
import io.ringfence.sbe.WindowResultDecoder;

/**
 * The set of templates one side of the connection accepts, with their {@link MessageShape}s,
 * looked up by template id without hashing. The server accepts what clients send
 * ({@link #clientToServer()}); a client library accepts {@link #serverToClient()}.
 */
public final class MessageShapes {
    private static final int[] NO_GROUPS = {};
    private static final int MAX_TEMPLATE_ID = 255;

    private final MessageShape[] byTemplateId = new MessageShape[MAX_TEMPLATE_ID + 1];
    private final boolean newerVersions;

    private MessageShapes(final boolean newerVersions, final MessageShape... shapes) {
        this.newerVersions = newerVersions;
        for (final MessageShape shape : shapes) {
            byTemplateId[shape.templateId()] = shape;
        }
    }

    /** Inbound events and session messages: what a client may send to the gateway. */
    public static MessageShapes clientToServer() {
        return new MessageShapes(false,
            new MessageShape(OrderDecoder.TEMPLATE_ID, OrderDecoder.BLOCK_LENGTH,
                new int[] {OrderDecoder.ItemsDecoder.sbeBlockLength()}, 0),
            fixed(PaymentDecoder.TEMPLATE_ID, PaymentDecoder.BLOCK_LENGTH),
            fixed(OrderStatusDecoder.TEMPLATE_ID, OrderStatusDecoder.BLOCK_LENGTH),
            fixed(InventoryDecoder.TEMPLATE_ID, InventoryDecoder.BLOCK_LENGTH),
            fixed(ActivityDecoder.TEMPLATE_ID, ActivityDecoder.BLOCK_LENGTH),
            // version 6 added answeredClientSeq: a version 1-5 client's Logon stops before it
            new MessageShape(LogonDecoder.TEMPLATE_ID, LogonDecoder.BLOCK_LENGTH, LogonDecoder.answeredClientSeqEncodingOffset(), 6,
                NO_GROUPS, 1),
            // version 2 added the resume fields, version 5 onOverflow: a version-1 client's Subscribe stops before the
            // first, a version 2-4 client's before the second
            new MessageShape(SubscribeDecoder.TEMPLATE_ID, SubscribeDecoder.BLOCK_LENGTH,
                SubscribeDecoder.resumeAfterSeqEncodingOffset(), 5, NO_GROUPS, 0)
                .blockGrewIn(2, SubscribeDecoder.onOverflowEncodingOffset()),
            fixed(UnsubscribeDecoder.TEMPLATE_ID, UnsubscribeDecoder.BLOCK_LENGTH),
            fixed(HeartbeatDecoder.TEMPLATE_ID, HeartbeatDecoder.BLOCK_LENGTH));
    }

    /** Session replies, decisions, rejects and pushes: what the gateway sends to a client. */
    public static MessageShapes serverToClient() {
        return new MessageShapes(true,
            // version 3 added lastJournaledFingerprint, version 5 the server's limits: a version-2 server's stops before
            // the first, a version 3-4 server's before the second
            new MessageShape(LogonAckDecoder.TEMPLATE_ID, LogonAckDecoder.BLOCK_LENGTH,
                LogonAckDecoder.lastJournaledFingerprintEncodingOffset(), 5, NO_GROUPS, 0)
                .blockGrewIn(3, LogonAckDecoder.maxFrameBytesEncodingOffset()),
            fixed(AckDecoder.TEMPLATE_ID, AckDecoder.BLOCK_LENGTH),
            fixed(HeartbeatDecoder.TEMPLATE_ID, HeartbeatDecoder.BLOCK_LENGTH),
            // version 1 added orderId to Decision and FraudAlert: a version-0 server's stop before it
            new MessageShape(DecisionDecoder.TEMPLATE_ID, DecisionDecoder.BLOCK_LENGTH, DecisionDecoder.orderIdEncodingOffset(), 1,
                new int[] {DecisionDecoder.ReasonsDecoder.sbeBlockLength()}, 0),
            new MessageShape(RejectDecoder.TEMPLATE_ID, RejectDecoder.BLOCK_LENGTH, NO_GROUPS, 1),
            fixed(OrderStatusPushDecoder.TEMPLATE_ID, OrderStatusPushDecoder.BLOCK_LENGTH),
            fixed(StockPushDecoder.TEMPLATE_ID, StockPushDecoder.BLOCK_LENGTH),
            new MessageShape(FraudAlertDecoder.TEMPLATE_ID, FraudAlertDecoder.BLOCK_LENGTH, FraudAlertDecoder.orderIdEncodingOffset(), 1,
                new int[] {FraudAlertDecoder.ReasonsDecoder.sbeBlockLength()}, 0),
            fixed(CatchUpDecoder.TEMPLATE_ID, CatchUpDecoder.BLOCK_LENGTH),
            // version 4 added overcount to topItems: a version-3 server's entries stop before it
            new MessageShape(WindowResultDecoder.TEMPLATE_ID, WindowResultDecoder.BLOCK_LENGTH,
                new int[] {WindowResultDecoder.MetricsDecoder.sbeBlockLength(),
                    WindowResultDecoder.TopItemsDecoder.overcountEncodingOffset()}, 1)
                .groupsGrewIn(4, WindowResultDecoder.MetricsDecoder.sbeBlockLength(), WindowResultDecoder.TopItemsDecoder.sbeBlockLength()),
            new MessageShape(AnomalyAlertDecoder.TEMPLATE_ID, AnomalyAlertDecoder.BLOCK_LENGTH, NO_GROUPS, 2),
            new MessageShape(TrendingPushDecoder.TEMPLATE_ID, TrendingPushDecoder.BLOCK_LENGTH,
                new int[] {TrendingPushDecoder.ItemsDecoder.sbeBlockLength()}, 0));
    }

    /**
     * Whether frames of a newer schema version than this build's are accepted (read by their acting
     * block length, SBE's rule for fields added at the end): a client takes a newer server's
     * messages; the server refuses a newer client's (UNSUPPORTED_VERSION), being the one whose
     * version decides what an event means.
     */
    public boolean acceptsNewerVersions() {
        return newerVersions;
    }

    /** The shape of an accepted template, or {@code null} when this side does not accept it. */
    public MessageShape shape(final int templateId) {
        return templateId >= 0 && templateId <= MAX_TEMPLATE_ID ? byTemplateId[templateId] : null;
    }

    private static MessageShape fixed(final int templateId, final int blockLength) {
        return new MessageShape(templateId, blockLength, NO_GROUPS, 0);
    }
}
