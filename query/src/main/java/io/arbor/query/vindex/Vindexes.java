package io.arbor.query.vindex;

import io.arbor.query.vschema.VSchemaException;
import io.arbor.query.vschema.VindexDefinition;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Creates a vschema's vindexes from their definitions (Vitess's {@code CreateVindex} and its registry), checking
 * the type exists and, for a lookup, its params.
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
                    .map(kind -> (Vindex) new LookupVindex(name, kind,
                            LookupParams.of(name, kind, definition.params()), definition.owner()))
                    .orElseThrow(() -> invalid("vindexType \"" + type + "\" not found for vindex " + name
                            + " (Arbor has " + String.join(", ", TYPES) + ")"));
        };
    }

    static VSchemaException invalid(String message) {
        return new VSchemaException(message);
    }
}
