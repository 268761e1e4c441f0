package io.ringfence.tools.subscribe;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.TopicFilters;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code --sub} of the {@code subscribe} command: {@code TOPIC} (every push of the topic) or
 * {@code TOPIC:KIND=VALUE}, with the topic a {@link Topic} name and the kind one of {@code user},
 * {@code order}, {@code sku}, {@code window} (both case-insensitive). Only the pairs the server
 * accepts ({@link TopicFilters}) parse.
 */
record SubscriptionSpec(Topic topic, FilterKind kind, String filter) {
    private static final FilterKind[] KINDS = {FilterKind.USER, FilterKind.ORDER, FilterKind.SKU, FilterKind.WINDOW};

    /** Every topic, unfiltered: what {@code subscribe} watches without {@code --sub}. */
    static List<SubscriptionSpec> everyTopic() {
        final List<SubscriptionSpec> all = new ArrayList<>();
        for (final Topic topic : Topic.values()) {
            if (topic != Topic.NULL_VAL) {
                all.add(new SubscriptionSpec(topic, FilterKind.ALL, ""));
            }
        }
        return all;
    }

    /**
     * @throws IllegalArgumentException naming the spec and what is allowed instead
     */
    static SubscriptionSpec parse(final String spec) {
        final int colon = spec.indexOf(':');
        final String topicName = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        final Topic topic = topic(spec, topicName);
        if (colon < 0) {
            return new SubscriptionSpec(topic, FilterKind.ALL, "");
        }
        final String filterPart = spec.substring(colon + 1);
        final int equals = filterPart.indexOf('=');
        if (equals < 0) {
            throw bad(spec, "give KIND=VALUE after the colon; " + topic + " takes " + kinds(topic));
        }
        final FilterKind kind = kind(spec, filterPart.substring(0, equals).trim());
        if (!TopicFilters.allowed(topic, kind)) {
            throw bad(spec, topic + " cannot be filtered by " + lower(kind) + "; it takes " + kinds(topic));
        }
        final String value = filterPart.substring(equals + 1).trim();
        if (value.isEmpty()) {
            throw bad(spec, "the " + lower(kind) + " to match is missing (" + lower(kind) + "=VALUE)");
        }
        final int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        final int max = kind == FilterKind.WINDOW ? SubscribeEncoder.filterLength() : Ids.MAX_ID_BYTES;
        if (bytes > max || value.indexOf('\0') >= 0) {
            throw bad(spec, (kind == FilterKind.ORDER ? "an " : "a ") + lower(kind) + (kind == FilterKind.WINDOW ? " name" : " id") + " is 1 to " + max
                + " UTF-8 bytes without NUL; this one has " + bytes);
        }
        return new SubscriptionSpec(topic, kind, value);
    }

    @Override
    public String toString() {
        return kind == FilterKind.ALL ? topic.name() : topic + ":" + lower(kind) + "=" + filter;
    }

    private static Topic topic(final String spec, final String name) {
        for (final Topic topic : Topic.values()) {
            if (topic != Topic.NULL_VAL && topic.name().equalsIgnoreCase(name)) {
                return topic;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final Topic topic : Topic.values()) {
            if (topic != Topic.NULL_VAL) {
                known.append(known.length() == 0 ? "" : ", ").append(topic.name());
            }
        }
        throw bad(spec, name.isEmpty() ? "the topic is missing; topics: " + known
            : "unknown topic '" + name + "'; topics: " + known);
    }

    private static FilterKind kind(final String spec, final String name) {
        for (final FilterKind kind : KINDS) {
            if (kind.name().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw bad(spec, "unknown filter kind '" + name + "'; kinds: user, order, sku, window");
    }

    /** E.g. {@code "user=ID or order=ID"}, for messages. */
    private static String kinds(final Topic topic) {
        final StringBuilder sb = new StringBuilder();
        for (final FilterKind kind : KINDS) {
            if (TopicFilters.allowed(topic, kind)) {
                sb.append(sb.length() == 0 ? "" : " or ").append(lower(kind)).append(kind == FilterKind.WINDOW ? "=NAME" : "=ID");
            }
        }
        return sb.append(" (or no filter: every ").append(topic).append(" push)").toString();
    }

    private static String lower(final FilterKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException bad(final String spec, final String why) {
        return new IllegalArgumentException("--sub " + spec + ": " + why);
    }
}
