package io.arbor.query.engine;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTextTest {
    @Test
    void stringsAreEscapedAndOrderIsKept() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", "a \"quoted\" \\ back\nslash\t\u0001");
        m.put("a", List.of(1, true, List.of(), Map.of()));
        m.put("n", null);
        assertThat(JsonText.write(m)).isEqualTo("""
                {
                  "z": "a \\"quoted\\" \\\\ back\\nslash\\t\\u0001",
                  "a": [
                    1,
                    true,
                    [],
                    {}
                  ],
                  "n": null
                }""");
    }

    @Test
    void inputsNestUnderTheirPrimitive() {
        Description leaf = new Description("Route", "Unsharded", Map.of("Query", "SELECT ?"), List.of());
        Description parent = new Description("Limit", null, Map.of("Count", 10), List.of(leaf, leaf));
        assertThat(parent.toJson()).isEqualTo("""
                {
                  "OperatorType": "Limit",
                  "Count": 10,
                  "Inputs": [
                    {
                      "OperatorType": "Route",
                      "Variant": "Unsharded",
                      "Query": "SELECT ?"
                    },
                    {
                      "OperatorType": "Route",
                      "Variant": "Unsharded",
                      "Query": "SELECT ?"
                    }
                  ]
                }""");
        assertThatThrownBy(() -> JsonText.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }
}
