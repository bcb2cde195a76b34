package io.arbor.query.vschema;

/**
 * Realistic vschemas after Vitess's examples (examples/local: the commerce / customer keyspaces): a sharded
 * {@code customer} keyspace with {@code hash} on customer_id, a {@code lookup_unique} on corder.sku, a reference table,
 * and the sequences in the unsharded {@code product} keyspace.
 */
final class VSchemaExamples {
    static final String PRODUCT = """
            {
              "tables": {
                "product": {},
                "customer_seq": {"type": "sequence"},
                "corder_seq": {"type": "sequence"},
                "corder_sku_lookup": {}
              }
            }
            """;

    static final String CUSTOMER = """
            {
              "sharded": true,
              "vindexes": {
                "hash": {"type": "hash"},
                "corder_sku": {
                  "type": "lookup_unique",
                  "params": {"table": "product.corder_sku_lookup", "from": "sku", "to": "keyspace_id", "autocommit": "true"},
                  "owner": "corder"
                }
              },
              "tables": {
                "customer": {
                  "column_vindexes": [{"column": "customer_id", "name": "hash"}],
                  "auto_increment": {"column": "customer_id", "sequence": "product.customer_seq"}
                },
                "corder": {
                  "column_vindexes": [
                    {"column": "customer_id", "name": "hash"},
                    {"column": "sku", "name": "corder_sku"}
                  ],
                  "auto_increment": {"column": "corder_id", "sequence": "product.corder_seq"},
                  "columns": [{"name": "corder_id", "type": "INT64"}, {"name": "sku", "type": "VARBINARY"}]
                },
                "country": {"type": "reference"}
              }
            }
            """;

    private VSchemaExamples() {
    }
}
