// The unmodified mysql2 driver, and Kysely's MysqlDialect over a mysql2 pool, against Arbor's MySQL endpoint.
// Started by NodeMysqlDriversIT, which passes ARBOR_MYSQL_HOST, ARBOR_MYSQL_PORT, ARBOR_MYSQL_USER,
// ARBOR_MYSQL_PASSWORD and ARBOR_MYSQL_DATABASE. Pointed at a plain MariaDB (or MySQL) with the same variables
// it passes as well, but for the test of Arbor's own guard rail (foreign keys refused): every other expectation
// is what a user of these drivers sees against MySQL or MariaDB themselves.
// Tables are prefixed m2_ so that they never collide with other suites sharing the cluster.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import mysqlCallbacks from 'mysql2'
import mysql from 'mysql2/promise'
import { Kysely, MysqlDialect, sql } from 'kysely'

const endpoint = {
  host: process.env.ARBOR_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.ARBOR_MYSQL_PORT),
  user: process.env.ARBOR_MYSQL_USER,
  password: process.env.ARBOR_MYSQL_PASSWORD,
  database: process.env.ARBOR_MYSQL_DATABASE,
  connectTimeout: 15000,
}
assert.ok(endpoint.port > 0 && endpoint.user && endpoint.database, 'ARBOR_MYSQL_* environment variables are set')

// Every connection a test opens is closed here too, so that a failed assertion cannot leave a socket that
// keeps the node process (and the IT waiting for it) alive.
const opened = []
after(async () => {
  await Promise.allSettled(opened.map((c) => c.end()))
})

async function connect(options = {}) {
  const c = await mysql.createConnection({ ...endpoint, ...options })
  opened.push(c)
  return c
}

// Options under which each value compares exactly: dates as the server's strings, BIGINT and DECIMAL as strings.
const exact = { dateStrings: true, supportBigNumbers: true, bigNumberStrings: true }

test('query() binds ? placeholders client-side, with escaping, arrays and objects', { timeout: 20000 }, async () => {
  const c = await connect()
  const [rows] = await c.query('SELECT ? AS n, ? AS s, ? AS z, ? AS b', [41, "it's a \\ \"quote\" 😀", null, true])
  assert.deepEqual(rows, [{ n: 41, s: "it's a \\ \"quote\" 😀", z: null, b: 1 }])

  await c.query('DROP TABLE IF EXISTS m2_query')
  await c.query('CREATE TABLE m2_query (id INT PRIMARY KEY, name VARCHAR(20))')
  const [ins] = await c.query('INSERT INTO m2_query VALUES ?', [[[1, 'ada'], [2, "o'brien"], [3, 'grace']]])
  assert.equal(ins.affectedRows, 3)
  await c.query('INSERT INTO m2_query SET ?', { id: 4, name: 'linus' })
  const [some] = await c.query('SELECT name FROM m2_query WHERE id IN (?) ORDER BY id', [[2, 4]])
  assert.deepEqual(some, [{ name: "o'brien" }, { name: 'linus' }])
  const [byId] = await c.query('SELECT ?? FROM ?? WHERE id = ?', ['name', 'm2_query', 3])
  assert.deepEqual(byId, [{ name: 'grace' }])
})

// One column per common type: [column type, value bound by execute(), value mysql2 returns under `exact`].
// The returned value is the same in both protocols for these values; mysql2's binary decoding alone drops
// a zero DATETIME fraction and the trailing zeros of a TIME fraction, so those fractions end in non-zero.
const typeColumns = {
  i8: ['TINYINT', -128, -128],
  u8: ['TINYINT UNSIGNED', 255, 255],
  i16: ['SMALLINT', -32768, -32768],
  u16: ['SMALLINT UNSIGNED', 65535, 65535],
  i24: ['MEDIUMINT', -8388608, -8388608],
  u24: ['MEDIUMINT UNSIGNED', 16777215, 16777215],
  i32: ['INT', -2147483648, -2147483648],
  u32: ['INT UNSIGNED', 4294967295, 4294967295],
  i64: ['BIGINT', -9223372036854775808n, '-9223372036854775808'],
  i64max: ['BIGINT', '9223372036854775807', '9223372036854775807'],
  u64: ['BIGINT UNSIGNED', '18446744073709551615', '18446744073709551615'],
  dcm: ['DECIMAL(30,10)', '12345678901234567890.0123456789', '12345678901234567890.0123456789'],
  dneg: ['DECIMAL(5,2)', '-999.99', '-999.99'],
  f: ['FLOAT', -1.5, -1.5],
  d: ['DOUBLE', Math.PI, Math.PI],
  dmax: ['DOUBLE', -1.7976931348623157e308, -1.7976931348623157e308],
  dt: ['DATE', '2024-02-29', '2024-02-29'],
  dtm: ['DATETIME(6)', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456'],
  dtmax: ['DATETIME(6)', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999'],
  ts: ['TIMESTAMP(6) NULL', '2024-06-30 23:59:58.654321', '2024-06-30 23:59:58.654321'],
  tm: ['TIME', '-838:59:59', '-838:59:59'],
  tm6: ['TIME(6)', '12:34:56.789012', '12:34:56.789012'],
  yr: ['YEAR', 2155, 2155],
  ch: ['CHAR(5)', 'ab', 'ab'],
  vc: ['VARCHAR(50)', 'héllo 😀 wörld', 'héllo 😀 wörld'],
  tx: ['TEXT', "text ✓ 🌳 it's \\ 'quoted'", "text ✓ 🌳 it's \\ 'quoted'"],
  bl: ['BLOB', Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.from([0, 1, 2, 0xff, 0xfe])],
  vb: ['VARBINARY(20)', Buffer.from('deadbeef00', 'hex'), Buffer.from('deadbeef00', 'hex')],
  en: ["ENUM('a','b','c')", 'b', 'b'],
  st: ["SET('x','y','z')", 'x,z', 'x,z'],
  bt: ['BIT(8)', 0b10101010, Buffer.from([0xaa])],
  b64: ['BIT(64)', Buffer.from('8000000000000001', 'hex'), Buffer.from('8000000000000001', 'hex')],
}
const typeNames = Object.keys(typeColumns)
const expectedTypes = Object.fromEntries(typeNames.map((k) => [k, typeColumns[k][2]]))
const nullRow = Object.fromEntries(typeNames.map((k) => [k, null]))

test('execute() round-trips every common type through server-side prepared statements', { timeout: 20000 }, async () => {
  const c = await connect({ ...exact, charset: 'utf8mb4' })
  await c.query('DROP TABLE IF EXISTS m2_types')
  await c.query(`CREATE TABLE m2_types (id INT PRIMARY KEY, ${typeNames.map((k) => `${k} ${typeColumns[k][0]}`).join(', ')})`)
  const insert = `INSERT INTO m2_types (id, ${typeNames.join(', ')}) VALUES (?, ${typeNames.map(() => '?').join(', ')})`
  const [one] = await c.execute(insert, [1, ...typeNames.map((k) => typeColumns[k][1])])
  assert.equal(one.affectedRows, 1)
  const [two] = await c.execute(insert, [2, ...typeNames.map(() => null)])
  assert.equal(two.affectedRows, 1)

  const select = `SELECT ${typeNames.join(', ')} FROM m2_types WHERE id = ?`
  const [binary] = await c.execute(select, [1])
  assert.deepEqual(binary, [expectedTypes], 'binary protocol (COM_STMT_EXECUTE)')
  const [text] = await c.query(select, [1])
  assert.deepEqual(text, [expectedTypes], 'text protocol (COM_QUERY)')
  const [nulls] = await c.execute(select, [2])
  assert.deepEqual(nulls, [nullRow])
  const [nullsText] = await c.query(select, [2])
  assert.deepEqual(nullsText, [nullRow])
})

test('without bigNumberStrings and dateStrings, mysql2 decodes numbers and Dates', { timeout: 20000 }, async () => {
  const c = await connect({ timezone: 'Z', supportBigNumbers: true })
  const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
  const [[row]] = await c.execute('SELECT CAST(? AS DATETIME(3)) AS at, CAST(? AS SIGNED) AS small, CAST(? AS SIGNED) AS big',
    [at, 42, '9007199254740993'])
  assert.equal(row.at.getTime(), at.getTime())
  assert.equal(row.small, 42)
  assert.equal(row.big, '9007199254740993', 'a BIGINT beyond 2^53 stays exact as a string')
})

test('JSON columns decode to objects in both protocols', { timeout: 20000 }, async () => {
  const c = await connect()
  await c.query('DROP TABLE IF EXISTS m2_json')
  await c.query('CREATE TABLE m2_json (id INT PRIMARY KEY, js JSON)')
  await c.execute('INSERT INTO m2_json VALUES (?, ?)', [1, '{"k": [1, 2], "s": "é😀"}'])
  const [binary] = await c.execute('SELECT id, js FROM m2_json WHERE id = ?', [1])
  assert.deepEqual(binary, [{ id: 1, js: { k: [1, 2], s: 'é😀' } }], 'binary protocol')
  const [text] = await c.query('SELECT id, js FROM m2_json WHERE id = ?', [1])
  assert.deepEqual(text, [{ id: 1, js: { k: [1, 2], s: 'é😀' } }], 'text protocol')
})

test('a plain object parameter of execute() is stored as JSON', { timeout: 20000 }, async () => {
  const c = await connect()
  await c.query('DROP TABLE IF EXISTS m2_json_param')
  await c.query('CREATE TABLE m2_json_param (id INT PRIMARY KEY, js JSON)')
  // mysql2 binds a plain object with the JSON parameter type to MySQL (to MariaDB: as a string).
  const [ins] = await c.execute('INSERT INTO m2_json_param VALUES (?, ?)', [1, { a: { b: null }, n: 1.5, s: 'é' }])
  assert.equal(ins.affectedRows, 1)
  const [[row]] = await c.query(`SELECT JSON_TYPE(js) AS t, JSON_VALUE(js, '$.n') AS n, JSON_VALUE(js, '$.s') AS s,
    JSON_TYPE(JSON_EXTRACT(js, '$.a.b')) AS b FROM m2_json_param WHERE id = 1`)
  assert.deepEqual(row, { t: 'OBJECT', n: '1.5', s: 'é', b: 'NULL' })
})

test('result headers carry insertId, affectedRows and changedRows', { timeout: 20000 }, async () => {
  const c = await connect()
  await c.query('DROP TABLE IF EXISTS m2_ids')
  await c.query('CREATE TABLE m2_ids (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT) AUTO_INCREMENT = 1000')
  const [ins] = await c.query('INSERT INTO m2_ids (v) VALUES (?), (?)', [1, 2])
  assert.equal(ins.constructor.name, 'ResultSetHeader')
  assert.equal(ins.affectedRows, 2)
  assert.equal(ins.insertId, 1000, 'the first id of a multi-row insert')
  const [prepared] = await c.execute('INSERT INTO m2_ids (v) VALUES (?)', [3])
  assert.equal(prepared.affectedRows, 1)
  assert.equal(prepared.insertId, 1002)
  const [[last]] = await c.query('SELECT LAST_INSERT_ID() AS id')
  assert.equal(last.id, 1002)
  const [explicit] = await c.execute('INSERT INTO m2_ids VALUES (?, ?)', [5000, 4])
  assert.equal(explicit.insertId, 5000)

  const [upd] = await c.execute('UPDATE m2_ids SET v = v + 10 WHERE id < ?', [2000])
  assert.equal(upd.affectedRows, 3)
  assert.equal(upd.changedRows, 3)
  // mysql2 asks for CLIENT_FOUND_ROWS: an UPDATE counts the rows it matched, changedRows the ones it changed.
  const [same] = await c.query('UPDATE m2_ids SET v = 4 WHERE id >= 1002')
  assert.equal(same.affectedRows, 2)
  assert.equal(same.changedRows, 1)
  assert.match(same.info, /Rows matched: 2 {2}Changed: 1 {2}Warnings: 0/)
  const [del] = await c.execute('DELETE FROM m2_ids WHERE v > ?', [10])
  assert.equal(del.affectedRows, 2)
})

function assertSqlError(errno, code, sqlState, message) {
  return (e) => {
    assert.equal(e.errno, errno, e.message)
    assert.equal(e.code, code)
    assert.equal(e.sqlState, sqlState)
    assert.match(e.sqlMessage, message)
    return true
  }
}

test('SQL errors carry errno, code and sqlState, and leave the connection usable', { timeout: 20000 }, async () => {
  const c = await connect()
  await c.query('DROP TABLE IF EXISTS m2_dup')
  await c.query('CREATE TABLE m2_dup (id INT PRIMARY KEY, email VARCHAR(50) UNIQUE)')
  await c.execute('INSERT INTO m2_dup VALUES (?, ?)', [1, 'a@example.com'])
  const duplicate = assertSqlError(1062, 'ER_DUP_ENTRY', '23000', /^Duplicate entry '1' for key 'PRIMARY'$/)
  await assert.rejects(c.execute('INSERT INTO m2_dup VALUES (?, ?)', [1, 'b@example.com']), duplicate)
  await assert.rejects(c.query('INSERT INTO m2_dup VALUES (1, ?)', ['b@example.com']), duplicate)
  await assert.rejects(c.query('INSERT INTO m2_dup VALUES (2, ?)', ['a@example.com']),
    assertSqlError(1062, 'ER_DUP_ENTRY', '23000', /^Duplicate entry 'a@example.com' for key 'email'$/))
  await assert.rejects(c.query('SELEC 1'), assertSqlError(1064, 'ER_PARSE_ERROR', '42000', /near 'SELEC 1'/))
  await assert.rejects(c.execute('SELEC ?', [1]), assertSqlError(1064, 'ER_PARSE_ERROR', '42000', /SQL syntax/))
  await assert.rejects(c.query('SELECT * FROM m2_no_such_table'),
    assertSqlError(1146, 'ER_NO_SUCH_TABLE', '42S02', /m2_no_such_table' doesn't exist/))
  await assert.rejects(c.execute('SELECT nope FROM m2_dup WHERE id = ?', [1]),
    assertSqlError(1054, 'ER_BAD_FIELD_ERROR', '42S22', /Unknown column 'nope'/))
  const [[ok]] = await c.execute('SELECT COUNT(*) AS n FROM m2_dup WHERE id > ?', [0])
  assert.equal(ok.n, 1)
})

test('a wrong password is refused with errno 1045', { timeout: 20000 }, async () => {
  await assert.rejects(mysql.createConnection({ ...endpoint, password: `${endpoint.password}-wrong` }), (e) => {
    assert.equal(e.errno, 1045)
    assert.equal(e.code, 'ER_ACCESS_DENIED_ERROR')
    assert.equal(e.sqlState, '28000')
    assert.match(e.sqlMessage, /Access denied for user/)
    return true
  })
})

test('changeUser() starts a fresh session as the given user and database', { timeout: 20000 }, async () => {
  const c = await connect()
  await c.query("SET time_zone = '+03:00', @v = 1")
  await c.changeUser({ user: endpoint.user, password: endpoint.password, database: 'information_schema' })
  const [[row]] = await c.query('SELECT DATABASE() AS db, @@time_zone AS tz, @v AS v')
  assert.deepEqual(row, { db: 'information_schema', tz: 'SYSTEM', v: null })
  await assert.rejects(c.changeUser({ user: endpoint.user, password: 'wrong-' + endpoint.password }),
    (e) => e.errno === 1045)
})

test('multipleStatements returns one result per statement', { timeout: 20000 }, async () => {
  const c = await connect({ multipleStatements: true })
  const [results, fields] = await c.query('SELECT 1 AS a; SELECT ? AS b, ? AS c', ['two', 3])
  assert.deepEqual(results, [[{ a: 1 }], [{ b: 'two', c: 3 }]])
  assert.deepEqual(fields.map((f) => f.map((x) => x.name)), [['a'], ['b', 'c']])

  await c.query('DROP TABLE IF EXISTS m2_multi; CREATE TABLE m2_multi (id INT PRIMARY KEY AUTO_INCREMENT, v INT)')
  const [mixed] = await c.query('INSERT INTO m2_multi (v) VALUES (7), (8); SELECT v FROM m2_multi ORDER BY v; UPDATE m2_multi SET v = 0')
  assert.equal(mixed.length, 3)
  assert.equal(mixed[0].affectedRows, 2)
  assert.equal(mixed[0].insertId, 1)
  assert.deepEqual(mixed[1], [{ v: 7 }, { v: 8 }])
  assert.equal(mixed[2].affectedRows, 2)

  // Without the option the client does not set CLIENT_MULTI_STATEMENTS, and the server refuses the batch.
  const single = await connect()
  await assert.rejects(single.query('SELECT 1; SELECT 2'), assertSqlError(1064, 'ER_PARSE_ERROR', '42000', /SELECT 2/))
})

test('beginTransaction/commit and rollback, isolated from a second connection until commit', { timeout: 20000 }, async () => {
  const c = await connect()
  const other = await connect()
  await c.query('DROP TABLE IF EXISTS m2_tx')
  await c.query('CREATE TABLE m2_tx (id INT PRIMARY KEY, v VARCHAR(10))')
  const count = async (conn) => (await conn.query('SELECT COUNT(*) AS n FROM m2_tx'))[0][0].n

  await c.beginTransaction()
  await c.execute('INSERT INTO m2_tx VALUES (?, ?)', [1, 'a'])
  await c.query('INSERT INTO m2_tx VALUES (2, "b")')
  assert.equal(await count(c), 2, 'the transaction sees its own writes')
  assert.equal(await count(other), 0, 'another connection does not see uncommitted rows')
  await c.commit()
  assert.equal(await count(other), 2, 'committed rows are visible')

  await c.beginTransaction()
  await c.execute('DELETE FROM m2_tx WHERE id = ?', [1])
  await c.execute('INSERT INTO m2_tx VALUES (?, ?)', [3, 'c'])
  assert.equal(await count(c), 2)
  assert.deepEqual((await other.query('SELECT id FROM m2_tx ORDER BY id'))[0], [{ id: 1 }, { id: 2 }])
  await c.rollback()
  assert.deepEqual((await c.query('SELECT id FROM m2_tx ORDER BY id'))[0], [{ id: 1 }, { id: 2 }])
  assert.deepEqual((await other.query('SELECT id FROM m2_tx ORDER BY id'))[0], [{ id: 1 }, { id: 2 }])
})

test('the same statement executed many times, after unprepare, and through an evicting statement cache', { timeout: 20000 }, async () => {
  const c = await connect()
  const text = 'SELECT ? * 2 AS doubled, CONCAT(?, "!") AS shout'
  for (let i = 0; i < 100; i++) {
    const [rows] = await c.execute(text, [i, `n${i}`])
    assert.deepEqual(rows, [{ doubled: i * 2, shout: `n${i}!` }])
  }
  const cached = c.unprepare(text)
  assert.ok(cached, 'execute() cached the statement')
  // The server closed the statement: its old id is unknown now, while execute() prepares the text afresh.
  await assert.rejects(new Promise((resolve, reject) => cached.execute([1, 'x'], (e, r) => (e ? reject(e) : resolve(r)))),
    assertSqlError(1243, 'ER_UNKNOWN_STMT_HANDLER', 'HY000', /Unknown prepared statement handler/))
  const [again] = await c.execute(text, [21, 'back'])
  assert.deepEqual(again, [{ doubled: 42, shout: 'back!' }])

  const stmt = await c.prepare('SELECT ? + 1 AS next')
  for (let i = 0; i < 20; i++) {
    assert.deepEqual((await stmt.execute([i]))[0], [{ next: i + 1 }])
  }
  await stmt.close()

  // A cache of two statements cycled through five: every execute past the second evicts (closes) one.
  const small = await connect({ maxPreparedStatements: 2 })
  for (let round = 0; round < 4; round++) {
    for (let k = 0; k < 5; k++) {
      const [[row]] = await small.execute(`SELECT ? + ${k} AS v, ${k} AS k`, [round])
      assert.deepEqual(row, { v: round + k, k })
    }
  }
})

test('statements and rows over 16 MiB travel as several packets, in sequence', { timeout: 30000 }, async () => {
  const c = await connect()
  const outOfOrder = []
  c.connection.on('warn', (e) => outOfOrder.push(e.message))
  await c.query('DROP TABLE IF EXISTS m2_big')
  await c.query('CREATE TABLE m2_big (id INT PRIMARY KEY, b LONGBLOB)')
  const big = Buffer.alloc(17 * 1024 * 1024, 0x61)
  big[big.length - 1] = 0x7a
  try {
    await c.execute('INSERT INTO m2_big VALUES (?, ?)', [1, big])
    await c.query('INSERT INTO m2_big VALUES (?, ?)', [2, big])
    const [[binary]] = await c.execute('SELECT b, LENGTH(b) AS n FROM m2_big WHERE id = ?', [1])
    assert.equal(binary.n, big.length)
    assert.ok(binary.b.equals(big), 'the blob read back through the binary protocol equals the one sent')
    const [[text]] = await c.query('SELECT b FROM m2_big WHERE id = 2')
    assert.ok(text.b.equals(big), 'the blob read back through the text protocol equals the one sent')
    // A reply continues the sequence ids of the (multi-packet) command it answers; mysql2 warns otherwise.
    assert.deepEqual(outOfOrder, [])
  } finally {
    await c.query('DROP TABLE m2_big')
  }
})

test('a pool of 10 serves 200 concurrent queries, each with its own result', { timeout: 30000 }, async () => {
  const pool = mysql.createPool({ ...endpoint, connectionLimit: 10 })
  try {
    const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const [rows] = i % 2 === 0
        ? await pool.query('SELECT ? AS i, CONCAT("row-", ?) AS s', [i, i])
        : await pool.execute('SELECT ? AS i, CONCAT("row-", ?) AS s', [i, i])
      return rows
    }))
    results.forEach((rows, i) => assert.deepEqual(rows, [{ i, s: `row-${i}` }], `query ${i}`))

    const conn = await pool.getConnection()
    try {
      await conn.query('SET @m2_mark = 7')
      assert.equal((await conn.query('SELECT @m2_mark AS m'))[0][0].m, 7, 'a checked-out connection keeps its session')
    } finally {
      conn.release()
    }
  } finally {
    await pool.end()
  }
})

test('Arbor refuses FOREIGN KEY constraints with errno 1235', { timeout: 20000 }, async () => {
  const c = await connect()
  await c.query('DROP TABLE IF EXISTS m2_fk_child')
  await c.query('DROP TABLE IF EXISTS m2_fk_parent')
  await c.query('CREATE TABLE m2_fk_parent (id INT PRIMARY KEY)')
  const refused = (e) => {
    assert.equal(e.errno, 1235, e.message)
    assert.equal(e.code, 'ER_NOT_SUPPORTED_YET')
    assert.match(e.sqlMessage, /foreign key/i)
    return true
  }
  await assert.rejects(c.query(`CREATE TABLE m2_fk_child (id INT PRIMARY KEY, parent_id INT,
    FOREIGN KEY (parent_id) REFERENCES m2_fk_parent (id))`), refused)
  await assert.rejects(c.execute(`CREATE TABLE m2_fk_child (id INT PRIMARY KEY, parent_id INT,
    CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES m2_fk_parent (id) ON DELETE CASCADE)`), refused)
  const [tables] = await c.query("SHOW TABLES LIKE 'm2_fk_child'")
  assert.deepEqual(tables, [], 'the refused table was not created')
})

test('Kysely with MysqlDialect over a mysql2 pool', { timeout: 30000 }, async (t) => {
  const db = new Kysely({ dialect: new MysqlDialect({ pool: mysqlCallbacks.createPool({ ...endpoint, connectionLimit: 5 }) }) })
  try {
    await db.schema.dropTable('m2_ky_person').ifExists().execute()
    await db.schema.createTable('m2_ky_person')
      .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
      .addColumn('first_name', 'varchar(50)', (col) => col.notNull())
      .addColumn('age', 'integer')
      .execute()

    await t.test('insertInto returns the insertId', async () => {
      const ada = await db.insertInto('m2_ky_person').values({ first_name: 'Ada', age: 36 }).executeTakeFirst()
      assert.equal(ada.insertId, 1n)
      assert.equal(ada.numInsertedOrUpdatedRows, 1n)
      const many = await db.insertInto('m2_ky_person')
        .values([{ first_name: 'Grace', age: 85 }, { first_name: 'Linus', age: 28 }, { first_name: 'Zoë 😀', age: null }])
        .executeTakeFirst()
      assert.equal(many.insertId, 2n, 'the first id of a multi-row insert')
      assert.equal(many.numInsertedOrUpdatedRows, 3n)
    })

    await t.test('selectFrom with where and orderBy', async () => {
      const older = await db.selectFrom('m2_ky_person').select(['id', 'first_name'])
        .where('age', '>', 30).orderBy('age', 'desc').execute()
      assert.deepEqual(older, [{ id: 2, first_name: 'Grace' }, { id: 1, first_name: 'Ada' }])
      const noAge = await db.selectFrom('m2_ky_person').selectAll().where('age', 'is', null).executeTakeFirstOrThrow()
      assert.deepEqual(noAge, { id: 4, first_name: 'Zoë 😀', age: null })
      const { n } = await db.selectFrom('m2_ky_person').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
      assert.equal(n, 4)
    })

    await t.test('updateTable and deleteFrom report their row counts', async () => {
      const upd = await db.updateTable('m2_ky_person').set({ age: 37 }).where('first_name', '=', 'Ada').executeTakeFirst()
      assert.equal(upd.numUpdatedRows, 1n)
      assert.equal(upd.numChangedRows, 1n)
      assert.equal((await db.selectFrom('m2_ky_person').select('age').where('id', '=', 1).executeTakeFirstOrThrow()).age, 37)
      const del = await db.deleteFrom('m2_ky_person').where('age', '<', 30).executeTakeFirst()
      assert.equal(del.numDeletedRows, 1n)
      const names = (await db.selectFrom('m2_ky_person').select('first_name').orderBy('id').execute()).map((r) => r.first_name)
      assert.deepEqual(names, ['Ada', 'Grace', 'Zoë 😀'])
    })

    await t.test('transaction().execute commits, and rolls back when the callback throws', async () => {
      const id = await db.transaction().execute(async (trx) => {
        const r = await trx.insertInto('m2_ky_person').values({ first_name: 'Committed', age: 1 }).executeTakeFirstOrThrow()
        await trx.updateTable('m2_ky_person').set({ age: 2 }).where('id', '=', Number(r.insertId)).execute()
        return Number(r.insertId)
      })
      assert.deepEqual(await db.selectFrom('m2_ky_person').select(['first_name', 'age']).where('id', '=', id).execute(),
        [{ first_name: 'Committed', age: 2 }])

      await assert.rejects(db.transaction().execute(async (trx) => {
        await trx.insertInto('m2_ky_person').values({ first_name: 'RolledBack', age: 3 }).execute()
        await trx.deleteFrom('m2_ky_person').where('first_name', '=', 'Ada').execute()
        const inside = await trx.selectFrom('m2_ky_person').select('first_name').where('first_name', '=', 'RolledBack').execute()
        assert.equal(inside.length, 1, 'the transaction sees its own insert')
        throw new Error('boom')
      }), /boom/)
      const names = (await db.selectFrom('m2_ky_person').select('first_name').orderBy('id').execute()).map((r) => r.first_name)
      assert.deepEqual(names, ['Ada', 'Grace', 'Zoë 😀', 'Committed'])
    })

    await t.test('raw sql and a Kysely error surface the MySQL error', async () => {
      const { rows } = await sql`SELECT ${'x'} AS v, ${2} + 1 AS w`.execute(db)
      assert.deepEqual(rows, [{ v: 'x', w: 3 }])
      await assert.rejects(db.insertInto('m2_ky_person').values({ id: 1, first_name: 'Dup' }).execute(),
        assertSqlError(1062, 'ER_DUP_ENTRY', '23000', /Duplicate entry '1'/))
    })
  } finally {
    await db.destroy()
  }
})
