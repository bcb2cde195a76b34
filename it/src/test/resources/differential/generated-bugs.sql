-- Known gateway bugs of the generated statements of DifferentialCorpus (seed 20261211, 300 statements): each a
-- "-- @gateway-bug(...) WHAT" line over the exact text the generator makes, so that DifferentialCorpus.generated marks
-- it as the hand-written files mark theirs. A temporary list: the test fails once a marked statement matches (remove
-- its entry with the fix) and when the generator no longer makes one.


-- generated #66
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT id, customer_id, sku, price, qty, status, created FROM corder WHERE created < '2024-06-01' ORDER BY sku DESC, id DESC LIMIT 9 OFFSET 26;
-- generated #192
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(price), SUM(discount), MAX(created), MIN(sku) FROM corder WHERE price > 247 OR created >= '2024-07-01' AND created < '2024-11-01' GROUP BY sku;
-- generated #198
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(price), SUM(discount), MAX(created), MIN(sku) FROM corder WHERE price > 323 GROUP BY sku ORDER BY g DESC;
-- generated #258
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(*), SUM(price), MIN(price), MAX(price) FROM corder WHERE status = 'new' OR sku LIKE 'SKU-0%' OR customer_id BETWEEN 193 AND 235 GROUP BY sku;
-- generated #265
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(price), SUM(discount), MAX(created), MIN(sku) FROM corder WHERE status IN ('paid', 'shipped') OR customer_id BETWEEN 29 AND 182 AND price IS NULL GROUP BY sku;

-- generated #78
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT DISTINCT status FROM corder ORDER BY status;
-- generated #150
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT DISTINCT status FROM corder WHERE sku LIKE 'SKU-0%' AND customer_id BETWEEN 114 AND 265 ORDER BY status;
-- generated #161
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT DISTINCT status FROM corder WHERE price > 63 ORDER BY status;
-- generated #225
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT id, customer_id, sku, price, qty, status, created FROM corder ORDER BY status DESC, id;
-- generated #257
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT status AS g, COUNT(*), SUM(price), MIN(price), MAX(price) FROM corder WHERE status IN ('paid', 'cancelled') OR customer_id BETWEEN 57 AND 261 OR status = 'shipped' GROUP BY status;

-- generated #124
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'ZED10@' before 'alice19@'): groups split, order wrong
SELECT id, name, email, region, score, created FROM customer WHERE region IS NULL AND score BETWEEN -56 AND 31 ORDER BY email, id DESC LIMIT 18;

-- found after main's joins, subqueries, AVG and COUNT(DISTINCT) (f96cb1d..a321cba)
-- generated #48
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(*), AVG(price), SUM(qty), COUNT(DISTINCT customer_id) FROM corder WHERE customer_id IN (214, 295, 196) AND price > 232 GROUP BY sku ORDER BY g;
-- generated #94
-- @gateway-bug(sharded4) COUNT(DISTINCT) of utf8mb4_bin text counted in the gateway as if case-insensitive: 41 emails for 42, 22 SKUs for 21
SELECT id % 7 AS g, COUNT(email), COUNT(DISTINCT email), MAX(created) FROM customer GROUP BY id % 7 ORDER BY g LIMIT 17;
-- generated #126
-- @gateway-bug(sharded4) COUNT(DISTINCT) of utf8mb4_bin text counted in the gateway as if case-insensitive: 41 emails for 42, 22 SKUs for 21
SELECT DATE(created) AS g, SUM(price * qty), AVG(qty), COUNT(DISTINCT sku) FROM corder WHERE price IS NOT NULL GROUP BY DATE(created);
-- generated #127
-- @gateway-bug(sharded4) COUNT(DISTINCT) of utf8mb4_bin text counted in the gateway as if case-insensitive: 41 emails for 42, 22 SKUs for 21
SELECT id % 7 AS g, COUNT(email), COUNT(DISTINCT email), MAX(created) FROM customer GROUP BY id % 7 ORDER BY g DESC;
-- generated #129
-- @gateway-bug(sharded4) COUNT(DISTINCT) of an ENUM counted in the gateway by text, the shards sorting by index: 14 statuses for 5
SELECT COUNT(*), SUM(price), AVG(price), MIN(created), MAX(created), COUNT(DISTINCT status) FROM corder WHERE customer_id BETWEEN 13 AND 285;
-- generated #140
-- @gateway-bug(sharded4) COUNT(DISTINCT) of an ENUM counted in the gateway by text, the shards sorting by index: 14 statuses for 5
SELECT COUNT(*), SUM(price), AVG(price), MIN(created), MAX(created), COUNT(DISTINCT status) FROM corder;
-- generated #153
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT status AS g, COUNT(*), AVG(price), SUM(qty), COUNT(DISTINCT customer_id) FROM corder WHERE discount > 0.1 AND sku IS NULL GROUP BY status;
-- generated #155
-- @gateway-bug(sharded4) COUNT(DISTINCT) of an ENUM counted in the gateway by text, the shards sorting by index: 14 statuses for 5
SELECT COUNT(*), SUM(price), AVG(price), MIN(created), MAX(created), COUNT(DISTINCT status) FROM corder WHERE customer_id BETWEEN 70 AND 288 OR customer_id IN (111, 77, 229) AND status IN ('new', 'shipped');
-- generated #157
-- @gateway-bug(sharded4) COUNT(DISTINCT) of an ENUM counted in the gateway by text, the shards sorting by index: 14 statuses for 5
SELECT COUNT(*), SUM(price), AVG(price), MIN(created), MAX(created), COUNT(DISTINCT status) FROM corder WHERE created < '2024-10-01';
-- generated #187
-- @gateway-bug(sharded4) COUNT(DISTINCT) of an ENUM counted in the gateway by text, the shards sorting by index: 14 statuses for 5
SELECT COUNT(*), SUM(price), AVG(price), MIN(created), MAX(created), COUNT(DISTINCT status) FROM corder WHERE price > 102 AND price > 411;
-- generated #207
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT status AS g, COUNT(*), AVG(price), SUM(qty), COUNT(DISTINCT customer_id) FROM corder GROUP BY status ORDER BY g DESC LIMIT 3 OFFSET 1;
-- generated #219
-- @gateway-bug(sharded4) COUNT(DISTINCT) of utf8mb4_bin text counted in the gateway as if case-insensitive: 41 emails for 42, 22 SKUs for 21
SELECT qty AS g, SUM(price * qty), AVG(qty), COUNT(DISTINCT sku) FROM corder GROUP BY qty ORDER BY g;
-- generated #223
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(*), AVG(price), SUM(qty), COUNT(DISTINCT customer_id) FROM corder WHERE price BETWEEN 170 AND 392 GROUP BY sku ORDER BY g;
-- generated #224
-- @gateway-bug(sharded4) COUNT(DISTINCT) of utf8mb4_bin text counted in the gateway as if case-insensitive: 41 emails for 42, 22 SKUs for 21
SELECT id % 7 AS g, COUNT(email), COUNT(DISTINCT email), MAX(created) FROM customer GROUP BY id % 7 ORDER BY g DESC;

-- found after main's HAVING over combined aggregates (608b546)
-- generated #222
-- @gateway-bug(sharded4) ENUM values merged by their text, while each shard sorts them by index: groups split, order wrong
SELECT status AS g, COUNT(price), SUM(discount), MAX(created), MIN(sku) FROM corder WHERE price > 36 GROUP BY status HAVING COUNT(*) > 4;
-- generated #230
-- @gateway-bug(sharded4) utf8mb4_bin text merged as if case-insensitive (shards sort 'SKU-999' before 'sku-000'): groups split, order wrong
SELECT sku AS g, COUNT(*), AVG(price), SUM(qty), COUNT(DISTINCT customer_id) FROM corder WHERE price > 340 GROUP BY sku HAVING COUNT(*) > 4;
-- generated #266
-- @gateway-bug(sharded4) COUNT(DISTINCT) of utf8mb4_bin text counted in the gateway as if case-insensitive: 41 emails for 42, 22 SKUs for 21
SELECT YEAR(created) AS g, SUM(price * qty), AVG(qty), COUNT(DISTINCT sku) FROM corder WHERE sku > 'SKU-030' AND status = 'paid' GROUP BY YEAR(created) HAVING COUNT(*) > 3 ORDER BY g;
