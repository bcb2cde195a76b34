package io.arbor.query.vindex;

import io.arbor.query.vschema.VSchemaException;
import io.arbor.query.vschema.VindexDefinition;
import io.arbor.query.vschema.Vindexes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lookup vindex definitions, their params and the SQL they run (the statements' shapes are Vitess's lookup_internal.go). */
class LookupVindexTest {
    private static VindexDefinition lookup(String type, Map<String, String> params) {
        return new VindexDefinition(type, params, "corder");
    }

    @Test
    void lookupUniqueReadsItsParams() {
        LookupVindex v = (LookupVindex) Vindexes.create("corder_sku", lookup("lookup_unique",
                Map.of("table", "product.corder_sku_lookup", "from", "sku", "to", "keyspace_id", "autocommit", "true")));
        assertThat(v.unique()).isTrue();
        assertThat(v.cost()).isEqualTo(10);
        assertThat(v.owner()).isEqualTo("corder");
        assertThat(v.params()).isEqualTo(new LookupParams("product.corder_sku_lookup", List.of("sku"), "keyspace_id",
                true, false, false));
    }

    @Test
    void kindsHaveVitesssUniquenessAndCost() {
        Map<String, String> p = Map.of("table", "t", "from", "a", "to", "k");
        assertThat(Vindexes.create("v", lookup("consistent_lookup_unique", p))).matches(v -> v.unique() && v.cost() == 10);
        assertThat(Vindexes.create("v", lookup("consistent_lookup", p))).matches(v -> !v.unique() && v.cost() == 20);
        assertThat(Vindexes.create("v", lookup("lookup", p))).matches(v -> !v.unique() && v.cost() == 20);
    }

    @Test
    void statementsAreVitesss() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("table", "name_user_idx");
        p.put("from", "name, region");
        p.put("to", "keyspace_id");
        p.put("ignore_nulls", "true");
        LookupStatements s = ((LookupVindex) Vindexes.create("name_idx", lookup("consistent_lookup", p))).statements();
        assertThat(s.select()).isEqualTo("select name, keyspace_id from name_user_idx where name in ::name");
        assertThat(s.verify()).isEqualTo(
                "select name from name_user_idx where name = :name and keyspace_id = :keyspace_id");
        assertThat(s.insert(2)).isEqualTo("insert into name_user_idx(name, region, keyspace_id) values"
                + "(:name_0, :region_0, :keyspace_id_0), (:name_1, :region_1, :keyspace_id_1)");
        assertThat(s.insertIgnore(1)).startsWith("insert ignore into name_user_idx(");
        assertThat(s.delete()).isEqualTo(
                "delete from name_user_idx where name = :name and region = :region and keyspace_id = :keyspace_id");
    }

    @Test
    void missingAndMalformedParamsAreRefused() {
        assertThatThrownBy(() -> Vindexes.create("corder_sku", lookup("lookup_unique", Map.of("from", "sku", "to", "k"))))
                .isInstanceOf(VSchemaException.class)
                .hasMessage("missing param \"table\" for lookup_unique vindex corder_sku: a lookup vindex needs"
                        + " \"table\", \"from\" and \"to\"");
        assertThatThrownBy(() -> Vindexes.create("v", lookup("lookup", Map.of("table", "t", "to", "k"))))
                .hasMessageStartingWith("missing param \"from\" for lookup vindex v");
        assertThatThrownBy(() -> Vindexes.create("v", lookup("lookup", Map.of("table", "t", "from", "a"))))
                .hasMessageStartingWith("missing param \"to\" for lookup vindex v");
        assertThatThrownBy(() -> Vindexes.create("v", lookup("lookup",
                Map.of("table", "t", "from", "a", "to", "k", "autocommit", "yes"))))
                .hasMessage("autocommit value must be 'true' or 'false': 'yes'");
        assertThatThrownBy(() -> Vindexes.create("v", lookup("lookup",
                Map.of("table", "t", "from", "a", "to", "k", "ignore_null", "true"))))
                .hasMessageStartingWith("unknown param \"ignore_null\" for lookup vindex v");
    }

    @Test
    void unknownTypesAreRefusedWithVitesssMessage() {
        assertThatThrownBy(() -> Vindexes.create("v", VindexDefinition.of("hash2")))
                .isInstanceOf(VSchemaException.class)
                .hasMessageStartingWith("vindexType \"hash2\" not found for vindex v");
    }
}
