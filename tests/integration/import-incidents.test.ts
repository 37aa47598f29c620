/**
 * Incident extracts in, counts out, checked against PostGIS on the same polygons: the points are generated
 * by PostGIS (ST_GeneratePoints) and every area's expected count comes from an ST_Contains join.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type RunningApp } from '../helpers/http'

interface Pt {
  x: number
  y: number
  lon: number
  lat: number
  x3007: number
  y3007: number
  date: string
  category: string
}

describe.each(testEngines())('incident import on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let points: Pt[]
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    // 600 points in six primärområden plus some in the sea west of the city, dated Jan–Mar 2026.
    const { rows } = await sql<{ x: number; y: number; lon: number; lat: number; x3007: number; y3007: number; i: number }>`
      WITH pts AS (
        SELECT (ST_Dump(ST_GeneratePoints(geom, 100, 7))).geom AS g FROM areas
        WHERE layer_id = 'primaromrade' AND code IN ('612', '606', '116', '523', '701', '402')
        UNION ALL
        SELECT ST_SetSRID(ST_MakePoint(290000 + s * 10, 6400000), 3006) FROM generate_series(1, 5) s
      )
      SELECT ST_X(g) AS x, ST_Y(g) AS y, ST_X(ST_Transform(g, 4326)) AS lon, ST_Y(ST_Transform(g, 4326)) AS lat,
             ST_X(ST_Transform(g, 3007)) AS x3007, ST_Y(ST_Transform(g, 3007)) AS y3007, row_number() OVER ()::int AS i
      FROM pts`.execute(db.kysely)
    points = rows.map((r) => ({
      ...r,
      date: `2026-0${1 + (r.i % 3)}-${String(1 + (r.i % 28)).padStart(2, '0')}`,
      category: r.i % 4 === 0 ? 'Rån' : 'demo_misshandel_utomhus',
    }))
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const csv3006 = (pts: Pt[]) =>
    '\uFEFFDatum;Kategori;X;Y;Fritext\r\n' + pts.map((p) => `${p.date};${p.category};${String(p.x).replace('.', ',')};${String(p.y).replace('.', ',')};"ej lagrad; text"`).join('\r\n') + '\r\n'

  const count = async (table: 'observations' | 'import_log' | 'areas') =>
    Number((await db.kysely.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('previews a file without writing anything', async () => {
    const before = await count('observations')
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006&dryRun=true', csv3006(points))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      dryRun: true,
      rowsRead: 605,
      rowsAccepted: 600,
      rowsOutsideCity: 5,
      rowsRejected: 0,
      dateRange: { from: expect.stringMatching(/^2026-01/), to: expect.stringMatching(/^2026-03/) },
      periods: ['2026-01', '2026-02', '2026-03'],
      duplicateOf: null,
    })
    expect(res.body.categories).toEqual([
      { category: 'demo_misshandel_utomhus', rows: expect.any(Number), indicatorId: 'demo_misshandel_utomhus' },
      { category: 'Rån', rows: expect.any(Number), indicatorId: null },
    ])
    expect(await count('observations')).toBe(before)
  })

  it('refuses categories without an indicator, naming them', async () => {
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006', csv3006(points))
    expect(res.status).toBe(422)
    expect(res.body.error.message).toMatch(/Rån/)
  })

  it('counts every point into every layer exactly as PostGIS does, per month, and into the hexagon grid', async () => {
    const before = await count('import_log')
    const res = await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran&filename=utdrag.csv', csv3006(points))
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ rowsRead: 605, rowsAccepted: 600, rowsOutsideCity: 5 })
    expect(await count('import_log')).toBe(before + 1)

    const xs = points.map((p) => p.x)
    const ys = points.map((p) => p.y)
    const months = points.map((p) => p.date.slice(0, 7))
    const inds = points.map((p) => (p.category === 'Rån' ? 'demo_ran' : 'demo_misshandel_utomhus'))
    for (const layer of ['deso', 'primaromrade', 'stadsomrade', 'lokalpolisomrade', 'regso', 'utsatt_omrade']) {
      const { rows: expected } = await sql<{ area_id: number; month: string; ind: string; n: number }>`
        SELECT a.id AS area_id, p.month, p.ind, count(*)::int AS n
        FROM unnest(${xs}::float8[], ${ys}::float8[], ${months}::text[], ${inds}::text[]) AS p(x, y, month, ind)
        JOIN areas a ON a.layer_id = ${layer} AND ST_Contains(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006))
        -- Points outside the city count nowhere, also not in layers that reach into the sea.
        WHERE EXISTS (SELECT 1 FROM areas s WHERE s.layer_id = 'stadsomrade' AND ST_Covers(s.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006)))
        GROUP BY 1, 2, 3`.execute(db.kysely)
      const { rows: stored } = await sql<{ area_id: number; period: string; indicator_id: string; value: number }>`
        SELECT o.area_id, o.period, o.indicator_id, o.value FROM observations o JOIN areas a ON a.id = o.area_id
        WHERE a.layer_id = ${layer} AND o.period LIKE '2026-0%' AND o.import_id = ${res.body.importId}`.execute(db.kysely)
      const got = new Map(stored.map((s) => [`${s.area_id}|${s.period}|${s.indicator_id}`, s.value]))
      for (const e of expected) expect(got.get(`${e.area_id}|${e.month}|${e.ind}`), `${layer} ${e.area_id} ${e.month}`).toBe(e.n)
      const total = stored.reduce((s, r) => s + r.value, 0)
      expect(total, layer).toBe(expected.reduce((s, r) => s + r.n, 0))
      if (layer !== 'utsatt_omrade') expect(total, `${layer}: every accepted point, and no other`).toBe(600)
      // Zero is a value too: every area of the layer has every month.
      const areasInLayer = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas WHERE layer_id = ${layer}`.execute(db.kysely)).rows[0]!.n)
      expect(stored.length, layer).toBe(areasInLayer * 3 * 2)
    }
    const layers = await app.get('/api/layers')
    const hex = layers.body.find((l: any) => l.id === 'hex')
    expect(hex).toMatchObject({ kind: 'grid' })
    const hexTotal = await sql<{ n: number }>`
      SELECT sum(o.value)::int AS n FROM observations o JOIN areas a ON a.id = o.area_id WHERE a.layer_id = 'hex' AND o.import_id = ${res.body.importId}`.execute(db.kysely)
    expect(hexTotal.rows[0]!.n).toBe(600)
  })

  it('counts ISO weeks too, as PostgreSQL numbers them, every area of every layer with zero included', async () => {
    const xs = points.map((p) => p.x)
    const ys = points.map((p) => p.y)
    const dates = points.map((p) => p.date)
    const inds = points.map((p) => (p.category === 'Rån' ? 'demo_ran' : 'demo_misshandel_utomhus'))
    const { rows: weeks } = await sql<{ w: string }>`SELECT DISTINCT to_char(d::date, 'IYYY-"W"IW') AS w FROM unnest(${dates}::text[]) d ORDER BY 1`.execute(db.kysely)
    // 2026-01-01 is a Thursday: 1–4 January fall in 2026-W01, which starts on 29 December.
    expect(weeks[0]!.w).toBe('2026-W01')
    for (const layer of ['primaromrade', 'lokalpolisomrade']) {
      const { rows: expected } = await sql<{ area_id: number; week: string; ind: string; n: number }>`
        SELECT a.id AS area_id, to_char(p.d::date, 'IYYY-"W"IW') AS week, p.ind, count(*)::int AS n
        FROM unnest(${xs}::float8[], ${ys}::float8[], ${dates}::text[], ${inds}::text[]) AS p(x, y, d, ind)
        JOIN areas a ON a.layer_id = ${layer} AND ST_Contains(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006))
        WHERE EXISTS (SELECT 1 FROM areas s WHERE s.layer_id = 'stadsomrade' AND ST_Covers(s.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 3006)))
        GROUP BY 1, 2, 3`.execute(db.kysely)
      const { rows: stored } = await sql<{ area_id: number; period: string; indicator_id: string; value: number; period_start: string }>`
        SELECT o.area_id, o.period, o.indicator_id, o.value, o.period_start::text AS period_start FROM observations o JOIN areas a ON a.id = o.area_id
        WHERE a.layer_id = ${layer} AND o.period LIKE '%-W%'`.execute(db.kysely)
      const got = new Map(stored.map((s) => [`${s.area_id}|${s.period}|${s.indicator_id}`, s.value]))
      for (const e of expected) expect(got.get(`${e.area_id}|${e.week}|${e.ind}`), `${layer} ${e.area_id} ${e.week}`).toBe(e.n)
      expect(stored.reduce((s, r) => s + r.value, 0), layer).toBe(600)
      const areasInLayer = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas WHERE layer_id = ${layer}`.execute(db.kysely)).rows[0]!.n)
      expect(stored.length, layer).toBe(areasInLayer * weeks.length * 2)
      expect(stored.find((s) => s.period === '2026-W01')!.period_start).toBe('2025-12-29')
    }
    // DeSO, RegSO and the grid are counted per month only.
    const fineWeeks = await sql<{ layer_id: string }>`SELECT DISTINCT a.layer_id FROM observations o JOIN areas a ON a.id = o.area_id WHERE o.period LIKE '%-W%' ORDER BY 1`.execute(db.kysely)
    expect(fineWeeks.rows.map((r) => r.layer_id)).toEqual(['lokalpolisomrade', 'primaromrade', 'stadsdel', 'stadsomrade', 'utsatt_omrade'])

    // The values API reads a week like any period, and its city figure is the sum of the stadsområden.
    const w = await app.get('/api/indicators/demo_misshandel_utomhus/values?layer=stadsomrade&period=2026-W05')
    expect(w.status).toBe(200)
    expect(w.body.period).toBe('2026-W05')
    expect(w.body.city.value).toBe(w.body.values.reduce((s: number, v: any) => s + v.value, 0))
    const series = await app.get(`/api/indicators/demo_misshandel_utomhus/series?areas=${w.body.values[0].areaId}&periodKind=week`)
    expect(series.status).toBe(200)
    expect(series.body.periodKinds).toContain('week')
    expect(series.body.series[0].points.map((p: any) => p.period)).toEqual(weeks.map((r) => r.w))
    expect((await app.get('/api/indicators/demo_misshandel_utomhus/values?layer=stadsomrade&period=2025-W53')).status).toBe(400)
    // Without a period the values show the latest month, not the latest week.
    expect((await app.get('/api/indicators/demo_misshandel_utomhus/values?layer=stadsomrade')).body.period).toBe('2026-03')

    // A published lägesbild holds no weeks.
    const created = await send(app, 'POST', '/api/snapshots', { title: 'Utan veckor', description: '', settings: {}, indicators: ['demo_misshandel_utomhus'], layers: ['stadsomrade'] })
    expect(created.status).toBe(201)
    const frozen = (await app.get(`/api/snapshots/${created.body.id}/indicators`)).body
    expect(frozen[0].periods).toEqual(expect.arrayContaining(['2026-01', '2026-Q1']))
    expect(frozen[0].periods.filter((p: string) => p.includes('W'))).toEqual([])
  })

  it('derives quarters from complete months', async () => {
    const q = await app.get('/api/indicators/demo_misshandel_utomhus/values?layer=stadsomrade&period=2026-Q1')
    expect(q.status).toBe(200)
    expect(q.body.method).toMatchObject({ kind: 'summed' })
    const months = await Promise.all(['2026-01', '2026-02', '2026-03'].map((m) => app.get(`/api/indicators/demo_misshandel_utomhus/values?layer=stadsomrade&period=${m}`)))
    for (const v of q.body.values) {
      if (v.suppressed) continue
      const sum = months.reduce((s, m) => s + (m.body.values.find((x: any) => x.areaId === v.areaId)?.numerator ?? Number.NaN), 0)
      if (!Number.isNaN(sum)) expect(v.value).toBe(sum)
    }
    const ind = (await app.get('/api/indicators')).body.find((i: any) => i.id === 'demo_misshandel_utomhus')
    expect(ind.layers.find((l: any) => l.layer === 'stadsomrade').periods).toEqual(expect.arrayContaining(['2026-01', '2026-Q1']))
    expect(ind.layers.find((l: any) => l.layer === 'stadsomrade').periods).not.toContain('2026-H1')
  })

  it('refuses the same file again unless replaced, and stores no point or row anywhere', async () => {
    const file = csv3006(points)
    const again = await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran', file)
    expect(again.status).toBe(409)
    const before = await count('observations')
    const replaced = await post(app, '/api/imports/incidents?crs=EPSG:3006&map=R%C3%A5n:demo_ran&replace=true', file)
    expect(replaced.status).toBe(201)
    expect(await count('observations')).toBe(before)
    // No point column anywhere, and neither coordinates nor free text from the file in any logged detail.
    const { rows: pointCols } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM geometry_columns WHERE type IN ('POINT', 'MULTIPOINT')`.execute(db.kysely)
    expect(pointCols[0]!.n).toBe(0)
    const probe = String(Math.trunc(points[0]!.x))
    const { rows: leaks } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM import_log WHERE details::text LIKE ${'%' + probe + '%'} OR details::text LIKE '%ej lagrad%'`.execute(db.kysely)
    expect(leaks[0]!.n).toBe(0)
  })

  it('reads WGS84 lon/lat and SWEREF99 12 00 to the same counts', async () => {
    const sample = points.slice(0, 60).map((p) => ({ ...p, date: p.date.replace('2026-0', '2025-1') }))
    const wgs = 'date,category,lon,lat\n' + sample.map((p) => `${p.date},demo_narkotikabrott,${p.lon},${p.lat}`).join('\n')
    const a = await post(app, '/api/imports/incidents?dryRun=true', wgs)
    const t3007 = 'datum;kategori;e;n\n' + sample.map((p) => `${p.date};demo_narkotikabrott;${String(p.x3007).replace('.', ',')};${String(p.y3007).replace('.', ',')}`).join('\n')
    const b = await post(app, '/api/imports/incidents?crs=EPSG:3007&dryRun=true', t3007)
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    expect(a.body.rowsAccepted).toBe(b.body.rowsAccepted)
    expect(a.body.rowsOutsideCity).toBe(b.body.rowsOutsideCity)
    expect(a.body.areasTouched).toBe(b.body.areasTouched)
  })

  it('reads GeoJSON points and rejects other geometry types by feature', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [points[0]!.lon, points[0]!.lat] }, properties: { date: '2025-06-01', category: 'demo_ran' } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[11.9, 57.7], [12, 57.8]] }, properties: { date: '2025-06-01', category: 'demo_ran' } },
      ],
    }
    const res = await post(app, '/api/imports/incidents', JSON.stringify(fc), 'application/geo+json')
    expect(res.status).toBe(422)
    expect(res.body.error.details).toEqual([expect.objectContaining({ row: 2, field: 'geometry' })])
  })

  it('reports each bad row by row and field; strict mode changes nothing, lenient mode keeps the good rows', async () => {
    const p = points[0]!
    const good = `2025-07-01;demo_ran;${p.x};${p.y}`
    const file = [
      'datum;kategori;x;y',
      good, // 2
      `;demo_ran;${p.x};${p.y}`, // 3 missing date
      `2025-02-30;demo_ran;${p.x};${p.y}`, // 4 impossible date
      `2099-01-01;demo_ran;${p.x};${p.y}`, // 5 future
      `1999-12-31;demo_ran;${p.x};${p.y}`, // 6 too old
      `2025-07-01;demo_ran;abc;${p.y}`, // 7 unparseable coordinate
      `2025-07-01;demo_ran;5000;${p.y}`, // 8 outside Sweden
      `2025-07-01;;${p.x};${p.y}`, // 9 missing category
      `2025-07-01;demo_ran;;`, // 10 missing coordinate
    ].join('\n')
    const before = await count('observations')
    const strict = await post(app, '/api/imports/incidents?crs=EPSG:3006', file)
    expect(strict.status).toBe(422)
    expect(strict.body.error.details.map((d: any) => `${d.row}:${d.field}`)).toEqual([
      '3:date', '4:date', '5:date', '6:date', '7:coordinates', '8:coordinates', '9:category', '10:coordinates',
    ])
    expect(await count('observations')).toBe(before)
    const lenient = await post(app, '/api/imports/incidents?crs=EPSG:3006&strict=false', file)
    expect(lenient.status).toBe(201)
    expect(lenient.body).toMatchObject({ rowsRead: 9, rowsAccepted: 1, rowsRejected: 8 })
    expect(lenient.body.problems).toHaveLength(8)
  })

  it.each([
    ['an empty file', '', '', 422],
    ['no coordinate columns', '', 'datum;kategori\n2025-01-01;demo_ran\n', 422],
    ['x/y without a CRS', '', 'datum;kategori;x;y\n2025-01-01;demo_ran;320000;6400000\n', 422],
    ['an unknown CRS', 'crs=EPSG:9999', 'datum;kategori;x;y\n2025-01-01;demo_ran;320000;6400000\n', 400],
    ['a malformed category map', 'map=nocolon', 'datum;kategori;x;y\n', 400],
    ['invalid GeoJSON', 'format=geojson', '{"type":"Feature"', 422],
  ])('answers %s with a clear 4xx', async (_what, query, body, status) => {
    const before = await count('observations')
    const res = await post(app, `/api/imports/incidents?${query}`, body)
    expect(res.status).toBe(status)
    expect(res.body.error.message).toEqual(expect.any(String))
    expect(await count('observations')).toBe(before)
  })
})
