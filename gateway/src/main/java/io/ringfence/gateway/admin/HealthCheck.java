package io.ringfence.gateway.admin;

import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.gateway.server.GatewayServer;

/**
 * Whether the server does its job: the pipeline has not stopped on a fatal failure and the
 * gateway accepts connections. Read on the admin thread from state the engine already keeps.
 */
final class HealthCheck {
    private final Pipeline pipeline;
    private final GatewayServer server;

    HealthCheck(final Pipeline pipeline, final GatewayServer server) {
        this.pipeline = pipeline;
        this.server = server;
    }

    /** Null when healthy, otherwise every reason it is not, one per line. */
    String problems() {
        final StringBuilder problems = new StringBuilder();
        final Throwable failure = pipeline.failure();
        if (failure != null) {
            problems.append("pipeline failed: ").append(failure.getMessage()).append('\n');
        }
        if (!server.listening()) {
            problems.append("gateway is not listening on ").append(server.address()).append('\n');
        }
        return problems.length() == 0 ? null : problems.toString();
    }
}
