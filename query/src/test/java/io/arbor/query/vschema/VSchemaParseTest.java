package io.arbor.query.vschema;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading and writing Vitess's vschema JSON: the examples parse into the records, round-trip, and bad shapes fail. */
class VSchemaParseTest {
    @Test
    void parsesTheShardedExample() {
        VSchema customer = VSchema.parse(VSchemaExamples.CUSTOMER);
        assertThat(customer.sharded()).isTrue();
        assertThat(customer.vindexes()).containsOnlyKeys("hash", "corder_sku");
        assertThat(customer.vindexes().get("corder_sku")).isEqualTo(new VindexDefinition("lookup_unique",
                Map.of("table", "product.corder_sku_lookup", "from", "sku", "to", "keyspace_id", "autocommit", "true"),
                "corder"));
        assertThat(customer.tables().keySet()).containsExactly("customer", "corder", "country");
        TableDefinition corder = customer.tables().get("corder");
        assertThat(corder.columnVindexes()).containsExactly(ColumnVindexDefinition.of("customer_id", "hash"),
                ColumnVindexDefinition.of("sku", "corder_sku"));
        assertThat(corder.autoIncrement()).isEqualTo(new AutoIncrementDefinition("corder_id", "product.corder_seq"));
        assertThat(corder.autoIncrement().sequenceKeyspace()).isEqualTo("product");
        assertThat(corder.autoIncrement().sequenceTable()).isEqualTo("corder_seq");
        assertThat(corder.columns()).containsExactly(new ColumnDefinition("corder_id", "INT64"),
                new ColumnDefinition("sku", "VARBINARY"));
        assertThat(customer.tables().get("country").type()).isEqualTo(TableType.REFERENCE);
    }

    @Test
    void parsesTheUnshardedExample() {
        VSchema product = VSchema.parse(VSchemaExamples.PRODUCT);
        assertThat(product.sharded()).isFalse();
        assertThat(product.vindexes()).isEmpty();
        assertThat(product.tables().get("customer_seq")).isEqualTo(TableDefinition.of(TableType.SEQUENCE));
        assertThat(product.tables().get("product")).isEqualTo(TableDefinition.of(TableType.NORMAL));
        assertThat(VSchema.parse("{}")).isEqualTo(VSchema.unsharded(Map.of()));
    }

    @Test
    void roundTrips() {
        for (String json : List.of(VSchemaExamples.CUSTOMER, VSchemaExamples.PRODUCT, "{}")) {
            VSchema parsed = VSchema.parse(json);
            String written = parsed.toJson();
            assertThat(VSchema.parse(written)).isEqualTo(parsed);
            assertThat(VSchema.parse(written).toJson()).isEqualTo(written);
        }
    }

    @Test
    void writesSnakeCaseWithoutDefaults() {
        String json = VSchema.parse(VSchemaExamples.CUSTOMER).toJson();
        assertThat(json).contains("\"sharded\" : true", "\"column_vindexes\"", "\"auto_increment\"",
                "\"type\" : \"reference\"", "\"owner\" : \"corder\"");
        assertThat(VSchema.parse(VSchemaExamples.PRODUCT).toJson()).doesNotContain("sharded", "column_vindexes");
    }

    @Test
    void keepsTheMultiColumnFormAndTheCamelCaseNamesProtojsonTakes() {
        VSchema v = VSchema.parse("""
                {"sharded": true, "vindexes": {"lu": {"type": "lookup", "params": {"table": "t", "from": "a,b", "to": "k"}}},
                 "tables": {"t": {"columnVindexes": [{"columns": ["a", "b"], "name": "lu"}],
                                  "columnListAuthoritative": true, "pinned": "80"}},
                 "requireExplicitRouting": true}
                """);
        TableDefinition t = v.tables().get("t");
        assertThat(t.columnVindexes().getFirst().columnNames()).containsExactly("a", "b");
        assertThat(t.columnListAuthoritative()).isTrue();
        assertThat(t.pinned()).isEqualTo("80");
        assertThat(v.requireExplicitRouting()).isTrue();
        assertThat(VSchema.parse(v.toJson())).isEqualTo(v);
        assertThat(v.toJson()).contains("\"columns\" : [ \"a\", \"b\" ]", "\"require_explicit_routing\" : true");
    }

    @Test
    void refusesUnknownFieldsAsVitessDoes() {
        assertThatThrownBy(() -> VSchema.parse("{\"shardd\": true}")).isInstanceOf(VSchemaException.class)
                .hasMessage("unknown field \"shardd\" in the keyspace");
        assertThatThrownBy(() -> VSchema.parse("{\"tables\": {\"t\": {\"column_vindex\": []}}}"))
                .hasMessage("unknown field \"column_vindex\" in table t");
        assertThatThrownBy(() -> VSchema.parse("{\"vindexes\": {\"h\": {\"type\": \"hash\", \"param\": {}}}}"))
                .hasMessage("unknown field \"param\" in vindex h");
        assertThatThrownBy(() -> VSchema.parse(
                "{\"tables\": {\"t\": {\"column_vindexes\": [{\"column\": \"a\", \"nam\": \"h\"}]}}}"))
                .hasMessage("unknown field \"nam\" in a column vindex of table t");
    }

    @Test
    void refusesBadShapes() {
        assertThatThrownBy(() -> VSchema.parse("{\"sharded\": tru}")).isInstanceOf(VSchemaException.class)
                .hasMessageStartingWith("malformed vschema JSON");
        assertThatThrownBy(() -> VSchema.parse("[]")).hasMessageStartingWith("a vschema is a JSON object");
        assertThatThrownBy(() -> VSchema.parse("{\"sharded\": \"yes\"}"))
                .hasMessage("\"sharded\" of the keyspace must be true or false");
        assertThatThrownBy(() -> VSchema.parse("{\"sharded\": true, \"sharded\": false}"))
                .hasMessageContaining("Duplicate field 'sharded'");
        assertThatThrownBy(() -> VSchema.parse(
                "{\"vindexes\": {\"l\": {\"type\": \"lookup\", \"params\": {\"autocommit\": true}}}}"))
                .hasMessageStartingWith("param \"autocommit\" of vindex l must be a string");
        assertThatThrownBy(() -> VSchema.parse("{\"tables\": {\"t\": {\"type\": \"view\"}}}"))
                .hasMessage("unidentified table type view");
        assertThatThrownBy(() -> VSchema.parse(
                "{\"tables\": {\"t\": {\"column_vindexes\": [{\"column\": \"a\", \"columns\": [\"b\"], \"name\": \"h\"}]}}}"))
                .hasMessage("can't use column and columns at the same time in vindex (h) and table (t)");
        assertThatThrownBy(() -> VSchema.parse("{\"tables\": {\"t\": {\"column_vindexes\": [{\"name\": \"h\"}]}}}"))
                .hasMessage("must specify at least one column for vindex (h) and table (t)");
    }
}
