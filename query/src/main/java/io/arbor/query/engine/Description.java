package io.arbor.query.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a primitive says of itself in a plan, in Vitess's {@code VEXPLAIN PLAN} shape: its operator type, its
 * variant, its other properties in a fixed order, and its inputs. Rendered as JSON by {@link #toJson()}, the form
 * golden plan files hold.
 *
 * @param operatorType the primitive ({@code Route}, later {@code MergeSort}, {@code Limit}...)
 * @param variant      its opcode's name, or null for a primitive without variants
 * @param properties   further properties in the order they are shown: strings, numbers, booleans or nested
 *                     maps of those
 * @param inputs       the descriptions of its inputs, in order
 */
public record Description(String operatorType, String variant, Map<String, Object> properties, List<Description> inputs) {
    /**
     * The properties every primitive that reaches shards starts with, in Vitess's layout:
     * {@code "Keyspace": {"Name": ..., "Sharded": ...}}; more are put after it, in order.
     */
    public static Map<String, Object> keyspace(Keyspace keyspace) {
        Map<String, Object> ks = new java.util.LinkedHashMap<>();
        ks.put("Name", keyspace.name());
        ks.put("Sharded", keyspace.sharded());
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("Keyspace", ks);
        return properties;
    }

    /** Validates, and keeps the properties' order. */
    public Description {
        requireNonNull(operatorType, "operatorType is null");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        inputs = List.copyOf(inputs);
    }

    /** This description as an ordered map: {@code OperatorType}, {@code Variant}, the properties, {@code Inputs}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("OperatorType", operatorType);
        if (variant != null) {
            m.put("Variant", variant);
        }
        m.putAll(properties);
        if (!inputs.isEmpty()) {
            m.put("Inputs", inputs.stream().map(Description::toMap).toList());
        }
        return m;
    }

    /** Pretty-printed JSON, two spaces per level, keys in order: the same text for the same plan, always. */
    public String toJson() {
        return JsonText.write(toMap());
    }
}
