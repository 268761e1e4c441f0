package io.ringfence.gateway.client;

import io.ringfence.sbe.Role;

/**
 * What the first {@code LogonAck} said.
 *
 * @param clientId               the client id logged on
 * @param role                   the primary role (ADMIN if held, else SUBMIT if held, else SUBSCRIBE)
 * @param lastJournaledClientSeq the highest clientSeq of this client the engine has journaled
 *                               (0 for none); the client's first send gets this plus one
 * @param heartbeatMillis        the server's heartbeat interval
 * @param engineSeq              the last engine sequence assigned when the server answered
 */
public record LogonResult(String clientId, Role role, long lastJournaledClientSeq, int heartbeatMillis, long engineSeq) {
}
