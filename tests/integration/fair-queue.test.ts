/**
 * The embedded engine's single connection is shared fairly: a write is not starved by hundreds of reads
 * queued before it. Proved by the order things finish in, never by time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { inQueryTurn } from '../../db/pglite-dialect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type RunningApp } from '../helpers/http'

const READS = 200

describe.each(testEngines().filter((e) => e.name === 'pglite'))('the embedded engine under read load ($name)', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const insertLog = (ex: typeof db.kysely, name: string) =>
    ex.insertInto('import_log').values({ kind: 'observations', file_name: name, rows_read: 0, rows_accepted: 0, details: '{}' }).execute()

  it('lets a transaction go before the reads queued ahead of it', async () => {
    const finished: string[] = []
    const reads = Array.from({ length: READS }, (_, i) => sql`SELECT count(*) FROM areas WHERE id > ${i}`.execute(db.kysely).then(() => finished.push(`read ${i}`)))
    const write = db.kysely.transaction().execute(async (trx) => {
      await insertLog(trx, 'fair-1.csv')
      await sql`SELECT 1`.execute(trx)
    }).then(() => finished.push('write'))
    await Promise.all([...reads, write])
    expect(finished.indexOf('write')).toBeLessThan(READS / 10)
  })

  it('keeps the place of work marked as a write for its reads too, and of older work before newer', async () => {
    const finished: string[] = []
    // A save: two reads first (its session, its references), then its transaction.
    const save = inQueryTurn(true, async () => {
      await sql`SELECT count(*) FROM areas`.execute(db.kysely)
      await sql`SELECT count(*) FROM indicators`.execute(db.kysely)
      await db.kysely.transaction().execute((trx) => insertLog(trx, 'fair-2.csv'))
    }).then(() => finished.push('save'))
    // A read-only request begun before the crowd: its later statements do not queue behind the crowd's.
    const older = inQueryTurn(false, async () => {
      for (let i = 0; i < 5; i++) await sql`SELECT count(*) FROM observations WHERE id > ${i}`.execute(db.kysely)
    }).then(() => finished.push('older'))
    const crowd = Array.from({ length: READS }, (_, i) =>
      inQueryTurn(false, () => sql`SELECT count(*) FROM areas WHERE id > ${i}`.execute(db.kysely)).then(() => finished.push(`read ${i}`)),
    )
    await Promise.all([save, older, ...crowd])
    expect(finished.indexOf('save')).toBeLessThan(READS / 10)
    expect(finished.indexOf('older')).toBeLessThan(READS / 10)
  })

  it('does not let a stream of writes starve a read either', async () => {
    const finished: string[] = []
    const writes = Array.from({ length: 50 }, (_, i) => db.kysely.transaction().execute((trx) => insertLog(trx, `fair-w${i}.csv`)).then(() => finished.push(`write ${i}`)))
    const read = sql`SELECT count(*) FROM areas`.execute(db.kysely).then(() => finished.push('read'))
    await Promise.all([...writes, read])
    expect(finished.indexOf('read')).toBeLessThan(5)
  })

  it('answers a measure save over HTTP before most of the reads sent before it', async () => {
    const cycles = (await app.get('/api/cycles')).body
    const problemArea = (await app.get(`/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body[0]
    const area = (await app.get('/api/layers/primaromrade/areas')).body.features[0].properties.id
    const finished: string[] = []
    // Half the crowd over HTTP: a loaded machine answers a few a second.
    const n = READS / 2
    const reads = Array.from({ length: n }, (_, i) =>
      app.get(`/api/indicators/demo_ran/values?period=2024&layer=${i % 2 ? 'primaromrade' : 'stadsomrade'}`).then((r) => {
        expect(r.status).toBe(200)
        finished.push(`read ${i}`)
      }),
    )
    const save = send(app, 'POST', '/api/measures', {
      title: 'Sparad under läslast', description: 'Ordningstest.', problemAreaId: problemArea.id, purpose: 'trygghetsskapande',
      prevention: 'situationell', level: 'operativ', owners: ['staden'], samverkansform: null, areaIds: [area], status: 'pagaende',
      startDate: '2025-03-01', endDate: null, followUp: [],
    }).then((r) => {
      expect(r.status).toBe(201)
      finished.push('save')
    })
    await Promise.all([...reads, save])
    expect(finished.indexOf('save')).toBeLessThan(n / 2)
  }, 180_000)
})
