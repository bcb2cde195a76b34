package io.arbor.query.vschema;

/**
 * What a vschema table is, Vitess's {@code Table.type}: an ordinary table (sharded by its column vindexes in a sharded
 * keyspace), a reference table (a full copy on every shard, read anywhere) or a sequence (the row that hands out ids
 * for another table's auto-increment column, in an unsharded keyspace).
 */
public enum TableType {
    /** An ordinary table: {@code "type": ""} or no type at all. */
    NORMAL(""),
    /** {@code "type": "reference"}. */
    REFERENCE("reference"),
    /** {@code "type": "sequence"}. */
    SEQUENCE("sequence");

    private final String json;

    TableType(String json) {
        this.json = json;
    }

    /** The type as the JSON spells it ({@code ""} for an ordinary table). */
    public String json() {
        return json;
    }

    /**
     * The type the JSON names.
     *
     * @throws VSchemaException Vitess's {@code unidentified table type X} for anything else
     */
    public static TableType fromJson(String type) {
        for (TableType t : values()) {
            if (t.json.equals(type)) {
                return t;
            }
        }
        throw new VSchemaException("unidentified table type " + type);
    }
}
