-- Known gateway bugs of the generated statements of DifferentialCorpus (seed 20261211, 300 statements): each a
-- "-- @gateway-bug(...) WHAT" line over the exact text the generator makes, so that DifferentialCorpus.generated marks
-- it as the hand-written files mark theirs. A temporary list: the test fails once a marked statement matches (remove
-- its entry with the fix) and when the generator no longer makes one.

-- generated #19 and #131
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event;
-- generated #20
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event WHERE kind = 'search' OR customer_id IS NULL OR JSON_VALUE(payload, '$.page') = '/p/1';
-- generated #24
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event WHERE JSON_VALUE(payload, '$.page') = '/cart';
-- generated #63
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event WHERE kind = 'purchase';
-- generated #120
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event WHERE JSON_VALUE(payload, '$.page') = '/p/1' OR JSON_VALUE(payload, '$.page') = '/cart' AND JSON_VALUE(payload, '$.ms') > 623;
-- generated #229
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event WHERE kind = 'click' OR JSON_VALUE(payload, '$.page') = '/p/1' AND JSON_EXTRACT(payload, '$.ok') = false;
-- generated #241
-- @gateway-bug(sharded4) a SUM of DOUBLE partials written as Java text ('99.0' where MariaDB writes '99')
SELECT COUNT(*), COUNT(payload), SUM(JSON_VALUE(payload, '$.ms')) FROM event WHERE JSON_EXTRACT(payload, '$.ok') = true OR kind = 'login' OR customer_id IN (66, 12);

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
