-- Hand-written hard cases for DifferentialQueryIT: each runs on MariaDB (the oracle) and on the target, and the
-- answers must match (see DifferentialComparison for the rule). Tables: customer (vindex id), corder (vindex
-- customer_id, the same hash: co-located), event (on the 4-shard target, xxhash of its own id: not co-located),
-- product (a reference table). Rules for new cases: an ORDER BY before a LIMIT ends with a
-- unique key; an ORDER BY that may tie sorts on output columns; no NOW(), RAND(), DATABASE(), USER(), and no
-- GROUP_CONCAT without an ORDER BY inside; GROUP BY / DISTINCT on a _ci column shows only what ties agree on.
-- "-- @error N" above a statement: MariaDB answers it with error N, and so must the target.
-- "-- @gateway-bug(sharded4) WHAT" above a statement: a wrong answer of the 4-shard keyspace, reported and open (see
-- DifferentialCorpus); the test fails once it is fixed, so that the line goes with the fix.

-- ==== smoke: the dataset is there, row counts per table
SELECT COUNT(*) FROM customer;
SELECT COUNT(*) FROM corder;
SELECT COUNT(*) FROM product;
SELECT COUNT(*) FROM event;

-- ==== filters: point lookups on the vindex column, a missing key, a key of an orphan order
SELECT * FROM customer WHERE id = 17;
SELECT * FROM customer WHERE id = 100000;
SELECT * FROM corder WHERE customer_id = 42;
SELECT id, price FROM corder WHERE customer_id = 310;
-- equality on the vindex column written backwards and with an expression on the constant side
SELECT id FROM corder WHERE 42 = customer_id;
SELECT id FROM corder WHERE customer_id = 40 + 2;
-- filters on non-vindex columns: scatter in a sharded keyspace
SELECT id, customer_id, status FROM corder WHERE status = 'returned';
SELECT id FROM corder WHERE price < 0;
SELECT id, qty FROM corder WHERE qty < 0 AND price > 0;
SELECT id FROM corder WHERE status = 'paid' OR customer_id = 7;
SELECT id FROM corder WHERE NOT (status = 'paid' OR qty > 2);
SELECT id FROM customer WHERE score = -100 OR score = 100;
-- comparison with a string constant on an INT column, and an INT constant on a VARCHAR column
SELECT id FROM corder WHERE customer_id = '42';
SELECT sku FROM product WHERE sku = 0;

-- ==== IN lists: on the vindex column (several shards), with duplicates, with NULL, NOT IN with NULL
SELECT id, customer_id FROM corder WHERE customer_id IN (1, 2, 3, 150, 299);
SELECT id FROM customer WHERE id IN (5, 5, 5, 6);
SELECT id FROM customer WHERE id IN (5, NULL, 6);
SELECT id FROM customer WHERE id NOT IN (5, NULL, 6);
SELECT COUNT(*) FROM customer WHERE id NOT IN (1, 2, 3);
SELECT id FROM corder WHERE status IN ('new', 'cancelled') AND customer_id IN (10, 20, 30, 40, 50);
-- IN of row constructors
SELECT id FROM corder WHERE (customer_id, status) IN ((42, 'paid'), (7, 'new'), (8, 'shipped'));
-- IN on a _ci column matches across case and accents
SELECT id, name FROM customer WHERE name IN ('jose', 'zoe');

-- ==== BETWEEN: numbers, negative bounds, reversed bounds (empty), dates, strings
SELECT id, price FROM corder WHERE price BETWEEN -10 AND 10;
SELECT id FROM corder WHERE price BETWEEN 10 AND -10;
SELECT id FROM corder WHERE created BETWEEN '2024-06-01' AND '2024-06-01 23:59:59';
SELECT sku FROM product WHERE sku BETWEEN 'SKU-010' AND 'SKU-015';
SELECT id FROM customer WHERE id NOT BETWEEN 3 AND 298;
SELECT id FROM customer WHERE created BETWEEN '2024-01-01' AND '2024-12-31' AND region = 'us';

-- ==== LIKE: prefix, suffix, _ wildcard, escaped % and _, backslash, case in _ci and _bin columns, NOT LIKE
SELECT id, name FROM customer WHERE name LIKE 'jo%';
SELECT id, email FROM customer WHERE email LIKE 'jo%';
SELECT id, email FROM customer WHERE email LIKE '%@Example.COM';
SELECT id, name FROM customer WHERE name LIKE '_na%';
SELECT id, name FROM customer WHERE name LIKE 'Percent\%';
SELECT id, name FROM customer WHERE name LIKE 'Under\_score';
SELECT id, name FROM customer WHERE name LIKE 'Under|_score' ESCAPE '|';
SELECT id, name FROM customer WHERE name LIKE '%\\\\%';
SELECT id, name FROM customer WHERE name = 'Back\\slash';
SELECT sku FROM product WHERE sku LIKE 'sku%';
SELECT sku FROM product WHERE sku NOT LIKE 'SKU-0%';
SELECT sku, title FROM product WHERE title LIKE '%é%';
SELECT COUNT(*) FROM customer WHERE name NOT LIKE '%e%';

-- ==== collations: _ci equality folds case, accents and trailing spaces; _bin does not; BINARY and COLLATE
SELECT id, name FROM customer WHERE name = 'JOSE';
SELECT id, name FROM customer WHERE name = 'José';
SELECT id, name FROM customer WHERE BINARY name = 'José';
SELECT id, name FROM customer WHERE name = 'ana';
SELECT id, name FROM customer WHERE name = 'ana ' COLLATE utf8mb4_bin;
SELECT id, name FROM customer WHERE name COLLATE utf8mb4_unicode_ci = 'strasse';
SELECT id, name FROM customer WHERE name = 'strasse';
SELECT id, email FROM customer WHERE email = 'JOSE7@example.com';
SELECT id, email FROM customer WHERE email COLLATE utf8mb4_general_ci = 'jose7@example.com';
SELECT sku FROM product WHERE sku = 'sku-001';
SELECT sku FROM product WHERE sku COLLATE utf8mb4_general_ci = 'sku-001';
SELECT id, region FROM customer WHERE region = 'eu';
SELECT id, name FROM customer WHERE name = 'nandu';
SELECT id, name FROM customer WHERE name > 'Zed' ORDER BY name, id;
-- comparisons of literals under the connection collation
SELECT 'a' = 'A', 'a' = 'á', 'a ' = 'a', BINARY 'a' = 'A', 'ß' = 's', 'ß' = 'ss' COLLATE utf8mb4_unicode_ci;
SELECT STRCMP('abc', 'ABC'), STRCMP(BINARY 'abc', 'ABC');

-- ==== NULL handling: IS NULL, <=>, NULL in arithmetic, COALESCE/IFNULL/NULLIF, NULL vs the string 'NULL'
SELECT id FROM customer WHERE name IS NULL;
SELECT id FROM customer WHERE region IS NOT NULL AND score IS NULL;
SELECT id FROM customer WHERE region <=> NULL;
SELECT id FROM corder WHERE price = NULL;
SELECT id, price * qty, price + NULL FROM corder WHERE customer_id = 42;
SELECT id, COALESCE(name, email, 'nobody') AS who FROM customer WHERE name IS NULL OR email IS NULL;
SELECT id, IFNULL(score, -999) AS s, NULLIF(score, 0) AS nz FROM customer WHERE id <= 20;
SELECT NULL AS a, 'NULL' AS b, '' AS c, ' ' AS d;
SELECT id FROM event WHERE payload IS NULL;
SELECT COUNT(*), COUNT(name), COUNT(email), COUNT(region), COUNT(score), COUNT(created) FROM customer;

-- ==== aggregates over the whole table and over empty sets (COUNT 0, SUM/MIN/MAX/AVG NULL)
SELECT COUNT(*), SUM(price), MIN(price), MAX(price), AVG(price) FROM corder;
SELECT COUNT(*), SUM(price), MIN(price), MAX(price), AVG(price) FROM corder WHERE customer_id = -1;
SELECT COUNT(DISTINCT customer_id), COUNT(DISTINCT sku), COUNT(DISTINCT status) FROM corder;
SELECT COUNT(DISTINCT customer_id, status) FROM corder;
SELECT SUM(qty), AVG(qty), SUM(discount), AVG(discount), MIN(discount), MAX(discount) FROM corder;
SELECT MIN(created), MAX(created) FROM corder;
SELECT MIN(BINARY name), MAX(BINARY name), COUNT(*) FROM customer WHERE name IN ('Zed', 'zed');
SELECT MIN(email), MAX(email), MIN(sku) FROM customer JOIN product ON 1 = 1 WHERE customer.id < 3;
SELECT COUNT(*) FROM customer WHERE 1 = 0;
SELECT SUM(score) FROM customer WHERE 1 = 0;
SELECT MAX(id) FROM corder WHERE status = 'paid' AND status = 'new';
SELECT AVG(score), SUM(score), STD(score), VARIANCE(score) FROM customer WHERE score IS NOT NULL AND id <= 50;
SELECT BIT_OR(qty), BIT_AND(qty + 10), BIT_XOR(qty) FROM corder WHERE qty >= 0;

-- ==== GROUP BY: on the vindex column, not on it, on expressions, with NULL groups, with ORDER BY on aggregates
SELECT customer_id, COUNT(*), SUM(price) FROM corder GROUP BY customer_id;
SELECT status, COUNT(*), SUM(price), MIN(price), MAX(price), AVG(price) FROM corder GROUP BY status ORDER BY status;
SELECT sku, COUNT(*) AS n FROM corder GROUP BY sku ORDER BY n DESC, sku LIMIT 10;
SELECT sku, SUM(qty) FROM corder GROUP BY sku HAVING SUM(qty) > 40 ORDER BY sku;
SELECT YEAR(created) AS y, MONTH(created) AS m, COUNT(*) FROM corder GROUP BY y, m ORDER BY y, m;
SELECT DATE(created) AS d, COUNT(*) FROM corder GROUP BY DATE(created) ORDER BY COUNT(*) DESC, d LIMIT 5;
SELECT qty, COUNT(*), COUNT(DISTINCT customer_id) FROM corder GROUP BY qty ORDER BY qty;
SELECT score > 0 AS positive, COUNT(*) FROM customer GROUP BY score > 0;
SELECT customer_id, status, COUNT(*) FROM corder WHERE customer_id <= 20 GROUP BY customer_id, status ORDER BY customer_id, status;
SELECT UPPER(region) AS r, COUNT(*), AVG(score) FROM customer GROUP BY UPPER(region) ORDER BY r;
SELECT COUNT(*) FROM customer GROUP BY name;
SELECT COUNT(*) FROM customer GROUP BY email;
SELECT COUNT(*) AS n FROM customer GROUP BY region ORDER BY n;
SELECT discount, COUNT(*), SUM(discount) FROM corder GROUP BY discount ORDER BY discount;
SELECT customer_id, SUM(price * qty) AS total FROM corder GROUP BY customer_id ORDER BY total DESC, customer_id LIMIT 5;
SELECT customer_id, MAX(created) AS last FROM corder GROUP BY customer_id ORDER BY last DESC, customer_id LIMIT 10 OFFSET 5;
SELECT status, GROUP_CONCAT(id ORDER BY id SEPARATOR ',') FROM corder WHERE customer_id = 42 GROUP BY status;
SELECT customer_id, GROUP_CONCAT(DISTINCT status ORDER BY status) AS s FROM corder WHERE customer_id < 10 GROUP BY customer_id;
-- WITH ROLLUP: super-aggregate rows with NULL keys
SELECT status, COUNT(*) FROM corder GROUP BY status WITH ROLLUP;
-- GROUP BY an ordinal
SELECT status, COUNT(*) FROM corder GROUP BY 1;

-- ==== HAVING: on an aggregate not in the select list, on an alias, on a group column, that removes every group
SELECT customer_id FROM corder GROUP BY customer_id HAVING COUNT(*) >= 10;
SELECT customer_id, COUNT(*) AS n FROM corder GROUP BY customer_id HAVING n = 1 ORDER BY customer_id;
SELECT status, AVG(price) AS a FROM corder GROUP BY status HAVING a > 200 OR status = 'new';
SELECT customer_id FROM corder GROUP BY customer_id HAVING customer_id > 320;
SELECT status FROM corder GROUP BY status HAVING COUNT(*) > 100000;
SELECT customer_id, SUM(price) FROM corder GROUP BY customer_id HAVING SUM(price) < 0;
SELECT COUNT(*) FROM corder HAVING COUNT(*) > 0;

-- ==== DISTINCT: one column, several, with NULL, with ORDER BY and LIMIT, DISTINCT on a _ci column
SELECT DISTINCT status FROM corder;
SELECT DISTINCT customer_id FROM corder WHERE customer_id > 295 ORDER BY customer_id;
SELECT DISTINCT sku FROM corder ORDER BY sku LIMIT 5;
SELECT DISTINCT sku FROM corder ORDER BY sku DESC LIMIT 3 OFFSET 2;
SELECT DISTINCT qty, status FROM corder WHERE qty < 0;
SELECT DISTINCT score FROM customer ORDER BY score;
-- UPPER('josé') and UPPER('jose') are equal in _ci, so DISTINCT would keep either: compared in _bin
SELECT DISTINCT UPPER(name) COLLATE utf8mb4_bin AS upper_name FROM customer WHERE name LIKE 'j%';
SELECT COUNT(*) FROM (SELECT DISTINCT name FROM customer) t;
SELECT DISTINCT email IS NULL AS no_email FROM customer;

-- ==== ORDER BY + LIMIT/OFFSET: unique keys, ties broken by the key, DESC, NULLs first/last, expressions, ordinals
SELECT id, price FROM corder ORDER BY price DESC, id LIMIT 10;
SELECT id, price FROM corder ORDER BY price, id LIMIT 10;
SELECT id, price FROM corder ORDER BY price IS NULL, price, id LIMIT 5;
SELECT id, created FROM corder ORDER BY created, id LIMIT 8;
SELECT id, created FROM corder ORDER BY created DESC, id DESC LIMIT 5 OFFSET 10;
SELECT id, created FROM corder WHERE created = '2024-06-01 12:00:00' ORDER BY created;
SELECT id, name FROM customer ORDER BY name, id LIMIT 20;
SELECT id, name FROM customer ORDER BY name DESC, id DESC LIMIT 15;
SELECT id, email FROM customer ORDER BY email, id LIMIT 12;
SELECT id, region, score FROM customer ORDER BY region, score, id LIMIT 25;
SELECT id, score FROM customer ORDER BY 2 DESC, 1 LIMIT 10;
SELECT id, price * qty AS total FROM corder ORDER BY total DESC, id LIMIT 10;
SELECT id, qty FROM corder ORDER BY ABS(qty) DESC, id LIMIT 7;
SELECT id FROM customer ORDER BY id LIMIT 0;
SELECT id FROM customer ORDER BY id LIMIT 5 OFFSET 298;
SELECT id FROM customer ORDER BY id LIMIT 3, 4;
SELECT id FROM customer ORDER BY id DESC LIMIT 1;
SELECT status, id FROM corder WHERE customer_id = 42 ORDER BY status, id;
-- an ORDER BY with ties and no LIMIT: compared within ties
SELECT status, customer_id FROM corder WHERE customer_id < 30 ORDER BY status;
SELECT name FROM customer ORDER BY name;
SELECT region FROM customer ORDER BY region DESC;
-- ENUM columns sort by index, not by text
SELECT DISTINCT status FROM corder ORDER BY status DESC;
SELECT DISTINCT status FROM corder ORDER BY CAST(status AS CHAR);
-- LIMIT without ORDER BY on a one-row answer is deterministic
SELECT COUNT(*) FROM corder LIMIT 1;

-- ==== joins on the vindex column (same shard) and not (cross-shard), inner and left, reference table
SELECT c.id, c.name, o.id AS order_id, o.price FROM customer c JOIN corder o ON o.customer_id = c.id WHERE c.id = 42;
SELECT c.id, COUNT(o.id) FROM customer c LEFT JOIN corder o ON o.customer_id = c.id GROUP BY c.id HAVING COUNT(o.id) = 0;
SELECT o.id, o.customer_id FROM corder o LEFT JOIN customer c ON c.id = o.customer_id WHERE c.id IS NULL;
SELECT o.id, c.name FROM corder o JOIN customer c ON c.id = o.customer_id WHERE o.status = 'returned' AND c.region = 'EU';
SELECT UPPER(c.region) AS region, COUNT(*), SUM(o.price) FROM customer c JOIN corder o ON o.customer_id = c.id GROUP BY UPPER(c.region);
SELECT o.id, p.title, p.category FROM corder o JOIN product p ON p.sku = o.sku WHERE o.customer_id IN (1, 2, 3);
SELECT o.id, o.sku, p.sku FROM corder o LEFT JOIN product p ON p.sku = o.sku WHERE p.sku IS NULL;
SELECT p.category COLLATE utf8mb4_bin AS category, COUNT(o.id), SUM(o.qty) FROM product p LEFT JOIN corder o ON o.sku = p.sku GROUP BY p.category COLLATE utf8mb4_bin;
SELECT p.sku, COUNT(o.id) AS n FROM product p LEFT JOIN corder o ON o.sku = p.sku GROUP BY p.sku ORDER BY n, p.sku LIMIT 10;
-- join not on the vindex: customers sharing an email (a self-join across shards)
SELECT a.id, b.id FROM customer a JOIN customer b ON b.email = a.email AND b.id > a.id WHERE a.id < 100;
-- join through a _ci column: names equal up to case and accents
SELECT a.id, b.id FROM customer a JOIN customer b ON a.name = b.name AND a.id < b.id WHERE a.name LIKE 'z%';
-- join of two sharded tables on customer_id: event and corder of the same customer
SELECT e.id AS event_id, o.id AS order_id FROM event e JOIN corder o ON o.customer_id = e.customer_id WHERE e.customer_id = 42;
SELECT COUNT(*) FROM event e JOIN corder o ON o.customer_id = e.customer_id;
-- three tables
SELECT c.id, c.name, o.id AS order_id, p.title FROM customer c JOIN corder o ON o.customer_id = c.id JOIN product p ON p.sku = o.sku WHERE c.id IN (10, 11, 12) ORDER BY o.id;
-- a join condition in WHERE (comma join), and a left join whose ON filters the right side
SELECT c.id, o.id FROM customer c, corder o WHERE o.customer_id = c.id AND c.id = 7;
SELECT c.id, o.id, o.status FROM customer c LEFT JOIN corder o ON o.customer_id = c.id AND o.status = 'new' WHERE c.id BETWEEN 1 AND 15;
-- USING and NATURAL-style join columns: the label of the merged column
SELECT * FROM customer c JOIN (SELECT customer_id AS id, COUNT(*) AS n FROM corder GROUP BY customer_id) t USING (id) WHERE id < 10;
-- cross join with a small reference table and LIMIT
SELECT c.id, p.sku FROM customer c CROSS JOIN product p WHERE c.id = 1 ORDER BY p.sku LIMIT 5;
-- STRAIGHT_JOIN
SELECT c.id, o.id FROM customer c STRAIGHT_JOIN corder o ON o.customer_id = c.id WHERE c.id = 3;

-- ==== subqueries: IN, NOT IN with NULL in the subquery, EXISTS, NOT EXISTS, scalar, correlated, derived tables
SELECT id, name FROM customer WHERE id IN (SELECT customer_id FROM corder WHERE status = 'returned' AND price > 400);
SELECT COUNT(*) FROM customer WHERE id NOT IN (SELECT customer_id FROM corder);
SELECT COUNT(*) FROM corder WHERE customer_id NOT IN (SELECT customer_id FROM event);
SELECT COUNT(*) FROM corder WHERE customer_id NOT IN (SELECT customer_id FROM event WHERE customer_id IS NOT NULL);
SELECT id FROM customer c WHERE EXISTS (SELECT 1 FROM corder o WHERE o.customer_id = c.id AND o.qty < 0);
SELECT id FROM customer c WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.customer_id = c.id);
SELECT id, (SELECT COUNT(*) FROM corder o WHERE o.customer_id = c.id) AS orders FROM customer c WHERE id <= 30;
SELECT id, (SELECT MAX(price) FROM corder o WHERE o.customer_id = c.id) AS top FROM customer c WHERE id BETWEEN 100 AND 120;
SELECT (SELECT COUNT(*) FROM customer) AS customers, (SELECT COUNT(*) FROM corder) AS orders, (SELECT MAX(id) FROM event) AS last_event;
SELECT id, price FROM corder WHERE price > (SELECT AVG(price) * 2 FROM corder);
SELECT id, price FROM corder o WHERE price = (SELECT MAX(price) FROM corder i WHERE i.customer_id = o.customer_id) AND customer_id < 20;
SELECT t.customer_id, t.n FROM (SELECT customer_id, COUNT(*) AS n FROM corder GROUP BY customer_id) t WHERE t.n > 8 ORDER BY t.n DESC, t.customer_id;
SELECT AVG(n), MAX(n), MIN(n) FROM (SELECT customer_id, COUNT(*) AS n FROM corder GROUP BY customer_id) t;
SELECT t.status, t.total FROM (SELECT status, SUM(price) AS total FROM corder GROUP BY status) t ORDER BY t.total DESC, t.status;
SELECT id FROM customer WHERE score > ALL (SELECT score FROM customer WHERE region = 'apac' AND score IS NOT NULL);
SELECT id FROM customer WHERE score = ANY (SELECT qty FROM corder WHERE customer_id = 42);
-- a scalar subquery that returns several rows
-- @error 1242
SELECT id, (SELECT id FROM corder o WHERE o.customer_id = c.id) FROM customer c WHERE id = 42;
-- a subquery with ORDER BY and LIMIT inside IN: MariaDB refuses it, so must the target
-- @error 1235
SELECT id FROM customer WHERE id IN (SELECT customer_id FROM corder ORDER BY price DESC LIMIT 3);
-- the same via a derived table, which MariaDB accepts
SELECT id FROM customer WHERE id IN (SELECT customer_id FROM (SELECT customer_id FROM corder ORDER BY price DESC, id LIMIT 3) t);
-- a common table expression, and a recursive one
WITH big AS (SELECT customer_id, SUM(price) AS s FROM corder GROUP BY customer_id) SELECT c.id, c.name, big.s FROM customer c JOIN big ON big.customer_id = c.id ORDER BY big.s DESC, c.id LIMIT 5;
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i, (SELECT COUNT(*) FROM corder WHERE qty = i) AS orders FROM n;

-- ==== UNION, UNION ALL, INTERSECT, EXCEPT, with ORDER BY and LIMIT over the whole
SELECT customer_id FROM corder WHERE qty < 0 UNION SELECT customer_id FROM event WHERE kind = 'purchase';
SELECT customer_id FROM corder WHERE customer_id < 5 UNION ALL SELECT customer_id FROM event WHERE customer_id < 5;
SELECT id, 'customer' AS src FROM customer WHERE id < 4 UNION ALL SELECT id, 'order' FROM corder WHERE id < 4 ORDER BY id, src;
SELECT customer_id AS c FROM corder UNION SELECT customer_id FROM event ORDER BY c DESC LIMIT 5;
(SELECT id FROM customer ORDER BY id LIMIT 2) UNION ALL (SELECT id FROM customer ORDER BY id DESC LIMIT 2);
SELECT customer_id FROM corder INTERSECT SELECT customer_id FROM event;
SELECT id FROM customer EXCEPT SELECT customer_id FROM corder;
SELECT email FROM customer WHERE id < 50 UNION SELECT sku FROM product;
SELECT NULL AS x UNION SELECT NULL UNION SELECT 'NULL';
-- column types widen across the branches of a UNION
SELECT 1 AS v UNION ALL SELECT 2.5 UNION ALL SELECT 'x';

-- ==== expressions, arithmetic, casts, integer division, modulo of negatives, DECIMAL precision
SELECT id, price * qty AS total, price / 3, price DIV 3, qty % 3, -qty, ROUND(price, 1), TRUNCATE(price, 0) FROM corder WHERE customer_id = 42;
SELECT 7 / 2, 7 DIV 2, -7 DIV 2, -7 % 3, 7 % -3, MOD(-7, 3), 1 / 0, 0.1 + 0.2, 1e0 / 3;
SELECT CAST(price AS SIGNED), CAST(qty AS CHAR), CAST('12abc' AS UNSIGNED), CAST(created AS DATE) FROM corder WHERE id <= 5;
SELECT id, price, price + 0.001, price * 1.0000001 FROM corder WHERE id IN (1, 2, 3);
SELECT ABS(-5), SIGN(-3), CEIL(-1.5), FLOOR(-1.5), ROUND(-2.5), ROUND(2.5), POW(2, 10), SQRT(2), GREATEST(1, 5, 3), LEAST('b', 'a', 'C');
SELECT 18446744073709551615 + 0, -9223372036854775808, 9223372036854775807 - 1, 1.5e308 * 1;
SELECT id, score, score BETWEEN -10 AND 10 AS small, score IN (1, 2, 3) AS tiny, score IS NULL AS missing FROM customer WHERE id <= 12;

-- ==== strings: concatenation, case, length of multibyte text, substrings, padding, replace, hex
SELECT id, CONCAT(name, ' <', email, '>') AS who, CONCAT_WS('/', region, name) AS path FROM customer WHERE id <= 15;
SELECT id, UPPER(name), LOWER(name), LENGTH(name), CHAR_LENGTH(name), HEX(name) FROM customer WHERE id <= 25;
SELECT id, SUBSTRING(email, 1, 4), LEFT(name, 2), RIGHT(name, 2), LOCATE('@', email), SUBSTRING_INDEX(email, '@', -1) FROM customer WHERE id <= 15;
SELECT LPAD(id, 5, '0'), RPAD(name, 8, '.'), TRIM(name), CONCAT('[', name, ']'), REVERSE(name), REPEAT('ab', 3) FROM customer WHERE id <= 10;
SELECT REPLACE(sku, '-', ''), INSTR(title, 'o'), FIELD(category, 'books', 'toys'), ELT(2, 'a', 'b', 'c') FROM product WHERE sku < 'SKU-010';
SELECT 'é', 'ß', '李伟', '🌳', CHAR_LENGTH('🌳'), LENGTH('🌳'), HEX('é'), _latin1 'abc', N'nat';
SELECT 'it''s', 'back\\slash', 'tab\there', 'quote"d', 'percent %', 'nul\0byte' = 'nul';
SELECT 'a->b' AS arrow, 'x->>''$.y''' AS arrow2, 'FOR SHARE' AS lock_text, 'current_user()' AS fn, 'transaction_isolation' AS var;
SELECT COUNT(*) AS `update`, MAX(id) AS `of`, MIN(id) AS `share` FROM corder;
SELECT id AS `select`, name AS `Mixed Case Label`, email AS "double quoted", score AS 'single quoted' FROM customer WHERE id = 1;

-- ==== CASE, IF, boolean expressions
SELECT id, CASE WHEN price IS NULL THEN 'none' WHEN price < 0 THEN 'refund' WHEN price < 100 THEN 'small' ELSE 'big' END AS bucket FROM corder WHERE customer_id BETWEEN 40 AND 45;
SELECT CASE status WHEN 'paid' THEN 1 WHEN 'shipped' THEN 2 ELSE 0 END AS code, COUNT(*) FROM corder GROUP BY code ORDER BY code;
SELECT SUM(CASE WHEN status = 'returned' THEN 1 ELSE 0 END) AS returned, SUM(IF(qty < 0, 1, 0)) AS negative, SUM(price > 100) AS big FROM corder;
SELECT id, IF(score > 0, 'pos', IF(score < 0, 'neg', 'zero')) AS sign FROM customer WHERE id <= 20;
-- @gateway-bug(parameterized, sharded4) the label of an expression with a parameter shows the bound value ('score > 0'; MariaDB: 'score > ?'): an EXECUTE on shards runs as text
SELECT id, score > 0 AND region = 'eu', score > 0 OR NULL, NOT score, score XOR 1 FROM customer WHERE id <= 10;
SELECT customer_id, COUNT(CASE WHEN status = 'paid' THEN 1 END) AS paid, COUNT(CASE WHEN status = 'new' THEN 1 END) AS fresh FROM corder WHERE customer_id <= 10 GROUP BY customer_id;

-- ==== dates: parts, formatting, arithmetic, differences, DATETIME vs DATE comparisons, invalid input
SELECT id, YEAR(created), MONTH(created), DAY(created), DAYOFWEEK(created), HOUR(created), WEEK(created), QUARTER(created) FROM corder WHERE id <= 10;
SELECT id, DATE_FORMAT(created, '%Y-%m-%d %H:%i'), DATE_FORMAT(created, '%W %M %D'), DATE(created), TIME(created) FROM corder WHERE id <= 10;
SELECT id, DATE_ADD(created, INTERVAL 1 MONTH), DATE_SUB(created, INTERVAL 36 HOUR), created + INTERVAL 1 DAY, LAST_DAY(created) FROM corder WHERE id <= 10;
SELECT id, DATEDIFF(created, '2024-01-01'), TIMESTAMPDIFF(HOUR, '2024-01-01', created), TO_DAYS(created), UNIX_TIMESTAMP(created) FROM corder WHERE id <= 10;
SELECT c.id, DATEDIFF(MIN(o.created), c.created) FROM customer c JOIN corder o ON o.customer_id = c.id WHERE c.id <= 10 GROUP BY c.id, c.created;
SELECT id FROM corder WHERE created > '2024-06-01' AND created < '2024-06-02';
SELECT id FROM customer WHERE created = '2024-02-30';
SELECT STR_TO_DATE('01/12/2026', '%d/%m/%Y'), MAKEDATE(2024, 60), DATE('2024-02-29') + INTERVAL 1 YEAR, DAYNAME('2026-12-01'), FROM_DAYS(739000);
SELECT DATE_FORMAT(created, '%Y-%m') AS month, COUNT(*), SUM(price) FROM corder WHERE created IS NOT NULL GROUP BY month ORDER BY month;
SELECT id, created FROM customer WHERE created >= '2025-12-01' ORDER BY created, id;

-- ==== JSON functions: extract, unquote, value, types, lengths, contains, search, keys, building documents
SELECT id, JSON_EXTRACT(payload, '$.page'), JSON_UNQUOTE(JSON_EXTRACT(payload, '$.page')), JSON_VALUE(payload, '$.ms') FROM event WHERE id <= 20;
SELECT id, payload FROM event WHERE id <= 12;
SELECT id, JSON_TYPE(payload), JSON_LENGTH(payload), JSON_DEPTH(payload), JSON_VALID(payload) FROM event WHERE id <= 20;
SELECT id, JSON_EXTRACT(payload, '$.tags[0]'), JSON_EXTRACT(payload, '$.tags[1]'), JSON_EXTRACT(payload, '$[2]') FROM event WHERE id <= 25;
SELECT id FROM event WHERE JSON_CONTAINS(payload, '"a"', '$.tags');
SELECT id FROM event WHERE JSON_CONTAINS_PATH(payload, 'one', '$.nested.depth');
SELECT id, JSON_SEARCH(payload, 'one', 'b') FROM event WHERE JSON_SEARCH(payload, 'one', 'b') IS NOT NULL;
SELECT id, JSON_KEYS(payload) FROM event WHERE JSON_TYPE(payload) = 'OBJECT' AND id <= 15;
SELECT LOWER(JSON_VALUE(payload, '$.page')) AS page, COUNT(*), SUM(JSON_VALUE(payload, '$.ms')) AS ms FROM event GROUP BY page ORDER BY page;
SELECT UPPER(kind) AS kind, COUNT(*) FROM event WHERE JSON_EXTRACT(payload, '$.ok') = true GROUP BY UPPER(kind);
SELECT id, JSON_OBJECT('id', id, 'kind', kind), JSON_ARRAY(id, kind, NULL), JSON_QUOTE(kind) FROM event WHERE id <= 5;
SELECT id, JSON_SET(payload, '$.ms', 0), JSON_REMOVE(payload, '$.tags'), JSON_MERGE_PATCH(payload, '{"x": 1}') FROM event WHERE id <= 5 AND JSON_TYPE(payload) = 'OBJECT';
SELECT JSON_VALUE(payload, '$.amount') AS amount FROM event WHERE JSON_VALUE(payload, '$.amount') < 0;
SELECT customer_id, JSON_ARRAYAGG(id ORDER BY id) FROM event WHERE customer_id IN (42, 43) GROUP BY customer_id;
SELECT JSON_EXTRACT('{"a": {"b": [1, 2, {"c": "d"}]}}', '$.a.b[2].c'), JSON_EXTRACT('[1, 2]', '$[5]'), JSON_VALID('{bad'), JSON_COMPACT('{ "a" : 1 }');
SELECT t.tag, COUNT(*) FROM event e, JSON_TABLE(e.payload, '$.tags[*]' COLUMNS (tag VARCHAR(8) PATH '$')) t GROUP BY t.tag;

-- ==== window functions (a sharded planner will likely refuse these: 1235 is then allowed)
SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY id) AS rn FROM corder WHERE customer_id <= 5;
SELECT id, price, RANK() OVER (ORDER BY price DESC) AS r FROM corder WHERE customer_id = 42;
SELECT customer_id, id, SUM(price) OVER (PARTITION BY customer_id ORDER BY id ROWS UNBOUNDED PRECEDING) AS running FROM corder WHERE customer_id IN (1, 2);
SELECT id, LAG(id) OVER (ORDER BY id) AS prev, LEAD(id, 2) OVER (ORDER BY id) AS next2 FROM customer WHERE id <= 10;

-- ==== errors: the same error number on both sides is a match
-- @error 1054
SELECT no_such_column FROM customer;
-- @error 1146
SELECT * FROM no_such_table;
-- @error 1064
SELECT FROM customer WHERE;
-- @error 1052
SELECT id FROM customer c JOIN corder o ON o.customer_id = c.id;
-- @error 1222
SELECT id FROM customer UNION SELECT id, name FROM customer;
-- @error 1111
SELECT id FROM customer WHERE COUNT(*) > 1;

-- ==== miscellany: SELECT without FROM, DUAL, comments and hints in the text, locking reads, system variables the app reads
SELECT 1, 'two', 3.0, NULL, TRUE, FALSE, X'41', 0x42, b'101';
SELECT 1 + 1 FROM DUAL;
SELECT /* a comment */ COUNT(*) /*! , 1 */ FROM corder -- trailing comment
WHERE qty > 5;
SELECT SQL_NO_CACHE COUNT(*) FROM customer;
SELECT HIGH_PRIORITY id FROM customer WHERE id = 2;
SELECT id FROM customer WHERE id = 9 FOR UPDATE;
SELECT id FROM customer WHERE id = 9 LOCK IN SHARE MODE;
-- a space between a function name and its parenthesis: MariaDB Connector/J sets CLIENT_IGNORE_SPACE, which puts
-- IGNORE_SPACE into the session's sql_mode, so the server reads these as the functions
SELECT COUNT (*), MAX (id) FROM corder;
SELECT SUBSTRING ('abcdef', 2, 3), CONCAT ('a', 'b');
SELECT @@sql_mode, @@character_set_client, @@collation_connection, @@time_zone, @@div_precision_increment, @@max_allowed_packet > 0;
SELECT COALESCE(@undefined_user_variable, 'unset'), @@autocommit, @@session.tx_isolation;
SELECT id, name FROM customer USE INDEX (PRIMARY) WHERE id < 4;
SELECT id FROM customer FORCE INDEX (region) WHERE region = 'latam' ORDER BY id;

-- ==== sharded planner, joins on the vindex column (customer and corder share a shard), with GROUP BY, ORDER BY, LIMIT
SELECT c.id, c.name, COUNT(o.id) AS orders FROM customer c JOIN corder o ON o.customer_id = c.id WHERE c.id IN (5, 50, 150, 250) GROUP BY c.id, c.name ORDER BY c.id;
SELECT o.id, o.status, c.region FROM corder o JOIN customer c ON c.id = o.customer_id WHERE o.customer_id = 77 ORDER BY o.id;
SELECT UPPER(c.region) AS r, COUNT(*) AS n, SUM(o.qty) AS qty FROM customer c JOIN corder o ON o.customer_id = c.id WHERE c.region IS NOT NULL GROUP BY UPPER(c.region) ORDER BY n DESC, r LIMIT 3;
SELECT c.id, o.id AS order_id FROM customer c LEFT JOIN corder o ON o.customer_id = c.id AND o.qty < 0 WHERE c.id BETWEEN 20 AND 40 ORDER BY c.id, order_id;
SELECT c.id, SUM(o.price * o.qty) AS spent FROM customer c JOIN corder o ON o.customer_id = c.id GROUP BY c.id ORDER BY spent DESC, c.id LIMIT 5;

-- ==== sharded planner, joins with the reference table (product is on every shard)
SELECT p.category COLLATE utf8mb4_bin AS category, COUNT(*) AS n FROM corder o JOIN product p ON p.sku = o.sku WHERE o.status = 'paid' GROUP BY p.category COLLATE utf8mb4_bin ORDER BY n DESC, category LIMIT 4;
SELECT o.id, p.title FROM corder o JOIN product p ON p.sku = o.sku WHERE o.customer_id = 12 ORDER BY o.id;
SELECT c.id, p.sku FROM customer c JOIN corder o ON o.customer_id = c.id JOIN product p ON p.sku = o.sku WHERE p.list_price > 250 ORDER BY c.id, p.sku;
SELECT AVG(p.list_price), COUNT(DISTINCT o.customer_id) FROM corder o JOIN product p ON p.sku = o.sku WHERE o.qty > 8;

-- ==== sharded planner, joins not on the vindex (event is sharded by its own id, so its rows of a customer are anywhere)
SELECT e.id, e.kind, c.name FROM event e JOIN customer c ON c.id = e.customer_id WHERE e.id <= 30 ORDER BY e.id;
SELECT c.id, COUNT(e.id) AS events FROM customer c LEFT JOIN event e ON e.customer_id = c.id WHERE c.id <= 25 GROUP BY c.id ORDER BY c.id;
SELECT e.kind COLLATE utf8mb4_bin AS kind, COUNT(DISTINCT o.id) AS orders FROM event e JOIN corder o ON o.customer_id = e.customer_id WHERE e.customer_id BETWEEN 1 AND 40 GROUP BY e.kind COLLATE utf8mb4_bin ORDER BY kind;
SELECT o.id, e.id AS event_id, e.kind FROM corder o JOIN event e ON e.id = o.id WHERE o.id <= 20 ORDER BY o.id;

-- ==== sharded planner, subqueries in WHERE (on one shard, on the reference table, across shards), in FROM, in SELECT
SELECT id, name FROM customer WHERE id IN (SELECT customer_id FROM corder WHERE customer_id = 42);
SELECT id FROM corder WHERE sku IN (SELECT sku FROM product WHERE category = 'toys') AND customer_id <= 60 ORDER BY id;
SELECT COUNT(*) FROM corder o WHERE EXISTS (SELECT 1 FROM customer c WHERE c.id = o.customer_id AND c.region = 'apac');
SELECT id FROM customer WHERE score > (SELECT AVG(score) FROM customer) ORDER BY id LIMIT 10;
SELECT t.region, t.n FROM (SELECT UPPER(region) AS region, COUNT(*) AS n FROM customer GROUP BY UPPER(region)) t ORDER BY t.region;
SELECT s.customer_id, s.total FROM (SELECT customer_id, SUM(qty) AS total FROM corder WHERE customer_id = 7 GROUP BY customer_id) s;
SELECT MAX(t.n), MIN(t.n), AVG(t.n) FROM (SELECT sku, COUNT(*) AS n FROM corder GROUP BY sku) t;
SELECT c.id, (SELECT COUNT(*) FROM event e WHERE e.customer_id = c.id) AS events FROM customer c WHERE c.id IN (3, 33, 133) ORDER BY c.id;
SELECT c.id, (SELECT MIN(o.created) FROM corder o WHERE o.customer_id = c.id) AS first_order FROM customer c WHERE c.id BETWEEN 60 AND 70 ORDER BY c.id;
SELECT p.sku, (SELECT COUNT(*) FROM corder o WHERE o.sku = p.sku) AS orders FROM product p WHERE p.sku LIKE 'SKU-01%' ORDER BY p.sku;
SELECT (SELECT COUNT(DISTINCT customer_id) FROM corder) AS buyers, (SELECT AVG(score) FROM customer) AS avg_score;

-- ==== SELECT without FROM with scalar subqueries: on sharded tables each runs across the shards, its value in the
-- item's place under MariaDB's own column definitions; on the reference table alone one shard answers
SELECT @@time_zone, @x, (SELECT COUNT(*) FROM customer);
SELECT (SELECT MAX(price) FROM corder) AS top, (SELECT MIN(created) FROM corder), (SELECT SUM(qty) FROM corder), (SELECT AVG(discount) FROM corder);
-- @gateway-bug(parameterized, sharded4) the label of a subquery item with a parameter shows the bound value ('id = 7'; MariaDB: 'id = ?'): an EXECUTE on shards runs as text
SELECT (SELECT name FROM customer WHERE id = 7) AS name, (SELECT email FROM customer WHERE id = 7), (SELECT created FROM customer WHERE id = 7);
-- @gateway-bug(parameterized, sharded4) the label of a subquery item with a parameter shows the bound value ('id = 7'; MariaDB: 'id = ?'): an EXECUTE on shards runs as text
SELECT (SELECT status FROM corder WHERE id = 12), (SELECT discount FROM corder WHERE id = 12), (SELECT price FROM corder WHERE id = 12), (SELECT sku FROM corder WHERE id = 12);
-- @gateway-bug(parameterized, sharded4) the label of a subquery item with a parameter shows the bound value ('id = 7'; MariaDB: 'id = ?'): an EXECUTE on shards runs as text
SELECT (SELECT payload FROM event WHERE id = 5) AS payload, (SELECT kind FROM event WHERE id = 5);
-- @gateway-bug(parameterized, sharded4) the label of a subquery item with a parameter shows the bound value ('id = 7'; MariaDB: 'id = ?'): an EXECUTE on shards runs as text
SELECT (SELECT name FROM customer WHERE id = -1) AS nobody, (SELECT MAX(price) FROM corder WHERE qty > 1000000), (SELECT COUNT(*) FROM corder WHERE qty > 1000000);
-- @error 1242
SELECT (SELECT id FROM customer WHERE region = 'eu');
SELECT 'many' AS answer WHERE (SELECT COUNT(*) FROM corder) > 10;
SELECT 'none' AS answer WHERE (SELECT COUNT(*) FROM corder) > 100000000;
SELECT (SELECT COUNT(*) FROM product) AS products, (SELECT MAX(list_price) FROM product);
SELECT (SELECT MAX(id) FROM customer) AS last WHERE EXISTS (SELECT 1 FROM corder WHERE status = 'returned');
SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM corder) AS rows_in_all;
SELECT (SELECT COUNT(*) FROM corder WHERE status = 'paid') / (SELECT COUNT(*) FROM corder) AS paid_share, COALESCE((SELECT MAX(qty) FROM corder WHERE qty > 1000000), -1) AS none_big;
SELECT 'some' AS answer WHERE IFNULL((SELECT MAX(id) FROM customer), 0) > 5;

-- ==== sharded planner, HAVING, AVG and COUNT(DISTINCT) recomputed from per-shard partials
SELECT status, AVG(qty) AS q, COUNT(DISTINCT customer_id) AS buyers FROM corder GROUP BY status HAVING AVG(qty) > 4 ORDER BY status;
SELECT customer_id, COUNT(DISTINCT sku) AS skus FROM corder GROUP BY customer_id HAVING COUNT(DISTINCT sku) >= 8 ORDER BY customer_id;
SELECT sku, AVG(price) AS avg_price FROM corder WHERE sku IS NOT NULL GROUP BY sku HAVING MIN(price) > 0 ORDER BY avg_price DESC, sku LIMIT 5;
SELECT AVG(price), AVG(qty), AVG(discount), COUNT(DISTINCT sku), COUNT(DISTINCT status) FROM corder WHERE customer_id > 150;
SELECT YEAR(created) AS y, COUNT(DISTINCT customer_id) AS buyers, AVG(price) AS p FROM corder GROUP BY YEAR(created) HAVING COUNT(*) > 10 ORDER BY y;

-- ==== sharded planner, NULLs and collations merged across shards
SELECT region, COUNT(*) FROM customer WHERE region IS NULL OR score IS NULL GROUP BY region;
SELECT id, score FROM customer ORDER BY score IS NULL DESC, score DESC, id LIMIT 12;
SELECT COUNT(DISTINCT name), COUNT(DISTINCT email), COUNT(DISTINCT name COLLATE utf8mb4_bin) FROM customer;
SELECT MIN(name), MAX(name) FROM customer WHERE name IS NOT NULL;
SELECT id, email FROM customer WHERE email LIKE 'ana%' OR email LIKE 'ANA%' ORDER BY id;
SELECT name, COUNT(*) FROM customer WHERE name IN ('zoe', 'ana', 'muller') GROUP BY name ORDER BY name;
