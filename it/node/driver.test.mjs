// The unmodified @planetscale/database driver against Arbor's HTTP API. Started by HttpDriverIT, which
// passes ARBOR_HTTP_URL (http://user:password@127.0.0.1:port) and ARBOR_TYPES_OUT (where the decoded
// rows of the `types` table go, for the Java side to compare with what Connector/J reads).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { connect, DatabaseError } from '@planetscale/database'

const url = process.env.ARBOR_HTTP_URL
const conn = () => connect({ url })

test('execute with ? and :named parameters', async () => {
  const c = conn()
  const a = await c.execute('SELECT ? AS a, ? AS b', [41, 'x'])
  assert.deepEqual(a.rows, [{ a: '41', b: 'x' }].map(r => ({ ...r, a: a.rows[0].a })))
  assert.equal(Number(a.rows[0].a), 41)
  const n = await c.execute('SELECT :name AS who, :n + 1 AS next', { name: 'ada', n: 1 })
  assert.equal(n.rows[0].who, 'ada')
  assert.equal(Number(n.rows[0].next), 2)
  assert.deepEqual(n.headers, ['who', 'next'])
})

test('every common type through the default cast', async () => {
  const r = await conn().execute('SELECT * FROM types ORDER BY id')
  assert.ok(r.rows.length >= 2)
  const encode = (v) => v instanceof Uint8Array ? { $hex: Buffer.from(v).toString('hex') } : v
  const rows = r.rows.map(row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encode(v)])))
  writeFileSync(process.env.ARBOR_TYPES_OUT, JSON.stringify({ types: r.types, rows }))
  const first = r.rows[0]
  assert.equal(first.i8, -128)
  assert.equal(first.u64, '18446744073709551615')
  assert.equal(first.vc, 'héllo 😀')
  assert.ok(first.bl instanceof Uint8Array)
  assert.equal(r.types.dcm, 'DECIMAL')
  assert.equal(r.types.js, 'JSON')
  assert.deepEqual(first.js, { k: [1, 2] })
  assert.equal(r.rows[1].vc, null)
})

test('insertId and rowsAffected', async () => {
  const c = conn()
  await c.execute('CREATE TABLE IF NOT EXISTS http_ids (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)')
  const ins = await c.execute('INSERT INTO http_ids (v) VALUES (?), (?)', [1, 2])
  assert.equal(ins.rowsAffected, 2)
  assert.ok(Number(ins.insertId) > 0)
  const upd = await c.execute('UPDATE http_ids SET v = v + 10 WHERE id >= ?', [ins.insertId])
  assert.equal(upd.rowsAffected, 2)
  const last = await c.execute('SELECT LAST_INSERT_ID() AS id')
  assert.equal(last.rows[0].id, ins.insertId)
})

test('a SQL error carries the MySQL errno, SQLSTATE and a code', async () => {
  await assert.rejects(conn().execute('SELECT * FROM no_such_table'), (e) => {
    assert.ok(e instanceof DatabaseError)
    assert.match(e.message, /doesn't exist \(errno 1146\) \(sqlstate 42S02\)/)
    assert.equal(e.body.code, 'NOT_FOUND')
    return true
  })
  await assert.rejects(conn().execute('SELEC 1'), /errno 1064/)
})

test('a bad password is refused with 401', async () => {
  const bad = new URL(url)
  bad.password = 'wrong'
  await assert.rejects(connect({ url: bad.toString() }).execute('SELECT 1'), (e) => {
    assert.ok(e instanceof DatabaseError)
    assert.equal(e.status, 401)
    assert.equal(e.body.code, 'unauthenticated')
    return true
  })
})

test('transaction() commits, and rolls back on error, as seen from another connection', async () => {
  const c = conn()
  const other = conn()
  await c.execute('CREATE TABLE IF NOT EXISTS http_tx (id INT PRIMARY KEY, v VARCHAR(10))')
  await c.execute('DELETE FROM http_tx')
  await c.transaction(async (tx) => {
    await tx.execute('INSERT INTO http_tx VALUES (1, ?)', ['a'])
    const inside = await other.execute('SELECT COUNT(*) AS n FROM http_tx')
    assert.equal(inside.rows[0].n, '0') // not visible before COMMIT
    const mine = await tx.execute('SELECT COUNT(*) AS n FROM http_tx')
    assert.equal(mine.rows[0].n, '1')
  })
  assert.equal((await other.execute('SELECT COUNT(*) AS n FROM http_tx')).rows[0].n, '1')
  await assert.rejects(c.transaction(async (tx) => {
    await tx.execute('INSERT INTO http_tx VALUES (2, ?)', ['b'])
    await tx.execute('UPDATE http_tx SET v = ? WHERE id = 1', ['changed'])
    throw new Error('application failure')
  }), /application failure/)
  const after = await other.execute('SELECT id, v FROM http_tx ORDER BY id')
  assert.deepEqual(after.rows, [{ id: 1, v: 'a' }])
})

test('two requests at once on one transaction: the second gets a clear error', async () => {
  const c = conn()
  await c.transaction(async (tx) => {
    // a write: the transaction holds a connection there (on a sharded keyspace, on the shard of id 3), and both
    // requests below go to it (a request reaching no shard the transaction holds meets no other: docs/api.md)
    await tx.execute('INSERT INTO http_tx VALUES (3, ?)', ['c'])
    const results = await Promise.allSettled([tx.execute('SELECT SLEEP(0.5) FROM http_tx WHERE id = 3'),
      tx.execute('SELECT v FROM http_tx WHERE id = 3')])
    const rejected = results.filter(r => r.status === 'rejected')
    assert.equal(rejected.length, 1)
    assert.match(rejected[0].reason.message, /busy with another statement/)
  })
})

test('1,000 sequential and 100 concurrent executes', async () => {
  const c = conn()
  for (let i = 0; i < 1000; i++) {
    const r = await c.execute('SELECT ? AS i', [i])
    assert.equal(Number(r.rows[0].i), i)
  }
  const all = await Promise.all(Array.from({ length: 100 }, (_, i) => conn().execute('SELECT ? + 0 AS i', [i])))
  all.forEach((r, i) => assert.equal(Number(r.rows[0].i), i))
})

test('a 10 MB result', async () => {
  const r = await conn().execute("SELECT seq, REPEAT('x', 1000) AS pad FROM seq_1_to_10000")
  assert.equal(r.rows.length, 10000)
  assert.equal(r.rows[9999].pad.length, 1000)
})
