package io.ringfence.engine.fraud;

import org.agrona.DirectBuffer;

import static io.ringfence.engine.fraud.FraudEventAdapter.ACTIVITY;
import static io.ringfence.engine.fraud.FraudEventAdapter.ORDER;
import static io.ringfence.engine.fraud.FraudEventAdapter.PAYMENT;
import static io.ringfence.engine.fraud.FraudEventAdapter.present;

/**
 * The feature state of the business stage and the {@link Feature} computation (DESIGN §6): for
 * every order and payment, {@link #onEvent} first computes the vector from what earlier events
 * left (causal), then applies the event to the state. Activities only update state (SIGNUP time;
 * SIGNUP and LOGIN link the user to their device and IP). Everything else is ignored.
 *
 * <p>What each event updates:
 * <pre>
 *  order    user: velocity, Welford amount history, recent devices/IPs/instruments, last country
 *           device, IP: velocity, distinct users, last country;  instrument: velocity
 *  payment  user, instrument: payment velocity, attempts/failures (attempt = AUTHORIZED, DECLINED,
 *           FAILED; CAPTURED, REFUNDED, CHARGEBACK are later steps of an attempt and count nowhere);
 *           user: recent instruments (not from REFUNDED or CHARGEBACK: money going back is no use of a card)
 *  SIGNUP   user: signup time (the earliest seen);  SIGNUP, LOGIN: device, IP distinct users
 * </pre>
 *
 * {@code risky_items} needs no state: it counts the order's own item lines on the configured lists
 * ({@link RiskyItems}), so it is the one feature that reads the scored event rather than earlier ones.
 *
 * Each feature comes from one table (the user's from the user table, and so on), so the tables
 * are taken one at a time, each read for the features and then updated: the same values as
 * reading all before updating any, with each key's state touched while it is in cache. The four
 * keys are looked up and their state lines requested together first, so that their cache misses
 * overlap.
 *
 * <p>Single-threaded; allocation-free once the tables have grown to the working set.
 */
public final class FraudFeatures {
    private static final double MICROS_PER_SECOND = 1_000_000.0;
    /** Slots of each table the idle sweep checks per event (amortised cleanup). */
    private static final int EVICT_PER_EVENT = 2;

    private final FeatureSettings settings;
    private final RiskyItems riskyItems;
    private final FraudEventAdapter event = new FraudEventAdapter();
    private final BucketClock clock = new BucketClock();
    final UserTable users;
    final LinkTable devices;
    final LinkTable ips;
    final InstrumentTable instruments;
    /**
     * The event time the idle sweep counts from ({@link Long#MIN_VALUE} before any event): it follows event time but moves
     * forward at most {@link #SWEEP_CLOCK_STEP} per event, so a few events stamped far ahead move it a few hours only.
     */
    private long sweepClock = Long.MIN_VALUE;
    /** How far one event may move {@link #sweepClock} forward: an hour (micros). */
    private static final long SWEEP_CLOCK_STEP = 3_600_000_000L;
    /** See {@link #scoredOutOfOrder()}. */
    private long outOfOrder;
    private static final java.lang.invoke.VarHandle OUT_OF_ORDER;

    static {
        try {
            OUT_OF_ORDER = java.lang.invoke.MethodHandles.lookup().findVarHandle(FraudFeatures.class, "outOfOrder", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Sink of {@link #touch}: keeps the compiler from dropping its reads. */
    private long touched;

    public FraudFeatures(final FeatureSettings settings) {
        this.settings = settings;
        this.riskyItems = settings.riskyItems();
        users = new UserTable(settings.maxUsers());
        devices = new LinkTable("devices", settings.maxDevices());
        ips = new LinkTable("ips", settings.maxIps());
        instruments = new InstrumentTable(settings.maxInstruments());
    }

    /**
     * Computes the features of the event at {@code offset} (an order or payment) into {@code out},
     * then applies the event to the state.
     *
     * @return true when the event is an order or payment and {@code out} holds its features
     */
    public boolean onEvent(final DirectBuffer buffer, final int offset, final FeatureVector out) {
        final int kind = event.wrap(buffer, offset);
        if (kind != ORDER && kind != PAYMENT && kind != ACTIVITY) {
            return false;
        }
        final long idleBefore = evictIdle(event.time);
        clock.set(event.time);
        if (kind == ACTIVITY) {
            updateActivity(idleBefore);
            return false;
        }
        final FraudEventAdapter e = event;
        final double[] v = out.values;
        java.util.Arrays.fill(v, Double.NaN);
        v[Feature.AMOUNT.ordinal()] = e.amount;
        v[Feature.IS_PAYMENT.ordinal()] = kind == PAYMENT ? 1 : 0;
        // the four lookups first: independent, so their cache misses overlap
        final int u = present(e.user) ? users.findLive(e.user, idleBefore) : EntityTable.NONE;
        final int d = present(e.device) ? devices.findLive(e.device, idleBefore) : EntityTable.NONE;
        final int ip = present(e.ip) ? ips.findLive(e.ip, idleBefore) : EntityTable.NONE;
        final int i = present(e.instrument) ? instruments.findLive(e.instrument, idleBefore) : EntityTable.NONE;
        touch(u, d, ip, i);
        if (before(users, u, e.time) || before(devices, d, e.time) || before(ips, ip, e.time) || before(instruments, i, e.time)) {
            OUT_OF_ORDER.setRelease(this, outOfOrder + 1); // single writer; read by metrics threads (on x86 a plain store)
        }
        // Each entity's features come from its own table only, so each table is read (features)
        // then updated (this event) in turn: the same values as computing all before updating any.
        if (kind == ORDER) {
            userOrder(u, v);
            linkOrder(devices, d, e.device, 1, Feature.DEVICE_OTHER_USERS_24H, Feature.DEVICE_PRIOR_USERS, v, false);
            linkOrder(ips, ip, e.ip, 2, Feature.IP_OTHER_USERS_24H, Feature.IP_PRIOR_USERS, v, true);
            instrumentOrder(i, v);
            v[Feature.RISKY_ITEMS.ordinal()] = riskyItems.isEmpty() ? 0 : e.riskyLines(riskyItems);
        } else {
            // payments carry no device or IP
            userPayment(u, v);
            instrumentPayment(i, v);
        }
        return true;
    }

    /** Whether a held key has already seen an event with a later time than {@code time}. */
    private static boolean before(final EntityTable table, final int slot, final long time) {
        return slot != EntityTable.NONE && table.lastSeen(slot) > time;
    }

    /**
     * Orders and payments scored while one of their keys (user, device, IP, instrument) had
     * already seen a later-timed event: their features are of arrival order, not time order
     * (docs/fraud.md "Features"). A count for operators, in neither the state hash nor snapshots.
     */
    public long scoredOutOfOrder() {
        return (long) OUT_OF_ORDER.getAcquire(this);
    }

    /** The idle sweep's clock ({@link #sweepClock}); snapshots. */
    long sweepClock() {
        return sweepClock;
    }

    /** Restores {@link #sweepClock()} (snapshots, before any event). */
    void sweepClock(final long time) {
        sweepClock = time;
    }

    /** The adapter of the last event (its kind, for rules that apply to orders or payments only). */
    FraudEventAdapter event() {
        return event;
    }

    /**
     * Sweeps a few slots of each table for keys idle for {@code idleTtl} by the sweep's clock, and returns the bound for
     * this event's own keys ({@link EntityTable#findLive}: idle for {@code idleTtl} before its own time, exact whether or
     * not the sweep reached them). The clock follows event time by at most an hour per event: counted from the newest time
     * seen, one event stamped a month ahead (a bad timestamp in a historical file) swept every table against its time, and
     * each later event more of them (fraud audit: a card-testing burst after one VIEW dated 40 days ahead was approved
     * with score 0; review: counted from the earlier of two events' times, two such events in a row did the same). A clock
     * behind event time only keeps idle keys in memory longer; lookups never see them.
     */
    private long evictIdle(final long t) {
        final long ttl = settings.idleTtlMicros();
        if (sweepClock == Long.MIN_VALUE) {
            sweepClock = t;
        } else if (t > sweepClock) {
            sweepClock = t - sweepClock > SWEEP_CLOCK_STEP ? sweepClock + SWEEP_CLOCK_STEP : t;
        }
        final long before = sweepClock - ttl;
        users.evictIdle(before, EVICT_PER_EVENT);
        devices.evictIdle(before, EVICT_PER_EVENT);
        ips.evictIdle(before, EVICT_PER_EVENT);
        instruments.evictIdle(before, EVICT_PER_EVENT);
        return t - ttl;
    }

    /**
     * Starts the reads of the four keys' state together: their last-seen times (which
     * {@link EntityTable#acquire} updates) and blocks ({@link VelocityBuckets#touch}).
     */
    private void touch(final int u, final int d, final int ip, final int i) {
        long x = 0;
        if (u != EntityTable.NONE) {
            x += users.lastSeen(u) + users.velocity.touch(u, clock);
        }
        if (d != EntityTable.NONE) {
            x += devices.lastSeen(d) + devices.velocity.touch(d, clock);
        }
        if (ip != EntityTable.NONE) {
            x += ips.lastSeen(ip) + ips.velocity.touch(ip, clock);
        }
        if (i != EntityTable.NONE) {
            x += instruments.lastSeen(i) + instruments.velocity.touch(i, clock);
        }
        touched = x;
    }

    private void userOrder(final int found, final double[] v) {
        final FraudEventAdapter e = event;
        if (!present(e.user)) {
            return;
        }
        final int u;
        if (found != EntityTable.NONE) {
            userHistory(found, v);
            users.velocity.queryAndAddOrder(found, clock, v, Feature.orderVelocity(0, 0), Feature.paymentVelocity(0, 0), e.amount);
            u = users.acquire(found, e.user, e.time);
        } else {
            newUser(v);
            u = users.acquire(found, e.user, e.time);
            users.velocity.addOrder(u, clock, e.amount);
        }
        users.addAmount(u, e.amount);
        if (present(e.device)) {
            users.remember(u, UserTable.DEVICES, e.device);
        }
        if (present(e.ip)) {
            users.remember(u, UserTable.IPS, e.ip);
        }
        if (present(e.instrument)) {
            users.remember(u, UserTable.INSTRUMENTS, e.instrument);
        }
        if (present(e.country)) {
            users.lastCountry(u, e.country);
        }
    }

    private void userPayment(final int found, final double[] v) {
        final FraudEventAdapter e = event;
        if (!present(e.user)) {
            return;
        }
        final int u;
        if (found != EntityTable.NONE) {
            userHistory(found, v);
            paymentVelocity(users.velocity, found, Feature.orderVelocity(0, 0), Feature.paymentVelocity(0, 0), v);
            u = users.acquire(found, e.user, e.time);
        } else {
            newUser(v);
            u = users.acquire(found, e.user, e.time);
            if (e.attempt) {
                users.velocity.addPayment(u, clock, e.failed);
            }
        }
        if (e.attempt) {
            users.addAttempt(u, e.failed);
        }
        if (present(e.instrument) && !e.moneyBack) {
            // a refund or chargeback names a card without the user using it: a chargeback's card must stay new to the user
            users.remember(u, UserTable.INSTRUMENTS, e.instrument);
        }
    }

    /** The user features other than velocity, of a known user. */
    private void userHistory(final int u, final double[] v) {
        final FraudEventAdapter e = event;
        final long n = users.orders(u);
        v[Feature.USER_PRIOR_ORDERS.ordinal()] = n;
        v[Feature.USER_FAIL_RATIO.ordinal()] = failRatio(users.failed(u), users.attempts(u));
        if (n > 0) {
            final double mean = users.mean(u);
            v[Feature.USER_MEAN_AMOUNT.ordinal()] = mean;
            if (n >= settings.zscoreMinHistory()) {
                final double sd = Math.sqrt(users.variance(u));
                final double scale = Math.max(sd, Math.max(0.1 * Math.abs(mean), 1.0));
                v[Feature.USER_AMOUNT_ZSCORE.ordinal()] = (e.amount - mean) / scale;
            }
        }
        final long signup = users.signup(u);
        if (signup != UserTable.NO_SIGNUP) {
            v[Feature.SECONDS_SINCE_SIGNUP.ordinal()] = (e.time - signup) / MICROS_PER_SECOND;
            v[Feature.NO_SIGNUP_SEEN.ordinal()] = 0;
        } else {
            v[Feature.NO_SIGNUP_SEEN.ordinal()] = 1;
        }
        if (present(e.device)) {
            v[Feature.NEW_DEVICE_FOR_USER.ordinal()] = users.contains(u, UserTable.DEVICES, e.device) ? 0 : 1;
        }
        if (present(e.ip)) {
            v[Feature.NEW_IP_FOR_USER.ordinal()] = users.contains(u, UserTable.IPS, e.ip) ? 0 : 1;
        }
        if (present(e.instrument)) {
            v[Feature.NEW_INSTRUMENT_FOR_USER.ordinal()] = users.contains(u, UserTable.INSTRUMENTS, e.instrument) ? 0 : 1;
        }
        final long lastCountry = users.lastCountry(u);
        if (present(e.country) && present(lastCountry)) {
            v[Feature.USER_COUNTRY_CHANGE.ordinal()] = lastCountry == e.country ? 0 : 1;
        }
    }

    /** The user features of a user not in the table. */
    private void newUser(final double[] v) {
        final FraudEventAdapter e = event;
        zero(v, Feature.orderVelocity(0, 0), 2 * Horizon.COUNT);
        zero(v, Feature.paymentVelocity(0, 0), 2 * Horizon.COUNT);
        v[Feature.USER_PRIOR_ORDERS.ordinal()] = 0;
        v[Feature.USER_FAIL_RATIO.ordinal()] = settings.failPriorRate();
        v[Feature.NO_SIGNUP_SEEN.ordinal()] = 1;
        v[Feature.NEW_DEVICE_FOR_USER.ordinal()] = present(e.device) ? 1 : Double.NaN;
        v[Feature.NEW_IP_FOR_USER.ordinal()] = present(e.ip) ? 1 : Double.NaN;
        v[Feature.NEW_INSTRUMENT_FOR_USER.ordinal()] = present(e.instrument) ? 1 : Double.NaN;
    }

    private void linkOrder(final LinkTable table, final int found, final long key, final int entity, final Feature otherUsers,
                           final Feature otherUsersLong, final double[] v, final boolean country) {
        if (!present(key)) {
            return;
        }
        final FraudEventAdapter e = event;
        final int s;
        if (found != EntityTable.NONE) {
            if (present(e.user)) {
                final int both = table.otherUsersThenAdd(found, e.user, e.time - Horizon.DAY, e.time);
                v[otherUsers.ordinal()] = both & 0xff;
                v[otherUsersLong.ordinal()] = both >>> 8;
            } else {
                v[otherUsers.ordinal()] = table.otherUsers(found, e.user, e.time - Horizon.DAY);
                v[otherUsersLong.ordinal()] = table.otherUsers(found, e.user, Long.MIN_VALUE);
            }
            final long last = table.lastCountry(found);
            if (country && present(e.country) && present(last)) {
                v[Feature.IP_COUNTRY_MISMATCH.ordinal()] = last == e.country ? 0 : 1;
            }
            table.velocity.queryAndAddOrder(found, clock, v, Feature.orderVelocity(entity, 0), VelocityBuckets.NO_PAYMENTS, e.amount);
            s = table.acquire(found, key, e.time);
        } else {
            zero(v, Feature.orderVelocity(entity, 0), 2 * Horizon.COUNT);
            v[otherUsers.ordinal()] = 0;
            v[otherUsersLong.ordinal()] = 0;
            s = table.acquire(found, key, e.time);
            table.velocity.addOrder(s, clock, e.amount);
            if (present(e.user)) {
                table.addUser(s, e.user, e.time);
            }
        }
        if (present(e.country)) {
            table.lastCountry(s, e.country);
        }
    }

    private void instrumentOrder(final int found, final double[] v) {
        final FraudEventAdapter e = event;
        if (!present(e.instrument)) {
            return;
        }
        if (found != EntityTable.NONE) {
            v[Feature.INSTRUMENT_FAIL_RATIO.ordinal()] = failRatio(instruments.failed(found), instruments.attempts(found));
            instruments.velocity.queryAndAddOrder(found, clock, v, Feature.orderVelocity(3, 0), Feature.paymentVelocity(1, 0), e.amount);
            instruments.acquire(found, e.instrument, e.time);
        } else {
            newInstrument(v);
            instruments.velocity.addOrder(instruments.acquire(found, e.instrument, e.time), clock, e.amount);
        }
    }

    private void instrumentPayment(final int found, final double[] v) {
        final FraudEventAdapter e = event;
        if (!present(e.instrument)) {
            return;
        }
        final int s;
        if (found != EntityTable.NONE) {
            v[Feature.INSTRUMENT_FAIL_RATIO.ordinal()] = failRatio(instruments.failed(found), instruments.attempts(found));
            paymentVelocity(instruments.velocity, found, Feature.orderVelocity(3, 0), Feature.paymentVelocity(1, 0), v);
            s = instruments.acquire(found, e.instrument, e.time);
        } else {
            newInstrument(v);
            s = instruments.acquire(found, e.instrument, e.time);
            if (e.attempt) {
                instruments.velocity.addPayment(s, clock, e.failed);
            }
        }
        if (e.attempt) {
            instruments.addAttempt(s, e.failed);
        }
    }

    /**
     * A known key's order and payment velocity for the payment being scored: queried, and the payment
     * added in the same pass when it is an attempt.
     */
    private void paymentVelocity(final VelocityBuckets velocity, final int found, final int orderBase, final int paymentBase,
                                 final double[] v) {
        if (event.attempt) {
            velocity.queryAndAddPayment(found, clock, v, orderBase, paymentBase, event.failed);
        } else {
            velocity.queryOrders(found, clock, v, orderBase);
            velocity.queryPayments(found, clock, v, paymentBase);
        }
    }

    private void newInstrument(final double[] v) {
        zero(v, Feature.orderVelocity(3, 0), 2 * Horizon.COUNT);
        zero(v, Feature.paymentVelocity(1, 0), 2 * Horizon.COUNT);
        v[Feature.INSTRUMENT_FAIL_RATIO.ordinal()] = settings.failPriorRate();
    }

    private double failRatio(final long failed, final long attempts) {
        final double w = settings.failPriorWeight();
        return (failed + settings.failPriorRate() * w) / (attempts + w);
    }

    private static void zero(final double[] v, final int from, final int count) {
        for (int i = from; i < from + count; i++) {
            v[i] = 0;
        }
    }

    private void updateActivity(final long idleBefore) {
        final FraudEventAdapter e = event;
        if (!present(e.user)) {
            return;
        }
        // the lookups first and the known keys' lines requested together, as for orders ({@link #touch})
        final int u = e.signup ? users.findLive(e.user, idleBefore) : EntityTable.NONE;
        final int d = e.login && present(e.device) ? devices.findLive(e.device, idleBefore) : EntityTable.NONE;
        final int ip = e.login && present(e.ip) ? ips.findLive(e.ip, idleBefore) : EntityTable.NONE;
        long x = 0;
        if (u != EntityTable.NONE) {
            x += users.lastSeen(u) + users.velocity.touchHeader(u);
        }
        if (d != EntityTable.NONE) {
            x += devices.lastSeen(d) + devices.velocity.touchHeader(d);
        }
        if (ip != EntityTable.NONE) {
            x += ips.lastSeen(ip) + ips.velocity.touchHeader(ip);
        }
        touched = x;
        if (e.signup) {
            users.signup(users.acquire(u, e.user, e.time), e.time);
        }
        if (e.login) {
            if (present(e.device)) {
                devices.addUser(devices.acquire(d, e.device, e.time), e.user, e.time);
            }
            if (present(e.ip)) {
                ips.addUser(ips.acquire(ip, e.ip, e.time), e.user, e.time);
            }
        }
    }

    /** The tables by name, for operators: {@code users}, {@code devices}, {@code ips}, {@code instruments}. */
    public static final java.util.List<String> TABLES = java.util.List.of("users", "devices", "ips", "instruments");

    private EntityTable table(final String name) {
        switch (name) {
            case "users": return users;
            case "devices": return devices;
            case "ips": return ips;
            case "instruments": return instruments;
            default: throw new IllegalArgumentException("no fraud table " + name);
        }
    }

    /** Live keys of a table ({@link #TABLES}); read by metrics threads (a plain read: at worst a little stale). */
    public long live(final String name) {
        return table(name).size();
    }

    /** A table's cap ({@code fraud.state.max*}). */
    public long capacity(final String name) {
        switch (name) {
            case "users": return settings.maxUsers();
            case "devices": return settings.maxDevices();
            case "ips": return settings.maxIps();
            case "instruments": return settings.maxInstruments();
            default: throw new IllegalArgumentException("no fraud table " + name);
        }
    }

    /** Keys a table replaced because it was full. */
    public long evictedFull(final String name) {
        return table(name).evictedFull();
    }

    /** Keys evicted because a table was full (all tables). */
    public long evictedFull() {
        return users.evictedFull() + devices.evictedFull() + ips.evictedFull() + instruments.evictedFull();
    }

    /** Keys evicted after their idle TTL (all tables). */
    public long evictedIdle() {
        return users.evictedIdle() + devices.evictedIdle() + ips.evictedIdle() + instruments.evictedIdle();
    }

    /** Hash of all feature state (replay and determinism checks). */
    public long stateHash() {
        long h = users.stateHash() * 31 + sweepClock; // sweepClock decides idle eviction
        h = h * 31 + devices.stateHash();
        h = h * 31 + ips.stateHash();
        return h * 31 + instruments.stateHash();
    }
}
