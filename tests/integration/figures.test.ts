/**
 * Figures that stay right: an import adds cells and changes none that were there, several categories
 * add up into one indicator, and the figures outsiders get hide exactly the cells the disclosure cube
 * hides, with every published total equal to the sum of its published parts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { indicatorCells } from '../../server/features/indicators/indicators.service'
import { recoverBySubtraction } from '../helpers/differencing-attack'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator } from '../helpers/fixtures'
import { post, startApp, type Client, type RunningApp } from '../helpers/http'
import { mulberry32, poisson } from '../helpers/random'

const LAYERS = ['stadsomrade', 'lokalpolisomrade', 'primaromrade', 'deso', 'regso', 'utsatt_omrade', 'hex']

/** Every figure a viewer can fetch of every indicator: `indicator|layer|area|period` → the answer's cell, and the city's. */
async function everyFigure(client: Client): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>()
  const indicators = (await client.get('/api/indicators')).body as Array<{ id: string; layers: Array<{ layer: string; periods: string[] }> }>
  const views = indicators.flatMap((i) => i.layers.flatMap((l) => l.periods.map((period) => ({ id: i.id, layer: l.layer, period }))))
  // A few requests in flight at a time: the answers are the same, the test is quicker.
  for (let k = 0; k < views.length; k += 8) {
    await Promise.all(
      views.slice(k, k + 8).map(async ({ id, layer, period }) => {
        const res = await client.get(`/api/indicators/${id}/values?layer=${layer}&period=${period}`)
        expect(res.status).toBe(200)
        for (const v of res.body.values) out.set(`${id}|${layer}|${v.areaId}|${period}`, v)
        out.set(`${id}|city|${period}`, res.body.city)
      }),
    )
  }
  return out
}

describe.each(testEngines())('figures that stay right on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('adds a year of monthly incidents without changing any figure there was, for analysts or anyone else', async () => {
    const beforeAnalyst = await everyFigure(app)
    const beforeLocal = await everyFigure(local)
    expect((await app.get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2024')).body.method.kind).toBe('summed')

    // 2026-01 … 2026-11 in six primärområden; Skadegörelse and Klotter both count as demo_skadegorelse.
    const { rows } = await sql<{ x: number; y: number; i: number }>`
      SELECT ST_X(g) AS x, ST_Y(g) AS y, row_number() OVER ()::int AS i FROM (
        SELECT (ST_Dump(ST_GeneratePoints(geom, 120, 13))).geom AS g FROM areas
        WHERE layer_id = 'primaromrade' AND code IN ('612', '606', '116', '523', '701', '402')) p`.execute(db.kysely)
    const categories = ['Rån', 'Skadegörelse', 'Klotter']
    const points = rows.map((r) => ({ ...r, month: 1 + (r.i % 11), category: categories[r.i % 3]! }))
    const csv = 'datum;kategori;x;y\n' + points.map((p) => `2026-${String(p.month).padStart(2, '0')}-15;${p.category};${p.x};${p.y}`).join('\n') + '\n'
    const map = encodeURIComponent('Rån:demo_ran,Skadegörelse:demo_skadegorelse,Klotter:demo_skadegorelse')
    const res = await post(app, `/api/imports/incidents?crs=EPSG:3006&map=${map}`, csv)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.rowsAccepted).toBe(points.length)

    const afterAnalyst = await everyFigure(app)
    const afterLocal = await everyFigure(local)
    for (const [before, after] of [[beforeAnalyst, afterAnalyst], [beforeLocal, afterLocal]] as const) {
      let kept = 0
      for (const [k, v] of before) {
        expect(after.get(k), k).toEqual(v)
        kept++
      }
      expect(kept).toBe(before.size)
      expect(after.size).toBeGreaterThan(before.size)
    }
    // The years before stay summed from primärområden; the new months are the file's.
    const y2024 = (await app.get('/api/indicators/demo_ran/values?layer=stadsomrade&period=2024')).body
    expect(y2024.values).toHaveLength(4)
    expect(y2024.method.kind).toBe('summed')
    // Both categories add up into the one indicator, month by month, and in every layer.
    for (let m = 1; m <= 11; m++) {
      const period = `2026-${String(m).padStart(2, '0')}`
      const want = points.filter((p) => p.month === m && p.category !== 'Rån').length
      for (const layer of ['stadsomrade', 'primaromrade', 'hex']) {
        const v = (await app.get(`/api/indicators/demo_skadegorelse/values?layer=${layer}&period=${period}`)).body
        expect(v.values.reduce((s: number, x: any) => s + x.value, 0), `${layer} ${period}`).toBe(want)
      }
    }
    // Whole quarters of 2026 are there, the year is not (December is missing), and the trend shows one kind at a time.
    const nordost = y2024.values.find((v: any) => v.name === 'Nordost').areaId
    const series = (await app.get(`/api/indicators/demo_ran/series?areas=${nordost}`)).body
    expect(series.periodKind).toBe('year')
    expect(series.periods).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025'])
    expect(series.periodKinds).toEqual(['year', 'half', 'quarter', 'month', 'week'])
    const quarters = (await app.get(`/api/indicators/demo_ran/series?areas=${nordost}&periodKind=quarter`)).body
    expect(quarters.periods).toEqual(['2026-Q1', '2026-Q2', '2026-Q3'])
    expect(quarters.series[0].points.map((p: any) => p.period)).toEqual(quarters.periods)
    expect(quarters.city.map((c: any) => c.period)).toEqual(quarters.periods)
    const bad = await app.get(`/api/indicators/demo_ran/series?areas=${nordost}&periodKind=vecka`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('periodKind')
  }, 300_000)

  it('refuses an import that would write over stored months with a 409 in Swedish naming them, and changes nothing', async () => {
    const { rows } = await sql<{ x: number; y: number }>`
      SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 3, 5))).geom AS g FROM areas WHERE layer_id = 'primaromrade' AND code = '612') p`.execute(db.kysely)
    const csv = 'datum;kategori;x;y\n' + rows.map((p) => `2026-02-03;demo_ran;${p.x};${p.y}`).join('\n') + '\n'
    const count = async () => Number((await db.kysely.selectFrom('observations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006', csv)
    expect(res.status).toBe(409)
    expect(res.body.error.message).toMatch(/finns redan/)
    expect(res.body.error.details.map((d: any) => d.message).join(' ')).toMatch(/demo_ran 2026-02/)
    expect(await count()).toBe(before)
  })

  it('hides, outside the analyst role, exactly the cells the disclosure cube hides, and every published total is the sum of its published parts', async () => {
    for (const seed of [1, 2, 3]) {
      const id = `test_random_${seed}`
      await insertCountIndicator(db, id, `Slumpdata ${seed}`, 5)
      const rnd = mulberry32(seed)
      const prim = await db.kysely.selectFrom('areas').select(['id']).where('layer_id', '=', 'primaromrade').where('valid_to', 'is', null).execute()
      const stads = await db.kysely.selectFrom('areas').select(['id']).where('layer_id', '=', 'stadsomrade').where('valid_to', 'is', null).execute()
      const values: Array<{ area: number; period: string; v: number }> = []
      // Months of 2024 for every primärområde (small counts, so many are hidden), and a stored year 2023
      // for the primärområden and, in one seed, for the stadsområden too.
      for (const a of prim) {
        const lambda = rnd() * 3 * seed
        for (let m = 1; m <= 12; m++) values.push({ area: a.id, period: `2024-${String(m).padStart(2, '0')}`, v: poisson(rnd, lambda) })
        values.push({ area: a.id, period: '2023', v: poisson(rnd, lambda * 12) })
      }
      if (seed === 2) for (const a of stads) values.push({ area: a.id, period: '2022', v: poisson(rnd, 40) })
      await db.kysely.transaction().execute(async (trx) => {
        const imp = await trx.insertInto('import_log').values({ kind: 'observations', file_name: `${id}.csv`, rows_read: values.length, rows_accepted: values.length }).returning('id').executeTakeFirstOrThrow()
        const iso = (p: string) => (p.length === 4 ? [`${p}-01-01`, `${Number(p) + 1}-01-01`] : [`${p}-01`, Number(p.slice(5)) === 12 ? `${Number(p.slice(0, 4)) + 1}-01-01` : `${p.slice(0, 5)}${String(Number(p.slice(5)) + 1).padStart(2, '0')}-01`])
        await trx
          .insertInto('observations')
          .values(values.map((x) => ({ indicator_id: id, area_id: x.area, period: x.period, period_start: iso(x.period)[0]!, period_end: iso(x.period)[1]!, value: x.v, numerator: x.v, import_id: imp.id })))
          .execute()
      })

      const { derived, cube } = await indicatorCells(db.kysely, id)
      expect(cube).not.toBeNull()
      const shown = new Map<string, number | null>()
      const layerOfCell = new Map<string, string>()
      const catalogue = (await local.get('/api/indicators')).body.find((i: any) => i.id === id)
      for (const { layer, periods } of catalogue.layers as Array<{ layer: string; periods: string[] }>) {
        if (!LAYERS.includes(layer)) continue
        for (const period of periods) {
          const res = (await local.get(`/api/indicators/${id}/values?layer=${layer}&period=${period}`)).body
          if (res.method.kind === 'crosswalk') continue // estimates are not cells of the cube
          for (const v of res.values) {
            const key = `${v.areaId}|${period}`
            expect(v.suppressed, `${layer} ${key}`).toBe(cube!.hidden.has(key))
            expect(derived.cells.has(key)).toBe(true)
            if (!v.suppressed) expect(v.value).toBe(derived.cells.get(key)!.value)
            shown.set(key, v.suppressed ? null : v.value)
            layerOfCell.set(key, layer)
          }
          if (res.city) {
            expect(res.city.suppressed).toBe(cube!.hidden.has(`city|${period}`))
            shown.set(`city|${period}`, res.city.suppressed ? null : res.city.value)
          }
        }
      }
      // Every cell of the cube in these layers was answered.
      for (const c of derived.cells.values()) if (c.layer === 'city' || LAYERS.includes(c.layer)) expect(shown.has(`${c.area}|${c.period}`), `${c.area}|${c.period}`).toBe(true)
      expect([...shown.values()].some((v) => v === null)).toBe(true)

      // Published totals equal the sum of their published parts: areas in their parents, the city, and periods.
      const links = await db.kysely.selectFrom('area_parents as ap').innerJoin('areas as c', 'c.id', 'ap.child_id').select(['ap.parent_id', 'ap.child_id', 'c.layer_id']).execute()
      const relations: Array<{ total: string; parts: string[] }> = []
      const periods = new Set([...shown.keys()].map((k) => k.slice(k.indexOf('|') + 1)))
      const groups = new Map<string, number[]>()
      for (const l of links) (groups.get(`${l.parent_id}|${l.layer_id}`) ?? groups.set(`${l.parent_id}|${l.layer_id}`, []).get(`${l.parent_id}|${l.layer_id}`)!).push(l.child_id)
      for (const [k, children] of groups) for (const p of periods) relations.push({ total: `${k.split('|')[0]}|${p}`, parts: children.map((c) => `${c}|${p}`) })
      for (const p of periods) {
        for (const layer of ['stadsomrade', 'lokalpolisomrade', 'primaromrade']) {
          relations.push({ total: `city|${p}`, parts: [...layerOfCell].filter(([k, l]) => l === layer && k.endsWith(`|${p}`)).map(([k]) => k) })
        }
      }
      const year = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']
      const areasOf = new Set([...shown.keys()].map((k) => k.slice(0, k.indexOf('|'))))
      for (const a of areasOf) {
        relations.push({ total: `${a}|2024`, parts: year.map((m) => `${a}|${m}`) })
        for (let q = 1; q <= 4; q++) relations.push({ total: `${a}|2024-Q${q}`, parts: year.slice(q * 3 - 3, q * 3).map((m) => `${a}|${m}`) })
        relations.push({ total: `${a}|2024`, parts: [`${a}|2024-H1`, `${a}|2024-H2`] })
      }
      let checked = 0
      const held = relations.filter((r) => shown.has(r.total) && r.parts.length > 0 && r.parts.every((p) => shown.has(p)))
      for (const r of held) {
        const parts = r.parts.map((p) => shown.get(p)!)
        if (shown.get(r.total) === null || parts.some((v) => v === null)) continue
        expect(parts.reduce((s, v) => s + v!, 0), r.total).toBe(shown.get(r.total))
        checked++
      }
      expect(checked).toBeGreaterThan(20)
      // And no hidden cell can be pinned, or shown to be under the threshold, by subtraction.
      const learnt = recoverBySubtraction(shown, held)
      for (const [k, iv] of learnt) {
        if (shown.get(k) !== null) continue
        expect(iv.lo === iv.hi, `${k} pinned to ${iv.lo}`).toBe(false)
        expect(iv.hi < 5, `${k} proven below the threshold`).toBe(false)
      }
    }
  })
})
