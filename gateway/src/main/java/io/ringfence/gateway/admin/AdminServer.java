package io.ringfence.gateway.admin;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.config.AdminConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The admin HTTP endpoint (DESIGN §9, {@code server}): Prometheus metrics on {@code /metrics}
 * and a health check on {@code /health}, on daemon threads of its own ({@code ringfence-admin-N})
 * with the official Prometheus Java client's exporter. Off the hot path: every metric is a
 * callback evaluated at scrape time ({@link GatewayMetrics}, {@link AnswerLatencyCollector},
 * {@link SnapshotMetrics}),
 * reading counters the I/O and pipeline threads keep anyway.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start(config.admin, gateway); // EngineGateway does this
 * admin.url();                                                  // http://127.0.0.1:PORT/
 * admin.close();
 * }</pre>
 *
 * A starting server opens it first ({@link #startEarly}): while it warms up and recovers the
 * journal, {@code /health} is 503 "starting: ..." and {@code /metrics} has the JVM's metrics;
 * {@link #attach} then adds the engine's.
 *
 * JVM metrics are the cheap ones of {@code prometheus-metrics-instrumentation-jvm} (memory, GC,
 * buffer pools, class loading, JIT, process, runtime info). Thread-state metrics are left out on
 * purpose: they take a thread dump ({@code ThreadMXBean.getThreadInfo}), a safepoint that would
 * stall the pipeline threads at every scrape.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String PATH = GatewayConfig.PATH + ".admin";
    private static final int QUEUED_REQUESTS = 64;
    /**
     * Threads serving requests: up to THREADS - 1 clients holding one each (an incomplete request) cannot block /health
     * for the others. A request queued behind THREADS of them is closed unanswered at maxReqTime, which the JDK server
     * counts from the accept (operator audit: with 2 threads, two half-sent requests made a concurrent /health fail
     * with a reset after 5.2 s in 5 of 8 trials). Idle threads cost nothing.
     */
    static final int THREADS = 4;
    private static final String METRICS = "/metrics";
    private static final java.util.concurrent.atomic.AtomicInteger THREAD_NUMBER = new java.util.concurrent.atomic.AtomicInteger();

    static {
        // the JDK server reads a request's headers on a serving thread and by default waits for them for ever: one
        // incomplete request held /health and /metrics until its socket closed (gateway trial). These bound it (the
        // JDK reads them once, when its server class loads; a value given with -D wins)
        setIfAbsent("sun.net.httpserver.maxReqTime", "5");       // seconds to receive a whole request
        // seconds to send a response: a client that reads nothing holds a serving thread this long (review: 4 such held
        // /health for the 30 s this was before; a scrape is ~30 KB, which any live scraper reads within a second)
        setIfAbsent("sun.net.httpserver.maxRspTime", "10");
        setIfAbsent("sun.net.httpserver.timerMillis", "500");    // how often those are checked
    }

    /**
     * The exporter logs a scraper that hangs up mid-response (its problem, not the server's) as a SEVERE stack trace
     * of ~15 lines on stderr; held here so the level stays set (JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger EXPORTER_LOG =
        java.util.logging.Logger.getLogger("io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter");

    static {
        EXPORTER_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private static void setIfAbsent(final String key, final String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final com.sun.net.httpserver.HttpServer http;
    private final java.util.concurrent.ExecutorService executor;
    private final String url;
    private final PrometheusRegistry registry;
    private final PrometheusProperties props;
    private final StartupStatus startup;
    /** What {@code /health} asks: the start-up's phase, then the running gateway's {@link HealthCheck}. */
    private final AtomicReference<Supplier<String>> health;
    private boolean attached;
    private boolean closed;

    private AdminServer(final com.sun.net.httpserver.HttpServer http, final java.util.concurrent.ExecutorService executor,
                        final String url, final PrometheusRegistry registry,
                        final PrometheusProperties props, final StartupStatus startup,
                        final AtomicReference<Supplier<String>> health) {
        this.http = http;
        this.executor = executor;
        this.url = url;
        this.registry = registry;
        this.props = props;
        this.startup = startup;
        this.health = health;
    }

    /**
     * Registers the metrics of {@code gateway} and starts serving them.
     *
     * @throws ConfigException      when the configuration is invalid
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AdminServer start(final AdminConfig config, final EngineGateway gateway) {
        final AdminServer admin = startEarly(config, gateway.port());
        admin.attach(gateway);
        return admin;
    }

    /**
     * Starts serving before the engine exists, as a starting server does: {@code /metrics} has the
     * JVM's metrics and {@code /health} is 503 "starting: ..." with {@link #startup()}'s phase,
     * until {@link #attach} adds the engine's and gateway's.
     *
     * @param gatewayPort the gateway's configured port (the admin port may not be the same)
     * @throws ConfigException      when the configuration is invalid
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AdminServer startEarly(final AdminConfig config, final int gatewayPort) {
        config.validate(PATH, gatewayPort);
        // explicit properties: a stray prometheus.properties or -Dio.prometheus.* must not move the port
        final PrometheusProperties props = PrometheusProperties.builder().build();
        final PrometheusRegistry registry = new PrometheusRegistry();
        registerJvmMetrics(registry, props);
        final StartupStatus startup = new StartupStatus();
        final AtomicReference<Supplier<String>> health = new AtomicReference<>(startup::problems);

        final InetAddress address = config.bindInetAddress(PATH);
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED_REQUESTS), runnable -> {
                final Thread thread = new Thread(runnable, "ringfence-admin-" + THREAD_NUMBER.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        final com.sun.net.httpserver.HttpServer http;
        try {
            // the JDK server with the exporter's handler on /metrics (not the exporter's HTTPServer): every context gets
            // the filter that closes each connection after its answer (review: scrapers pipelining /metrics without
            // reading held every serving thread, and /health with them)
            http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(address, config.port), QUEUED_REQUESTS);
            http.setExecutor(executor);
            http.createContext(METRICS, new MetricsHandler(props, registry)).getFilters().add(new OneAnswerPerConnection(true));
            http.createContext("/", new AdminHandler(() -> health.get().get())).getFilters().add(new OneAnswerPerConnection(false));
            http.start();
        } catch (final IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot serve the admin endpoint on " + config.bindAddress + ":" + config.port
                + " (" + PATH + ")", e);
        }
        final String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        final String url = "http://" + host + ":" + http.getAddress().getPort() + "/";
        LOG.info("admin endpoint on {} (metrics, health)", url);
        if (!address.isLoopbackAddress()) { // security trial: 0.0.0.0 started without a word
            LOG.warn("admin endpoint on {}, which other hosts can reach, asks no one for credentials: /metrics tells anyone"
                + " there the shop's volumes, decisions and clients' activity; bind it to 127.0.0.1 or a private network", url);
        }
        return new AdminServer(http, executor, url, registry, props, startup, health);
    }

    /**
     * Adds the metrics of the running {@code gateway} and its engine, and bases {@code /health} on
     * them from now on. Once only.
     */
    public void attach(final EngineGateway gateway) {
        if (attached) {
            throw new IllegalStateException("the admin endpoint already serves a gateway");
        }
        attached = true;
        GatewayMetrics.register(registry, props, gateway);
        SnapshotMetrics.register(registry, props, gateway.engine());
        final HealthCheck check = new HealthCheck(gateway.engine().pipeline(), gateway.server(), gateway.engine().journal());
        health.set(check::problems);
    }

    /** What the server is doing until {@link #attach}: {@code /health} says so. */
    public StartupStatus startup() {
        return startup;
    }

    private static void registerJvmMetrics(final PrometheusRegistry registry, final PrometheusProperties props) {
        JvmMemoryMetrics.builder(props).register(registry);
        JvmGarbageCollectorMetrics.builder(props).register(registry);
        JvmBufferPoolMetrics.builder(props).register(registry);
        JvmClassLoadingMetrics.builder(props).register(registry);
        JvmCompilationMetrics.builder(props).register(registry);
        JvmRuntimeInfoMetric.builder(props).register(registry);
        ProcessMetrics.builder(props).register(registry);
    }

    /** The port actually bound (the ephemeral one when configured as 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The endpoint's base URL, as {@code http://127.0.0.1:PORT/}; metrics at {@code url() + "metrics"}. */
    public String url() {
        return url;
    }

    /** Stops serving and ends the admin thread; again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(0);
        executor.shutdownNow();
    }

    /**
     * Sets {@code Connection: close} on every answer, and on {@code /metrics} answers only that path with GET or HEAD
     * (the JDK matches contexts by prefix: /metricsfoo and DELETE /metrics were served, review).
     */
    private static final class OneAnswerPerConnection extends com.sun.net.httpserver.Filter {
        private final boolean metrics;

        OneAnswerPerConnection(final boolean metrics) {
            this.metrics = metrics;
        }

        @Override
        public void doFilter(final com.sun.net.httpserver.HttpExchange exchange, final Chain chain) throws IOException {
            exchange.getResponseHeaders().set("Connection", "close");
            if (metrics) {
                final String method = exchange.getRequestMethod();
                if (!METRICS.equals(exchange.getRequestURI().getPath()) || !"GET".equals(method) && !"HEAD".equals(method)) {
                    new AdminHandler(() -> null).handle(exchange); // 404 or 405, as for any other path
                    return;
                }
            }
            chain.doFilter(exchange);
        }

        @Override
        public String description() {
            return "Connection: close";
        }
    }
}
