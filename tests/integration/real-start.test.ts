/**
 * A real installation: started without the demo (DEMO=false, or a first admin made by user:add) it has the real
 * boundaries and population and an empty catalogue, and never gets demo accounts. The former stadsdelar are a
 * layer of whole primärområden, added to databases loaded before it existed.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, type Db } from '../../db/connect'
import { dataVersion } from '../../db/data-version'
import { STADSDEL_BY_MELLANOMRADE } from '../../geodata/layers'
import { addMissingDerivedLayers, seedIfEmpty } from '../../geodata/seed'
import { openDatabase } from '../../server/boot'
import { testEngines } from '../helpers/engines'
import { startApp, type RunningApp } from '../helpers/http'

const count = async (db: Db, table: 'indicators' | 'observations' | 'users' | 'measures' | 'snapshots' | 'area_population') =>
  Number((await db.kysely.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe.each(testEngines())('a start without the demo on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.openEmpty()
    await migrateToLatest(db.kysely)
    await seedIfEmpty(db.kysely, undefined, { demo: false })
    app = await startApp(db, { as: 'public' })
  }, 240_000)
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('has the real boundaries and population and an empty catalogue', async () => {
    expect((await app.get('/api/indicators')).body).toEqual([])
    expect(await count(db, 'observations')).toBe(0)
    expect(await count(db, 'measures')).toBe(0)
    expect(await count(db, 'snapshots')).toBe(0)
    expect(await count(db, 'area_population')).toBeGreaterThan(90)
    const layers = (await app.get('/api/layers')).body as Array<{ id: string; areaCount: number }>
    expect(Object.fromEntries(layers.map((l) => [l.id, l.areaCount]))).toMatchObject({
      stadsomrade: 4,
      stadsdel: 10,
      lokalpolisomrade: 4,
      primaromrade: 96,
      regso: 147,
      deso: 320,
    })
  })

  it('builds the ten former stadsdelar from whole primärområden by mellanområde, covering the city exactly once', async () => {
    const { rows } = await sql<{ code: string; name: string; prim: string[]; mellan: string[] }>`
      SELECT s.code, s.name,
             array_agg(p.code ORDER BY p.code) AS prim,
             array_agg(DISTINCT p.attributes->>'mellanomradeKod') AS mellan
      FROM areas s JOIN area_parents ap ON ap.parent_id = s.id JOIN areas p ON p.id = ap.child_id
      WHERE s.layer_id = 'stadsdel' AND p.layer_id = 'primaromrade'
      GROUP BY s.code, s.name ORDER BY s.code`.execute(db.kysely)
    expect(rows.map((r) => r.name).sort()).toEqual(
      ['Angered', 'Askim-Frölunda-Högsbo', 'Centrum', 'Lundby', 'Majorna-Linné', 'Norra Hisingen', 'Västra Göteborg', 'Västra Hisingen', 'Örgryte-Härlanda', 'Östra Göteborg'].sort(),
    )
    for (const r of rows) for (const m of r.mellan) expect(STADSDEL_BY_MELLANOMRADE[m]?.code, `${r.code} ${m}`).toBe(r.code)
    expect(rows.flatMap((r) => r.prim).length).toBe(96)
    const nest = await db.kysely.selectFrom('layer_nesting').selectAll().where('parent_layer_id', '=', 'stadsdel').execute()
    expect(nest).toEqual([{ child_layer_id: 'primaromrade', parent_layer_id: 'stadsdel' }])
    // PostGIS, independently of how the layer was built: the stadsdelar cover the primärområden, no more, no less.
    const { rows: [cover] } = await sql<{ diff: number; overlap: number; total: number }>`
      WITH s AS (SELECT ST_Union(geom) AS g FROM areas WHERE layer_id = 'stadsdel'),
           p AS (SELECT ST_Union(geom) AS g FROM areas WHERE layer_id = 'primaromrade')
      SELECT ST_Area(ST_SymDifference(s.g, p.g)) AS diff, ST_Area(p.g) AS total,
             (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom))), 0) FROM areas a JOIN areas b
               ON a.layer_id = 'stadsdel' AND b.layer_id = 'stadsdel' AND a.id < b.id AND ST_Intersects(a.geom, b.geom)) AS overlap
      FROM s, p`.execute(db.kysely)
    expect(cover!.diff / cover!.total).toBeLessThan(1e-9)
    expect(cover!.overlap / cover!.total).toBeLessThan(1e-9)
  })

  it('adds the stadsdelar once to a database loaded before they existed, and moves the data version', async () => {
    await db.kysely.deleteFrom('area_layers').where('id', '=', 'stadsdel').execute()
    const before = await dataVersion(db.kysely)
    expect(await addMissingDerivedLayers(db.kysely)).toEqual(['stadsdel'])
    expect(await addMissingDerivedLayers(db.kysely)).toEqual([])
    expect(await dataVersion(db.kysely)).toBeGreaterThan(before)
    const n = await db.kysely.selectFrom('areas').select((e) => e.fn.countAll<number>().as('n')).where('layer_id', '=', 'stadsdel').executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(10)
    expect(await db.kysely.selectFrom('layer_nesting').selectAll().where('parent_layer_id', '=', 'stadsdel').execute()).toHaveLength(1)
  })
})

describe.each(testEngines())('the demo on the stadsdel layer on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'analyst' })
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it("sums each stadsdel's counts from its primärområden", async () => {
    const res = await app.get('/api/indicators/demo_ran/values?layer=stadsdel&period=2024')
    expect(res.status).toBe(200)
    expect(res.body.values).toHaveLength(10)
    const { rows } = await sql<{ code: string; total: number }>`
      SELECT s.code, sum(o.value)::float8 AS total
      FROM areas s JOIN area_parents ap ON ap.parent_id = s.id
      JOIN observations o ON o.area_id = ap.child_id AND o.indicator_id = 'demo_ran' AND o.period = '2024'
      WHERE s.layer_id = 'stadsdel' GROUP BY s.code`.execute(db.kysely)
    const expected = Object.fromEntries(rows.map((r) => [r.code, r.total]))
    expect(Object.fromEntries(res.body.values.map((v: { code: string; value: number }) => [v.code, v.value]))).toEqual(expected)
  })
})

describe('npm start with DEMO=false on the embedded engine', () => {
  it('makes no demo accounts, now or at a later start with the demo switched on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lagesbild-real-'))
    try {
      const messages: string[] = []
      const first = await openDatabase({ dataDir: dir, databaseUrl: undefined, demo: false }, (m) => messages.push(m))
      try {
        expect(first.demoAccounts).toEqual([])
        expect(await count(first, 'users')).toBe(0)
        expect(await count(first, 'indicators')).toBe(0)
        expect(messages.join('\n')).toMatch(/utan demodata \(DEMO=false\)/)
      } finally {
        await first.close()
      }
      const again = await openDatabase({ dataDir: dir, databaseUrl: undefined }, () => {})
      try {
        expect(again.demoAccounts).toEqual([])
        expect(await count(again, 'users')).toBe(0)
        expect(await count(again, 'indicators')).toBe(0)
      } finally {
        await again.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
