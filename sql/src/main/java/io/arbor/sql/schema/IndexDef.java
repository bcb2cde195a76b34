package io.arbor.sql.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One index as {@code SHOW CREATE TABLE} prints it.
 *
 * @param name the index name; {@code PRIMARY} for the primary key
 * @param options what follows the parts, as printed ({@code USING BTREE}, {@code COMMENT '...'}), or empty
 */
public record IndexDef(String name, Kind kind, List<Part> parts, String options) {

    /** The kinds of index, each with the words that introduce it. */
    public enum Kind {
        PRIMARY("PRIMARY KEY"), UNIQUE("UNIQUE KEY"), KEY("KEY"), FULLTEXT("FULLTEXT KEY"), SPATIAL("SPATIAL KEY");

        private final String keywords;

        Kind(String keywords) {
            this.keywords = keywords;
        }

        public String keywords() {
            return keywords;
        }
    }

    /** One indexed column, with its prefix length (null for the whole column) and direction. */
    public record Part(String column, Integer prefix, boolean descending) {
        public Part {
            requireNonNull(column, "column is null");
        }

        String render() {
            return Names.quote(column) + (prefix == null ? "" : "(" + prefix + ")") + (descending ? " DESC" : "");
        }
    }

    public static final String PRIMARY_NAME = "PRIMARY";

    public IndexDef {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        parts = List.copyOf(parts);
        options = options == null ? "" : options;
        if (parts.isEmpty()) {
            throw new SchemaException("index " + name + " has no columns");
        }
    }

    /** Whether the optimizer ignores this index (MariaDB 10.6's {@code IGNORED}, printed last). */
    public boolean ignored() {
        return options.equals("IGNORED") || options.endsWith(" IGNORED");
    }

    /** This index with or without {@code IGNORED}. */
    public IndexDef withIgnored(boolean ignored) {
        if (ignored == ignored()) {
            return this;
        }
        String next = ignored
                ? (options.isEmpty() ? "IGNORED" : options + " IGNORED")
                : options.substring(0, Math.max(0, options.length() - " IGNORED".length()));
        return new IndexDef(name, kind, parts, next);
    }

    public boolean unique() {
        return kind == Kind.PRIMARY || kind == Kind.UNIQUE;
    }

    /** As SHOW CREATE TABLE prints it, e.g. {@code UNIQUE KEY `u` (`a`(5),`b` DESC)}. */
    public String render() {
        String head = kind == Kind.PRIMARY ? kind.keywords() : kind.keywords() + " " + Names.quote(name);
        String cols = parts.stream().map(Part::render).collect(Collectors.joining(","));
        return head + " (" + cols + ")" + (options.isEmpty() ? "" : " " + options);
    }
}
