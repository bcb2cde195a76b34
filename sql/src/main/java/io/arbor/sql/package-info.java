/**
 * SQL text handling that needs no parser: lexing, statement splitting and classification, guard rails
 * and small rewrites for the MariaDB backend. Everything here is cheap enough for every query.
 */
package io.arbor.sql;
