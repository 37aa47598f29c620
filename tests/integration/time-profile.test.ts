/**
 * Weekday × hour profiles: incidents with known times in, the table out, checked against PostgreSQL's own
 * reading of the same stamps in Europe/Stockholm (isodow, hour). Replacing an import replaces its months'
 * profile; a local group sees the disclosed table, and nothing hidden in it can be subtracted out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { recoverBySubtraction } from '../helpers/differencing-attack'
import { post, startApp, type RunningApp } from '../helpers/http'

const IND = 'demo_misshandel_utomhus'

interface Pt {
  x: number
  y: number
  stamp: string
}

/** Stamps: wall-clock times, UTC instants across the spring change, and bare dates (no hour). */
function stampOf(i: number, month: number): string {
  const day = String(1 + (i % 28)).padStart(2, '0')
  const d = `2026-0${month}-${day}`
  if (i % 17 === 0) return d
  if (month === 3 && i % 11 === 0) return i % 2 ? '2026-03-29T01:30:00Z' : '2026-03-29T00:30:00Z'
  if (i % 13 === 0) return `${d}T22:45:00Z`
  // Evenings heavier than mornings, so some cells are large and some small.
  const hour = [20, 21, 22, 23, 0, 1, 8, 12, 17, 18, 19, 20, 21, 22, 23][i % 15]!
  return `${d} ${String(hour).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`
}

describe.each(testEngines())('weekday × hour profile on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Awaited<ReturnType<RunningApp['as']>>
  let points: Pt[]
  let area: { id: number; name: string }
  let firstImport: number

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    const a = await sql<{ id: number; name: string }>`SELECT id, name FROM areas WHERE layer_id = 'stadsomrade' AND valid_to IS NULL ORDER BY id LIMIT 1`.execute(db.kysely)
    area = a.rows[0]!
    const { rows } = await sql<{ x: number; y: number }>`
      SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 900, 18))).geom AS g FROM areas WHERE id = ${area.id}) p`.execute(db.kysely)
    points = rows.map((r, i) => ({ ...r, stamp: stampOf(i, 1 + (i % 3)) }))
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const csv = (pts: Pt[]) => 'datum;kategori;x;y\n' + pts.map((p) => `${p.stamp};${IND};${p.x};${p.y}`).join('\n') + '\n'
  const url = (q: Record<string, string | number>) => `/api/analysis/time-profile?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`
  const q1 = () => ({ indicator: IND, layer: 'stadsomrade', area: area.id, from: '2026-01', to: '2026-03' })

  /** PostgreSQL's reading of the stamps: Stockholm weekday and hour, or hour 24 for a bare date. */
  async function expected(pts: Pt[], months: string[]) {
    const stamps = pts.map((p) => p.stamp)
    const { rows } = await sql<{ wd: number; h: number; n: number }>`
      WITH s AS (
        SELECT CASE WHEN length(t) = 10 THEN t::date::timestamp
                    WHEN t ~ '(Z|[+-][0-9:]+)$' THEN t::timestamptz AT TIME ZONE 'Europe/Stockholm'
                    ELSE t::timestamp END AS local, length(t) = 10 AS bare
        FROM unnest(${stamps}::text[]) t)
      SELECT extract(isodow FROM local)::int AS wd, CASE WHEN bare THEN 24 ELSE extract(hour FROM local)::int END AS h, count(*)::int AS n
      FROM s WHERE to_char(local, 'YYYY-MM') = ANY(${months}::text[]) GROUP BY 1, 2`.execute(db.kysely)
    return new Map(rows.map((r) => [`${r.wd}|${r.h}`, r.n]))
  }

  it('imports times and counts them per Stockholm weekday and hour, across the change to summer time', async () => {
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006', csv(points))
    expect(res.status).toBe(201)
    firstImport = res.body.importId
    const bare = points.filter((p) => p.stamp.length === 10).length
    expect(bare).toBeGreaterThan(0)
    expect(res.body.rowsWithoutTime).toBe(bare)
    const table = await app.get(url(q1()))
    expect(table.status).toBe(200)
    expect(table.body).toMatchObject({ range: { id: '2026-Q1', kind: 'quarter' }, months: ['2026-01', '2026-02', '2026-03'], missingMonths: [], untimed: true })
    expect(table.body.suppression).toEqual({ threshold: 5, internal: true })
    const want = await expected(points, ['2026-01', '2026-02', '2026-03'])
    expect(table.body.cells).toHaveLength(7 * 25)
    for (const c of table.body.cells) expect(c.count, `${c.weekday} ${c.hour}`).toBe(want.get(`${c.weekday}|${c.hour}`) ?? 0)
    expect(table.body.total.count).toBe(points.length)
    // The spring night: 00:30 UTC is 01 local, 01:30 UTC is 03 local, and a Sunday's hour 02 is empty of them.
    const sundayAt = (h: number) => table.body.cells.find((c: any) => c.weekday === 7 && c.hour === h).count
    expect(sundayAt(3)).toBeGreaterThanOrEqual(points.filter((p) => p.stamp === '2026-03-29T01:30:00Z').length)
    // Each month's table sums to its incidents: the months add up to the quarter, nothing lost or counted twice.
    const months = await Promise.all(['2026-01', '2026-02', '2026-03'].map((m) => app.get(url({ ...q1(), from: m, to: m }))))
    expect(months.reduce((s, m) => s + m.body.total.count, 0)).toBe(points.length)
  })

  it('stores counts only, for the local layers and no others, each layer summing to the incidents', async () => {
    const { rows } = await sql<{ layer_id: string; n: number }>`SELECT layer_id, sum(count)::int AS n FROM time_profile GROUP BY 1 ORDER BY 1`.execute(db.kysely)
    const byLayer = new Map(rows.map((r) => [r.layer_id, r.n]))
    expect([...byLayer.keys()].every((l) => ['lokalpolisomrade', 'primaromrade', 'stadsdel', 'stadsomrade', 'utsatt_omrade'].includes(l))).toBe(true)
    expect(byLayer.get('stadsomrade')).toBe(points.length)
    expect(byLayer.get('primaromrade')).toBe(points.length)
    const layers = await app.get('/api/analysis/time-profile/layers')
    expect(layers.body.layers).toContainEqual({ indicator: IND, layer: 'primaromrade', months: ['2026-01', '2026-02', '2026-03'] })
    expect((await local.get('/api/analysis/time-profile/layers')).body.layers).toEqual([{ indicator: IND, layer: 'stadsomrade', months: ['2026-01', '2026-02', '2026-03'] }])
  })

  it('shows a local group the disclosed table: small cells and margins hidden, none recoverable, the total as the values show it', async () => {
    const res = await local.get(url(q1()))
    expect(res.status).toBe(200)
    const t = res.body
    expect(t.suppression).toEqual({ threshold: 5, internal: false })
    const hidden = t.cells.filter((c: any) => c.hidden)
    expect(hidden.length).toBeGreaterThan(0)
    expect(t.cells.every((c: any) => (c.hidden ? c.count === null : c.count >= 5))).toBe(true)
    for (const m of [...t.weekdays, ...t.hours, t.total]) expect(m.hidden ? m.count === null : m.count >= 5).toBe(true)
    // The attacker: every shown number, the sums rows, columns and total must make.
    const cells = new Map<string, number | null>()
    for (const c of t.cells) cells.set(`c${c.weekday}|${c.hour}`, c.count)
    for (const w of t.weekdays) cells.set(`w${w.weekday}`, w.count)
    for (const h of t.hours) cells.set(`h${h.hour}`, h.count)
    cells.set('t', t.total.count)
    const hours = t.hours.map((h: any) => h.hour)
    const relations = [
      ...[1, 2, 3, 4, 5, 6, 7].map((w) => ({ total: `w${w}`, parts: hours.map((h: number) => `c${w}|${h}`) })),
      ...hours.map((h: number) => ({ total: `h${h}`, parts: [1, 2, 3, 4, 5, 6, 7].map((w) => `c${w}|${h}`) })),
      { total: 't', parts: [1, 2, 3, 4, 5, 6, 7].map((w) => `w${w}`) },
      { total: 't', parts: hours.map((h: number) => `h${h}`) },
    ]
    const bounds = recoverBySubtraction(cells, relations)
    // Every hidden entry, cells and totals alike, stays unknown: not pinned, not provably below 5.
    for (const [id, v] of cells) {
      if (v !== null) continue
      const b = bounds.get(id)!
      expect(b.lo < b.hi && b.hi >= 5, `${id} recovered as [${b.lo}, ${b.hi}]`).toBe(true)
    }
    // An analyst sees the same cells marked.
    const internal = (await app.get(url(q1()))).body
    expect(internal.cells.filter((c: any) => c.hiddenOutside).length).toBe(hidden.length)
    // The values API and this table agree on whether the months' total may be shown.
    const values = await Promise.all(['2026-01', '2026-02', '2026-03'].map((m) => local.get(`/api/indicators/${IND}/values?layer=stadsomrade&period=${m}`)))
    const monthsHidden = values.some((v) => v.body.values.find((x: any) => x.areaId === area.id)?.suppressed)
    // Only this stadsområde has 2026 incidents, so the city's month would give its value away: the values API
    // hides it, and the table hides its total too (and enough margins that they cannot be summed to it).
    expect(monthsHidden).toBe(true)
    expect(t.total.hidden).toBe(true)
  })

  it('refuses ranges other than a month, a quarter or a year, unknown or mismatched areas, and finer layers outside the analyst role', async () => {
    const bad = await app.get(url({ ...q1(), to: '2026-02' }))
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.map((d: any) => d.field)).toEqual(['from', 'to'])
    const across = await app.get(url({ ...q1(), from: '2026-02', to: '2026-04' }))
    expect(across.status).toBe(422)
    expect((await app.get(url({ ...q1(), from: '2026-13' }))).status).toBe(400)
    const unknown = await app.get(url({ ...q1(), area: 999999 }))
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.details[0].field).toBe('area')
    const wrongLayer = await app.get(url({ ...q1(), layer: 'primaromrade' }))
    expect(wrongLayer.status).toBe(422)
    expect(wrongLayer.body.error.details[0].field).toBe('area')
    const prim = await sql<{ id: number }>`SELECT area_id AS id FROM time_profile WHERE layer_id = 'primaromrade' LIMIT 1`.execute(db.kysely)
    expect((await app.get(url({ ...q1(), layer: 'primaromrade', area: prim.rows[0]!.id }))).status).toBe(200)
    const forbidden = await local.get(url({ ...q1(), layer: 'primaromrade', area: prim.rows[0]!.id }))
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.details[0].field).toBe('layer')
    // A year not whole is no table for a local group (a later month would be its difference); an analyst gets the months there are.
    const year = { ...q1(), from: '2026-01', to: '2026-12' }
    expect((await local.get(url(year))).status).toBe(404)
    const partial = await app.get(url(year))
    expect(partial.status).toBe(200)
    expect(partial.body.missingMonths).toHaveLength(9)
    expect((await app.get(url({ ...q1(), from: '2025-01', to: '2025-03' }))).status).toBe(404)
  })

  it('a replaced import replaces its months of the profile: nothing lost, nothing doubled', async () => {
    const again = await post(app, '/api/imports/incidents?crs=EPSG:3006&replace=true', csv(points))
    expect(again.status).toBe(201)
    const sums = async () =>
      (await sql<{ period: string; import_id: number; n: number }>`
        SELECT period, import_id, sum(count)::int AS n FROM time_profile WHERE layer_id = 'stadsomrade' GROUP BY 1, 2 ORDER BY 1`.execute(db.kysely)).rows
    const after = await sums()
    expect(after.reduce((s, r) => s + r.n, 0)).toBe(points.length)
    expect(after.every((r) => r.import_id === again.body.importId)).toBe(true)
    // A new extract of February alone, every incident at 04:00: January and March stay, February is the new file's.
    const feb = points.filter((p) => /^2026-02-\d\d /.test(p.stamp)).map((p) => ({ ...p, stamp: `${p.stamp.slice(0, 10)} 04:10` }))
    const third = await post(app, '/api/imports/incidents?crs=EPSG:3006&replace=true', csv(feb))
    expect(third.status).toBe(201)
    const rows = await sums()
    expect(rows.find((r) => r.period === '2026-02')).toEqual({ period: '2026-02', import_id: third.body.importId, n: feb.length })
    expect(rows.filter((r) => r.period !== '2026-02').every((r) => r.import_id === again.body.importId)).toBe(true)
    const month = (await app.get(url({ ...q1(), from: '2026-02', to: '2026-02' }))).body
    expect(month.total.count).toBe(feb.length)
    expect(month.untimed).toBe(false)
    expect(month.cells.filter((c: any) => c.count > 0).every((c: any) => c.hour === 4)).toBe(true)
    expect(firstImport).toBeLessThan(again.body.importId)
  })

  it('a file of bare dates gives no profile: no table rather than one of "time unknown" only', async () => {
    const april = points.slice(0, 50).map((p) => ({ ...p, stamp: '2026-04-10' }))
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006', csv(april))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.rowsWithoutTime).toBe(50)
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM time_profile WHERE period = '2026-04'`.execute(db.kysely)
    expect(rows.rows[0]!.n).toBe(0)
    expect((await app.get(url({ ...q1(), from: '2026-04', to: '2026-04' }))).status).toBe(404)
    expect((await app.get('/api/analysis/time-profile/layers')).body.layers.flatMap((l: any) => l.months)).not.toContain('2026-04')
  })

  it('a value another import writes over takes its weekday × hour counts with it', async () => {
    const code = (await sql<{ code: string }>`SELECT code FROM areas WHERE id = ${area.id}`.execute(db.kysely)).rows[0]!.code
    const res = await post(app, '/api/imports/observations?replace=true', `indicator,layer,area_code,period,value\n${IND},stadsomrade,${code},2026-01,7\n`)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM time_profile WHERE area_id = ${area.id} AND period = '2026-01'`.execute(db.kysely)
    expect(left.rows[0]!.n).toBe(0)
    const jan = await app.get(url({ ...q1(), from: '2026-01', to: '2026-01' }))
    expect(jan.status).toBe(404)
    // The quarter is no longer whole in times: an analyst gets February and March, a local group nothing.
    expect((await app.get(url(q1()))).body.missingMonths).toEqual(['2026-01'])
    expect((await local.get(url(q1()))).status).toBe(404)
  })
})
