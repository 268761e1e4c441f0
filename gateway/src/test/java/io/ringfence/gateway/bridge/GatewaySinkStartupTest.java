package io.ringfence.gateway.bridge;

import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.FraudAlertEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway server starts before the sink is told its outbound ({@code live}): a session can
 * subscribe in between, and its subscription must hold from then on.
 */
class GatewaySinkStartupTest {
    @Test
    void shouldKeepASubscriptionMadeBeforeTheSinkWentLive() {
        final ClientDirectory clients = new ClientDirectory(ClientRegistry.of(List.of(new ClientConfig("shop", "s3cret", List.of("SUBSCRIBE")))));
        final GatewaySink sink = new GatewaySink(clients, 8);
        final long session = 77;

        final UnsafeBuffer subscribe = new UnsafeBuffer(new byte[256]);
        final int subscribeLength = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(subscribe, 0, new MessageHeaderEncoder())
            .clientSeq(1).subscriptionId(5).topic(Topic.FRAUD_ALERT).filterKind(FilterKind.USER).filter("u-1").encodedLength();
        final UnsafeBuffer control = new UnsafeBuffer(new byte[512]);
        final int controlLength = ControlMessage.write(control, ControlMessage.SUBSCRIBE, subscribe, 0, subscribeLength);
        sink.onControl(session, 1, control, 0, controlLength); // not live yet

        final List<Long> pushedTo = new ArrayList<>();
        sink.live((sessionId, buffer, offset, length) -> pushedTo.add(sessionId));
        final UnsafeBuffer alert = new UnsafeBuffer(new byte[512]);
        final FraudAlertEncoder encoder = new FraudAlertEncoder();
        encoder.wrapAndApplyHeader(alert, 0, new MessageHeaderEncoder())
            .seq(9).eventTime(1).subjectKind(SubjectKind.ORDER).subjectId("o-1").userId("u-1").outcome(Outcome.DECLINE).score(1)
            .reasonsCount(0);
        final int alertLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        sink.onOutput(9, 0, 0, alert, 0, alertLength);

        assertEquals(List.of(session), pushedTo, "the fraud alert of u-1 reaches the session that subscribed before live()");
    }
}
