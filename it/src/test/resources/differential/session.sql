-- Hand-written cases for DifferentialQueryIT that read what the previous statement left in the session: warnings,
-- errors, found rows, row counts. They run last and in this order, on the same connection per side as the rest, and
-- after the generated statements: FOUND_ROWS makes the gateway reserve a backend connection for the session, and
-- the other statements are to run on the pooled path.

-- ==== warnings and errors of the previous statement, as @@warning_count and @@error_count
-- two truncation warnings
SELECT CAST('12abc' AS UNSIGNED) AS n, CAST('x' AS SIGNED) AS m;
SELECT @@warning_count, @@error_count;
-- the previous SELECT raised nothing
SELECT @@warning_count, @@session.warning_count;
SELECT 1 / 0 AS x, CAST('2024-02-30' AS DATE) AS d;
SELECT @@warning_count AS warnings;
-- @error 1146
SELECT * FROM no_such_table;
SELECT @@warning_count, @@error_count;
-- a warning raised by a statement over the tables
SELECT id FROM customer WHERE created = '2024-13-45';
-- @gateway-bug(sharded4) @@warning_count after a scattered statement read on one shard's connection, not the statement's warnings
SELECT @@warning_count;

-- ==== ROW_COUNT() and LAST_INSERT_ID() after a result set
SELECT id FROM customer WHERE id < 3;
SELECT ROW_COUNT(), LAST_INSERT_ID();

-- ==== SQL_CALC_FOUND_ROWS and FOUND_ROWS(): the count of the previous statement
SELECT SQL_CALC_FOUND_ROWS id FROM customer WHERE id < 50 ORDER BY id LIMIT 3;
-- @gateway-bug(sharded4) FOUND_ROWS() after a scatter routed to one shard: that shard's count, not the statement's
SELECT FOUND_ROWS();
SELECT id FROM corder WHERE customer_id = 42 ORDER BY id LIMIT 2;
-- @gateway-bug(sharded4) FOUND_ROWS() after a single-shard route answered on another connection
SELECT FOUND_ROWS();
SELECT SQL_CALC_FOUND_ROWS status, COUNT(*) FROM corder GROUP BY status ORDER BY status LIMIT 1;
SELECT FOUND_ROWS() AS found;
-- and the rest still answers the same on the reserved connection
SELECT COUNT(*), SUM(price) FROM corder WHERE status = 'paid';
SELECT @@warning_count;
