/** The Kysely driver over PGlite's single connection must keep transactions whole under concurrency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'

class Rollback extends Error {}

describe.each(testEngines())('database driver on $name', (engine) => {
  let db: Db
  beforeAll(async () => {
    db = await engine.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('never interleaves statements of concurrent transactions', async () => {
    const txid = (ex: typeof db.kysely) => sql<{ t: string }>`SELECT txid_current()::text AS t`.execute(ex).then((r) => r.rows[0]!.t)
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        db.kysely.transaction().execute(async (trx) => {
          const first = await txid(trx)
          await new Promise((r) => setTimeout(r, 5))
          const second = await txid(trx)
          return [first, second]
        }),
      ),
    )
    for (const [a, b] of results) expect(a).toBe(b)
    expect(new Set(results.map(([a]) => a)).size).toBe(12)
  })

  it('rolls back on error and stays usable', async () => {
    const count = async () => Number((await db.kysely.selectFrom('import_log').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('import_log').values({ kind: 'observations', file_name: 'x.csv', rows_read: 1, rows_accepted: 1, details: '{}' }).execute()
        throw new Rollback()
      }),
    ).rejects.toBeInstanceOf(Rollback)
    expect(await count()).toBe(before)
    await expect(sql`SELECT no_such_column FROM areas`.execute(db.kysely)).rejects.toThrow(/no_such_column/)
    expect(await count()).toBe(before)
  })

  it('returns dates as ISO strings and counts as numbers on both engines', async () => {
    const row = await db.kysely
      .selectFrom('areas')
      .select(['valid_from', (e) => e.fn.countAll<number>().over().as('n')])
      .where('layer_id', '=', 'stadsomrade')
      .executeTakeFirstOrThrow()
    expect(row.valid_from).toBe('2021-01-01')
    expect(row.n).toBe(4)
  })
})
