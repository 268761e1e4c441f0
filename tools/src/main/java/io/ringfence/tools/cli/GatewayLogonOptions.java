package io.ringfence.tools.cli;

import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientException;
import io.ringfence.gateway.client.GatewayConnectException;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.CredentialsFile;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a gateway client command ({@code load}, {@code subscribe}) connects and who it logs on as:
 * {@code --host}, {@code --port}, and either {@code --data DIR} (the credentials the server
 * generated there) or {@code --client ID --secret S}. A picocli mixin; {@link #check} before use.
 */
public final class GatewayLogonOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H", description = "server address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", required = true, paramLabel = "P", description = "server's gateway port")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "the server's data directory: log on with the credentials it generated there (load as 'local', subscribe as 'local-watch')")
    Path data;

    @Option(names = "--client", paramLabel = "ID", description = "client id to log on with (with --secret; instead of --data)")
    String clientId;

    @Option(names = "--secret", paramLabel = "S", description = "that client's secret (visible in the process list: prefer --data)")
    String secret;

    @Option(names = "--wait-for-server", defaultValue = "30s", paramLabel = "DURATION",
            description = "at start, how long to wait for a server that is not up yet (still warming up or recovering its journal,"
                    + " or its --data not yet holding credentials), or that refuses the logon for a while only (busy, overloaded,"
                    + " this client id's other session still live); 0s = give up at once (default ${DEFAULT-VALUE})")
    String waitForServer;

    private boolean waitStarted;
    private long waitDeadline;

    /** How often a waiting start tries again. */
    private static final long RETRY_MILLIS = 250;

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /**
     * @throws CommandLine.ParameterException when neither or both of --data and --client are given,
     *                                         --client comes without --secret, or the port is out of range
     */
    public void check(final CommandLine command) {
        if ((data == null) == (clientId == null)) {
            throw new CommandLine.ParameterException(command, "give either --data DIR or --client ID with --secret S");
        }
        if ((clientId == null) != (secret == null)) {
            throw new CommandLine.ParameterException(command, "--client and --secret go together");
        }
        if (port < 1 || port > 65_535) {
            throw new CommandLine.ParameterException(command, "--port must be 1 to 65535, not " + port);
        }
        waitNanos(command);
    }

    private long waitNanos(final CommandLine command) {
        return DurationOption.nanos(command, "--wait-for-server", waitForServer, 0);
    }

    /** One --wait-for-server budget for the credentials and the connect together, from the first wait. */
    private long waitDeadline(final CommandLine command) {
        if (!waitStarted) {
            waitStarted = true;
            waitDeadline = System.nanoTime() + waitNanos(command);
        }
        return waitDeadline;
    }

    /**
     * Connects {@code client} to {@code --host}:{@code --port}. A server that refuses the
     * connection may be starting (the server warms up and recovers before it listens), so a
     * refusal is retried every {@value #RETRY_MILLIS} ms for {@code --wait-for-server}, saying once
     * on {@code err} that it waits.
     *
     * @throws GatewayClientException the last refusal once the wait is over, or a timeout
     */
    public void connect(final CommandLine command, final GatewayClient client, final PrintStream err) throws GatewayClientException {
        final long deadline = waitDeadline(command);
        boolean said = false;
        while (true) {
            try {
                client.connect(host, port);
                return;
            } catch (final GatewayConnectException e) {
                // only "connection refused" means a server may be starting there; a bad host name or network does not wait
                if (!(e.getCause() instanceof java.net.ConnectException) || System.nanoTime() - deadline >= 0 || !pause()) {
                    if (said) { // new-user audit: the refusal alone did not say that the wait was over, nor how to wait longer
                        err.printf("ringfence %s: nothing listened on %s:%d within %s (--wait-for-server; a server still warming"
                            + " up or replaying a long journal, on a busy machine, may need longer)%n",
                            command.getCommandName(), host, port, waitForServer);
                    }
                    throw e;
                }
                if (!said) {
                    err.printf("ringfence %s: nothing listens on %s:%d yet; waiting up to %s for the server (--wait-for-server)%n",
                        command.getCommandName(), host, port, waitForServer);
                    err.flush();
                    said = true;
                }
            }
        }
    }

    /** What a command does to log a connected client on (a plain logon, or {@code load --resume}'s). */
    @FunctionalInterface
    public interface Logon<T> {
        T logOn(GatewayClient client) throws GatewayClientException;
    }

    /** A client logged on, and what its logon returned. */
    public record LoggedOn<T>(GatewayClient client, T result) {
    }

    /**
     * Connects a new client from {@code clients} ({@link #connect}) and logs it on with {@code logon}. A first logon
     * the server refuses for a while only ({@code NOT_LOGGED_ON}: it did not read the Logon within its logon timeout;
     * {@code SERVER_BUSY}, {@code SHUTTING_DOWN}, {@code INTERNAL}; {@code NOT_AUTHORIZED}: the client id still has a live
     * session, another process's or a dropped one the server has not seen end), that times out, or whose connection
     * ends before the answer (a server killed as it starts) is tried again with a new client every {@value #RETRY_MILLIS}
     * ms, within the one {@code --wait-for-server} budget, saying once on {@code err} that it waits. Before (gateway
     * trial), {@code load} and {@code subscribe} gave up on the first such refusal, which the docs said the client
     * retries. Wrong credentials and {@code THROTTLED} are not retried. A failed client is closed.
     *
     * @param waitForOtherSession whether {@code NOT_AUTHORIZED} (the client id's other session) is waited for: not by
     *                            {@code load --resume}, which read its answers file before, and the other session may be
     *                            a run still writing it (review: 1,439 answers written twice)
     *
     * @throws GatewayClientException the last failure, once it is not one to retry or the wait is over
     */
    public <T> LoggedOn<T> logOn(final CommandLine command, final java.util.function.Supplier<GatewayClient> clients,
                                 final Logon<T> logon, final boolean waitForOtherSession, final PrintStream err)
            throws GatewayClientException {
        boolean said = false;
        while (true) {
            final GatewayClient client = clients.get();
            try {
                connect(command, client, err); // its own waits: a connect that times out is not retried (review)
            } catch (final GatewayClientException e) {
                client.close();
                throw e;
            }
            try {
                return new LoggedOn<>(client, logon.logOn(client));
            } catch (final GatewayClientException e) {
                client.close();
                final String why = retryable(e, waitForOtherSession);
                if (why == null || System.nanoTime() - waitDeadline(command) >= 0 || !pause()) {
                    if (said && why != null) {
                        err.printf("ringfence %s: still refused after %s (--wait-for-server)%n", command.getCommandName(),
                            waitForServer);
                    }
                    throw e;
                }
                if (!said) {
                    err.printf("ringfence %s: %s%s; trying again for up to %s (--wait-for-server)%n", command.getCommandName(),
                        e.getMessage(), why, waitForServer);
                    err.flush();
                    said = true;
                }
            }
        }
    }

    /** Why a first logon's failure may pass if tried again (said after it), or null when it will not. */
    private static String retryable(final GatewayClientException e, final boolean waitForOtherSession) {
        if (e instanceof io.ringfence.gateway.client.LogonLostException
                || e instanceof io.ringfence.gateway.client.GatewayTimeoutException) {
            return " (the server may be starting, stopping or overloaded)";
        }
        if (!(e instanceof io.ringfence.gateway.client.LogonRejectedException rejected) || rejected.code() == null) {
            return null;
        }
        return switch (rejected.code()) {
            case NOT_AUTHORIZED -> waitForOtherSession ? " (another process is logged on as this client, or a dropped"
                + " connection of it has not yet timed out at the server: gateway.idleTimeout)" : null;
            case NOT_LOGGED_ON, SERVER_BUSY, SHUTTING_DOWN, INTERNAL -> "";
            default -> null;
        };
    }

    private static boolean pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What to add to a logon failure: for credentials read from {@code --data} that the server refused, that the file
     * is the one a server generates when no clients are configured, which a server started since with configured
     * {@code gateway.clients} does not know (trial: a bare BAD_CREDENTIALS); otherwise nothing.
     */
    public String logonHint(final io.ringfence.gateway.client.GatewayClientException e) {
        if (e instanceof io.ringfence.gateway.client.LogonRejectedException busy
                && busy.code() == io.ringfence.sbe.RejectCode.SERVER_BUSY) {
            // security trial: the refusal's "connections" made the message read as "is the server running?"
            return " (the server is up but takes no more connections now: every session is taken, or too many from this"
                + " address are awaiting their logon (gateway.maxSessions, gateway.maxAwaitingLogonPerAddress); try again)";
        }
        if (e instanceof io.ringfence.gateway.client.LogonRejectedException live
                && live.code() == io.ringfence.sbe.RejectCode.NOT_AUTHORIZED) {
            return " (another process is logged on as this client; or one that was killed, whose connection the server holds"
                + " until gateway.idleTimeout, 10 s by default: run again once it has gone)";
        }
        if (data == null || !(e instanceof io.ringfence.gateway.client.LogonRejectedException rejected)
                || rejected.code() != io.ringfence.sbe.RejectCode.BAD_CREDENTIALS) {
            return "";
        }
        return " (the client and secret came from " + CredentialsFile.path(data) + ", which a server writes when it runs"
            + " without configured gateway.clients; a server started with gateway.clients does not know them: give --client"
            + " and --secret of a configured client)";
    }

    /**
     * The client to log on as: from {@code --client}/{@code --secret}, or from the server's
     * generated credentials in {@code --data}, its subscribe-only client when {@code watch}.
     *
     * @param roles the roles reported for a {@code --client} (the server decides what they really are)
     * @throws CommandLine.ParameterException when --data holds no credentials file, also after
     *                                         waiting {@code --wait-for-server} for the server to write it
     */
    public ClientConfig credentials(final CommandLine command, final boolean watch, final String roles) {
        if (data == null) {
            return new ClientConfig(clientId, secret, List.of(roles));
        }
        if (!CredentialsFile.ready(data, watch)) {
            // a starting server writes its credentials (or adds the subscribe-only client to an older file)
            // within moments of its start: wait like connect does
            final long deadline = waitDeadline(command);
            if (System.nanoTime() - deadline < 0) {
                System.err.printf("ringfence %s: no %s%s in %s yet; waiting up to %s for the server to write it (--wait-for-server)%n",
                    command.getCommandName(), watch && Files.isRegularFile(CredentialsFile.path(data)) ? "subscribe-only client in " : "",
                    CredentialsFile.FILE_NAME, data, waitForServer);
                System.err.flush();
            }
            while (!CredentialsFile.ready(data, watch) && System.nanoTime() - deadline < 0 && pause()) {
                // polled
            }
        }
        if (!Files.isRegularFile(CredentialsFile.path(data))) {
            throw new CommandLine.ParameterException(command, "no " + CredentialsFile.FILE_NAME + " in " + data
                + ": start `ringfence server --data " + data + "` first (it generates one when no clients are configured),"
                + " or give --client and --secret");
        }
        return watch ? CredentialsFile.readWatch(data) : CredentialsFile.read(data);
    }
}
