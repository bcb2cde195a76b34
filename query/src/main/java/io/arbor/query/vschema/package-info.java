/**
 * A keyspace's vschema in Vitess's own JSON format ({@link io.arbor.query.vschema.VSchema}: vindexes, tables, their
 * column vindexes, auto-increment sequences), read and written so a Vitess user brings theirs unchanged, and checked
 * by {@link io.arbor.query.vschema.VSchemaValidator} with Vitess's messages before anything routes by it, which also
 * creates its vindexes ({@link io.arbor.query.vschema.Vindexes}). The vindex functions themselves live in
 * {@code io.arbor.query.vindex}, which knows nothing of vschemas.
 */
package io.arbor.query.vschema;
