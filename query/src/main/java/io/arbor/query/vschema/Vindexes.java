package io.arbor.query.vschema;

import io.arbor.query.vindex.BinaryMd5Vindex;
import io.arbor.query.vindex.BinaryVindex;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.LookupKind;
import io.arbor.query.vindex.LookupParams;
import io.arbor.query.vindex.LookupVindex;
import io.arbor.query.vindex.NumericVindex;
import io.arbor.query.vindex.UnicodeLooseVindex;
import io.arbor.query.vindex.Vindex;
import io.arbor.query.vindex.XxhashVindex;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Creates a vschema's vindexes from their definitions (Vitess's {@code CreateVindex} and its registry), checking
 * the type exists and, for a lookup, its params. Here rather than in {@code io.arbor.query.vindex} so that the
 * vindexes know nothing of vschemas.
 */
public final class Vindexes {
    /** Every vindex type Arbor creates, as a vschema names it. */
    public static final List<String> TYPES = List.of("hash", "xxhash", "numeric", "binary", "binary_md5",
            "unicode_loose_md5", "unicode_loose_xxhash", "lookup", "lookup_unique", "consistent_lookup",
            "consistent_lookup_unique");

    private Vindexes() {
    }

    /**
     * The vindex {@code name} the definition describes.
     *
     * @throws VSchemaException for an unknown type (Vitess's {@code vindexType "x" not found}) or a lookup's
     *         missing or malformed params
     */
    public static Vindex create(String name, VindexDefinition definition) {
        requireNonNull(name, "name is null");
        requireNonNull(definition, "definition is null");
        String type = definition.type();
        return switch (type) {
            case "hash" -> new HashVindex(name);
            case "xxhash" -> new XxhashVindex(name);
            case "numeric" -> new NumericVindex(name);
            case "binary" -> new BinaryVindex(name);
            case "binary_md5" -> new BinaryMd5Vindex(name);
            case "unicode_loose_md5" -> new UnicodeLooseVindex(name, UnicodeLooseVindex.Digest.MD5);
            case "unicode_loose_xxhash" -> new UnicodeLooseVindex(name, UnicodeLooseVindex.Digest.XXHASH);
            default -> LookupKind.ofType(type)
                    .map(kind -> lookup(name, kind, definition))
                    .orElseThrow(() -> new VSchemaException("vindexType \"" + type + "\" not found for vindex "
                            + name + " (Arbor has " + String.join(", ", TYPES) + ")"));
        };
    }

    private static Vindex lookup(String name, LookupKind kind, VindexDefinition definition) {
        try {
            return new LookupVindex(name, kind, LookupParams.parse(name, kind, definition.params()), definition.owner());
        } catch (IllegalArgumentException e) {
            throw new VSchemaException(e.getMessage(), e);
        }
    }
}
