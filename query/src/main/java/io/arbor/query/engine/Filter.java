package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the rows of its input for which a condition holds (Vitess's {@code Filter}): a HAVING clause over the
 * aggregates the gateway recomputed, which no shard can evaluate on its partials. The condition is SQL's three-valued
 * logic over comparisons of a column with a literal: a NULL on either side makes a comparison unknown, an unknown row
 * is dropped, NOT of unknown is unknown. Numbers compare as numbers (a quoted literal against a number column is read
 * as a number, as MariaDB converts it), text by the column's collation ({@link Values}).
 *
 * @param input     the rows to filter
 * @param condition what a kept row satisfies
 */
public record Filter(Primitive input, Condition condition) implements Primitive {
    /** A condition over a row. */
    public sealed interface Condition {
        /** TRUE, FALSE or null for unknown. */
        Boolean test(List<Column> columns, Row row, Bindings bindings);

        /** How plans show it. */
        String show();
    }

    /** {@code column op literal}; the literal is SQL text or a bind variable ({@code :__a1}). */
    public record Compare(int column, String op, String literal) implements Condition {
        @Override
        public Boolean test(List<Column> columns, Row row, Bindings bindings) {
            String text = literal.startsWith(":__") ? bindings.value(literal.substring(1)) : literal;
            Object value = text == null ? null : text.equalsIgnoreCase("NULL") ? null : Pins.value(text);
            if (row.isNull(column) || value == null) {
                return null;
            }
            int c = compare(columns.get(column), row, value);
            return switch (op) {
                case "=" -> c == 0;
                case "<>", "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalStateException("comparison " + op);
            };
        }

        private int compare(Column type, Row row, Object value) {
            int code = type.type().code();
            boolean numeric = switch (code) {
                case FieldType.TINY, FieldType.SHORT, FieldType.LONG, FieldType.INT24, FieldType.LONGLONG, FieldType.YEAR,
                     FieldType.DECIMAL, FieldType.NEWDECIMAL, FieldType.FLOAT, FieldType.DOUBLE -> true;
                default -> false;
            };
            if (value instanceof byte[] b) { // a binary string literal (_binary'..'): compared as its text is
                value = new String(b, StandardCharsets.UTF_8);
            }
            if (numeric || value instanceof Number) {
                return number(row.text(column)).compareTo(value instanceof String s ? number(s) : new BigDecimal(value.toString()));
            }
            return Values.compareText(type.type().charset(), row.bytes(column), value.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** A text read as MariaDB reads a string as a number: its leading number, 0 when there is none. */
        private static BigDecimal number(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")
                    .matcher(s);
            return m.find() ? new BigDecimal(m.group().trim()) : BigDecimal.ZERO;
        }

        @Override
        public String show() {
            return ":" + column + " " + op + " " + literal;
        }
    }

    /** {@code column IS [NOT] NULL}. */
    public record IsNull(int column, boolean not) implements Condition {
        @Override
        public Boolean test(List<Column> columns, Row row, Bindings bindings) {
            return row.isNull(column) != not;
        }

        @Override
        public String show() {
            return ":" + column + (not ? " IS NOT NULL" : " IS NULL");
        }
    }

    /** {@code a AND b}, {@code a OR b}. */
    public record Logical(boolean and, Condition left, Condition right) implements Condition {
        @Override
        public Boolean test(List<Column> columns, Row row, Bindings bindings) {
            Boolean l = left.test(columns, row, bindings);
            if (and ? Boolean.FALSE.equals(l) : Boolean.TRUE.equals(l)) {
                return l;
            }
            Boolean r = right.test(columns, row, bindings);
            if (and ? Boolean.FALSE.equals(r) : Boolean.TRUE.equals(r)) {
                return r;
            }
            return l == null || r == null ? null : and;
        }

        @Override
        public String show() {
            return "(" + left.show() + (and ? " AND " : " OR ") + right.show() + ")";
        }
    }

    /** {@code NOT a}. */
    public record Not(Condition inner) implements Condition {
        @Override
        public Boolean test(List<Column> columns, Row row, Bindings bindings) {
            Boolean b = inner.test(columns, row, bindings);
            return b == null ? null : !b;
        }

        @Override
        public String show() {
            return "NOT " + inner.show();
        }
    }

    /** Validates. */
    public Filter {
        requireNonNull(input, "input is null");
        requireNonNull(condition, "condition is null");
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return input.execute(vcursor, bindings).thenApply(r -> {
            if (r.isError() || !r.hasColumns()) {
                return r;
            }
            List<Row> kept = new ArrayList<>();
            for (Row row : r.rows()) {
                if (Boolean.TRUE.equals(condition.test(r.columns(), row, bindings))) {
                    kept.add(row);
                }
            }
            return Result.rows(r.columns(), kept, r.completion());
        });
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return input.fields(vcursor, bindings);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Predicate", condition.show());
        return new Description("Filter", null, properties, List.of(input.describe()));
    }
}
