package io.arbor.query.vschema;

import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.LookupVindex;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every validation error with its message; Vitess's wording is from go/vt/vtgate/vindexes/vschema.go. */
class VSchemaValidatorTest {
    private static final VSchema PRODUCT = VSchema.parse(VSchemaExamples.PRODUCT);
    private static final KeyspaceVSchemas OTHERS = KeyspaceVSchemas.of(Map.of("product", PRODUCT));

    private static ValidatedVSchema validate(String json) {
        return VSchemaValidator.validate(VSchema.parse(json), Map.of(), OTHERS);
    }

    private static String sharded(String vindexes, String tables) {
        return "{\"sharded\": true, \"vindexes\": {" + vindexes + "}, \"tables\": {" + tables + "}}";
    }

    @Test
    void theExamplesAreValidAndTheirVindexesCreated() {
        ValidatedVSchema customer = validate(VSchemaExamples.CUSTOMER);
        assertThat(customer.vindexes().get("hash")).isEqualTo(new HashVindex("hash"));
        assertThat(customer.vindexes().get("corder_sku")).isInstanceOf(LookupVindex.class);
        assertThat(VSchemaValidator.validate(PRODUCT).vindexes()).isEmpty();
    }

    @Test
    void unknownVindexType() {
        assertThatThrownBy(() -> validate(sharded("\"h\": {\"type\": \"hsah\"}", "")))
                .isInstanceOf(VSchemaException.class).hasMessageStartingWith("vindexType \"hsah\" not found for vindex h");
    }

    @Test
    void columnVindexNamingAnUndefinedVindex() {
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hahs\"}]}")))
                .hasMessage("vindex hahs not found for table t");
    }

    @Test
    void shardedTableWithoutColumnVindexes() {
        assertThatThrownBy(() -> validate(sharded("", "\"t\": {}"))).hasMessage("missing primary col vindex for table: t");
    }

    @Test
    void primaryVindexThatIsNotUnique() {
        assertThatThrownBy(() -> validate(sharded(
                "\"l\": {\"type\": \"consistent_lookup\", \"params\": {\"table\": \"lk\", \"from\": \"name\", \"to\": \"k\"}}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"name\", \"name\": \"l\"}]}")))
                .hasMessage("primary vindex l is not Unique for table t");
    }

    @Test
    void primaryVindexThatIsOwned() {
        assertThatThrownBy(() -> validate(sharded(
                "\"l\": {\"type\": \"lookup_unique\", \"params\": {\"table\": \"lk\", \"from\": \"sku\", \"to\": \"k\"}, \"owner\": \"t\"}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"sku\", \"name\": \"l\"}]}")))
                .hasMessage("primary vindex l cannot be owned for table t");
    }

    @Test
    void vindexesThatDoNotFitTheColumnType() {
        VSchema v = VSchema.parse(sharded("\"num\": {\"type\": \"numeric\"}, \"ul\": {\"type\": \"unicode_loose_md5\"}",
                "\"a\": {\"column_vindexes\": [{\"column\": \"email\", \"name\": \"num\"}]},"
                        + "\"b\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"ul\"}]}"));
        assertThatThrownBy(() -> VSchemaValidator.validate(v, Map.of("a", Map.of("EMAIL", "varchar(255)")), OTHERS))
                .hasMessage("wrong type of vindex defined in column `email`, expected `xxhash`, `binary`,"
                        + " `binary_md5`, `unicode_loose_md5` or `unicode_loose_xxhash`, got `numeric` (vindex num of"
                        + " table a: the column is varchar(255), and numeric takes integer columns)");
        assertThatThrownBy(() -> VSchemaValidator.validate(v, Map.of("a", Map.of("email", "bigint(20) unsigned"),
                "b", Map.of("id", "int(11)")), OTHERS))
                .hasMessage("wrong type of vindex defined in column `id`, expected `hash`, `xxhash`, `numeric`,"
                        + " `binary` or `binary_md5`, got `unicode_loose_md5` (vindex ul of table b: the column is"
                        + " int(11), and unicode_loose_md5 takes text columns (CHAR, VARCHAR, TEXT))");
        VSchemaValidator.validate(v, Map.of("a", Map.of("email", "bigint"), "b", Map.of("id", "varchar(32)")), OTHERS);
    }

    @Test
    void vindexColumnsMissingFromTheLiveTable() {
        VSchema v = VSchema.parse(VSchemaExamples.CUSTOMER);
        assertThatThrownBy(() -> VSchemaValidator.validate(v, Map.of("customer", Map.of("id", "bigint")), OTHERS))
                .hasMessage("column \"customer_id\" not found in table customer (vindex hash)");
        VSchemaValidator.validate(v, Map.of("customer", Map.of("customer_id", "bigint unsigned"),
                "corder", Map.of("customer_id", "bigint", "sku", "varbinary(128)", "corder_id", "bigint")), OTHERS);
    }

    @Test
    void declaredVitessColumnTypesAreCheckedWhenTheLiveSchemaIsNotGiven() {
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"email\", \"name\": \"hash\"}],"
                        + " \"columns\": [{\"name\": \"email\", \"type\": \"VARCHAR\"}]}")))
                .hasMessageStartingWith("wrong type of vindex defined in column `email`, expected `xxhash`,")
                .hasMessageEndingWith("got `hash` (vindex hash of table t: the column is VARCHAR, and hash takes integer columns)");
    }

    @Test
    void autoIncrementWhoseSequenceIsNotASequence() {
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}],"
                        + " \"auto_increment\": {\"column\": \"id\", \"sequence\": \"product.product\"}}")))
                .hasMessage("cannot resolve sequence product.product for table t: sequence table in vschema needs to"
                        + " be marked as sequence type (declare product with \"type\": \"sequence\" in keyspace product)");
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}],"
                        + " \"auto_increment\": {\"column\": \"id\", \"sequence\": \"product.t_seq\"}}")))
                .hasMessage("cannot resolve sequence product.t_seq: table t_seq not found");
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"t\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}],"
                        + " \"auto_increment\": {\"column\": \"id\", \"sequence\": \"lookup.t_seq\"}}")))
                .hasMessage("cannot resolve sequence lookup.t_seq: keyspace lookup not found in vschema");
    }

    @Test
    void unqualifiedSequenceInTheSameUnshardedKeyspace() {
        validate("{\"tables\": {\"t\": {\"auto_increment\": {\"column\": \"id\", \"sequence\": \"t_seq\"}},"
                + " \"t_seq\": {\"type\": \"sequence\"}}}");
        assertThatThrownBy(() -> validate("{\"tables\": {\"t\": {\"auto_increment\": {\"column\": \"id\", \"sequence\": \"t_seq\"}}}}"))
                .hasMessage("cannot resolve sequence t_seq: table t_seq not found");
    }

    @Test
    void bareSequenceNamesResolveInTheOneKeyspaceThatDeclaresThem() {
        String customer = sharded("\"hash\": {\"type\": \"xxhash\"}",
                "\"customer\": {\"column_vindexes\": [{\"column\": \"customer_id\", \"name\": \"hash\"}],"
                        + " \"auto_increment\": {\"column\": \"customer_id\", \"sequence\": \"customer_seq\"}}");
        validate(customer);
        KeyspaceVSchemas two = KeyspaceVSchemas.of(Map.of("product", PRODUCT, "product2", PRODUCT));
        assertThatThrownBy(() -> VSchemaValidator.validate(VSchema.parse(customer), Map.of(), two))
                .hasMessage("cannot resolve sequence customer_seq: ambiguous table reference: customer_seq"
                        + " (qualify it with its keyspace)");
        assertThatThrownBy(() -> VSchemaValidator.validate(VSchema.parse(customer)))
                .hasMessage("cannot resolve sequence customer_seq: table customer_seq not found");
    }

    @Test
    void sequenceInAShardedKeyspace() {
        assertThatThrownBy(() -> validate(sharded("", "\"s\": {\"type\": \"sequence\"}")))
                .hasMessage("sequence table has to be in an unsharded keyspace or must be pinned: s");
    }

    @Test
    void lookupVindexMissingParams() {
        assertThatThrownBy(() -> validate(sharded(
                "\"l\": {\"type\": \"lookup_unique\", \"params\": {\"table\": \"lk\", \"to\": \"k\"}}", "")))
                .hasMessageStartingWith("missing param \"from\" for lookup_unique vindex l");
    }

    @Test
    void referenceTableWithColumnVindexes() {
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"country\": {\"type\": \"reference\", \"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]}")))
                .hasMessage("reference table country cannot have column vindexes (vindex hash): a reference table is"
                        + " copied whole to every shard");
    }

    @Test
    void unshardedKeyspaceWithVindexesOnTables() {
        assertThatThrownBy(() -> validate("{\"vindexes\": {\"hash\": {\"type\": \"hash\"}},"
                + " \"tables\": {\"t\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]}}}"))
                .hasMessage("table t of an unsharded keyspace cannot have column vindexes (vindex hash): declare the"
                        + " keyspace \"sharded\": true to shard it");
    }

    @Test
    void duplicateColumnsBadPinsAndColumnCounts() {
        assertThatThrownBy(() -> validate("{\"tables\": {\"t\": {\"columns\": [{\"name\": \"a\"}, {\"name\": \"A\"}]}}}"))
                .hasMessage("duplicate column name 'A' for table: t");
        assertThatThrownBy(() -> validate(sharded("", "\"t\": {\"pinned\": \"zz\"}")))
                .hasMessage("could not decode the keyspace id for pin: 'zz' of table t is not hex");
        validate(sharded("", "\"t\": {\"pinned\": \"80\"}"));
        assertThatThrownBy(() -> validate(sharded("\"hash\": {\"type\": \"hash\"}",
                "\"t\": {\"column_vindexes\": [{\"columns\": [\"a\", \"b\"], \"name\": \"hash\"}]}")))
                .hasMessage("vindex hash (hash) maps 1 column(s) but table t gives it 2: [a, b]");
    }
}
