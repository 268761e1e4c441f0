/**
 * Sessions: who may log on ({@link io.ringfence.gateway.session.ClientRegistry},
 * {@link io.ringfence.gateway.session.CredentialsFile}, {@link io.ringfence.gateway.session.LogonThrottle}),
 * what a logged-on client may send ({@link io.ringfence.gateway.session.Permissions}), the
 * per-frame protocol ({@link io.ringfence.gateway.session.InboundAdapter}), the gateway's own
 * replies ({@link io.ringfence.gateway.session.ReplyPublisher}) and each session's outbound
 * buffer ({@link io.ringfence.gateway.session.OutboundQueue}), found by id through
 * {@link io.ringfence.gateway.session.SessionTable}.
 */
package io.ringfence.gateway.session;
