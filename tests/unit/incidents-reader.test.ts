import { describe, expect, it } from 'vitest'
import { AppError } from '../../server/errors'
import { readIncidents, type IncidentReadOptions, type Problem } from '../../server/features/imports/incidents.reader'

async function* bytes(text: string) {
  yield new TextEncoder().encode(text)
}

async function read(text: string, opts: Partial<IncidentReadOptions> = {}) {
  const problems: Problem[] = []
  const points = []
  for await (const batch of readIncidents(bytes(text), { format: 'csv', crs: null, today: '2025-06-30', ...opts }, problems)) points.push(...batch)
  return { points, problems }
}

describe('readIncidents', () => {
  it('turns rows into points in EPSG:3006 with their date and category, and names each bad row and field', async () => {
    const { points, problems } = await read(
      [
        'datum;kategori;lon;lat',
        '2024-03-01;rån;11,97;57,71',
        '2024-03-02 14:30;stöld;11,95;57,70',
        ';rån;11,97;57,71',
        '2024-02-30;rån;11,97;57,71',
        '2026-01-01;;11,97;57,71',
        '2024-03-01;rån;;57,71',
        '2024-03-01;rån;abc;57,71',
        '2024-03-01;rån;25,0;40,0',
        '1999-12-31;rån;11,97;57,71',
      ].join('\n'),
    )
    expect(points).toHaveLength(9)
    expect(points[0]).toMatchObject({ date: '2024-03-01', category: 'rån' })
    expect(points[0]!.e).toBeCloseTo(319_880, -3)
    expect(points[0]!.n).toBeCloseTo(6_400_000, -4)
    expect(points[1]).toMatchObject({ date: '2024-03-02', category: 'stöld' })
    expect(points.slice(2).every((p) => p === null)).toBe(true)
    expect(problems).toEqual([
      { row: 4, field: 'date', message: 'datum saknas' },
      { row: 5, field: 'date', message: '"2024-02-30" är inget datum (ÅÅÅÅ-MM-DD)' },
      { row: 6, field: 'date', message: '2026-01-01 ligger utanför tillåtet intervall 2000-01-01–2025-06-30' },
      { row: 6, field: 'category', message: 'kategori saknas' },
      { row: 7, field: 'coordinates', message: 'koordinat saknas' },
      { row: 8, field: 'coordinates', message: 'koordinaten kan inte tolkas som tal' },
      { row: 9, field: 'coordinates', message: '(25, 40) ligger utanför Sverige i EPSG:4326' },
      { row: 10, field: 'date', message: '1999-12-31 ligger utanför tillåtet intervall 2000-01-01–2025-06-30' },
    ])
  })

  it('reads the Stockholm weekday and hour of a time stamp, none of a bare date, and refuses an impossible time', async () => {
    const { points, problems } = await read(
      [
        'date,category,x,y',
        '2024-03-01,rån,319880,6400000',
        '2024-03-02 14:30,rån,319880,6400000',
        '2024-03-31T00:30:00Z,rån,319880,6400000',
        '2024-03-31T01:30:00Z,rån,319880,6400000',
        '2024-04-30T22:30:00Z,rån,319880,6400000',
        '2024-03-02 25:00,rån,319880,6400000',
      ].join('\n'),
      { crs: 'EPSG:3006' },
    )
    expect(points.map((p) => p && { date: p.date, weekday: p.weekday, hour: p.hour })).toEqual([
      { date: '2024-03-01', weekday: 5, hour: null },
      { date: '2024-03-02', weekday: 6, hour: 14 },
      // Summer time began at 01:00 UTC on Sunday 31 March 2024.
      { date: '2024-03-31', weekday: 7, hour: 1 },
      { date: '2024-03-31', weekday: 7, hour: 3 },
      // Tuesday 30 April 22:30 UTC is Wednesday 1 May 00:30 in Stockholm: the month moves with it.
      { date: '2024-05-01', weekday: 3, hour: 0 },
      null,
    ])
    expect(problems).toEqual([{ row: 7, field: 'date', message: '"2024-03-02 25:00" är ingen tidpunkt (ÅÅÅÅ-MM-DD TT:MM, ev. med tidszon)' }])
  })

  it('reads x/y in the given CRS and WKT points', async () => {
    const xy = await read('date,category,x,y\n2024-03-01,rån,319880,6400000\n', { crs: 'EPSG:3006' })
    expect(xy.points).toEqual([{ e: 319880, n: 6400000, date: '2024-03-01', weekday: 5, hour: null, category: 'rån' }])
    const wkt = await read('date,category,wkt\n2024-03-01,rån,POINT (319880 6400000)\n2024-03-01,rån,LINESTRING (1 2)\n', { crs: 'EPSG:3006' })
    expect(wkt.points[0]).toEqual({ e: 319880, n: 6400000, date: '2024-03-01', weekday: 5, hour: null, category: 'rån' })
    expect(wkt.problems).toEqual([{ row: 3, field: 'coordinates', message: 'koordinaten kan inte tolkas som tal' }])
  })

  it('refuses a file without the columns it needs, naming each (422)', async () => {
    const err = await read('when,what,x,y\n2024-03-01,rån,1,2\n').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ status: 422, message: 'Filen saknar nödvändiga kolumner' })
    expect((err as AppError).details.map((d) => d.field)).toEqual(['date', 'category', 'crs'])
  })

  it('reads GeoJSON points and names a geometry that is not a point', async () => {
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [11.97, 57.71] }, properties: { Datum: '2024-03-01', Kategori: 'rån' } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[11.97, 57.71], [11.98, 57.72]] }, properties: { datum: '2024-03-01', kategori: 'rån' } },
      ],
    }
    const { points, problems } = await read(JSON.stringify(doc), { format: 'geojson' })
    expect(points[0]).toMatchObject({ date: '2024-03-01', category: 'rån' })
    expect(points[1]).toBeNull()
    expect(problems).toEqual([{ row: 2, field: 'geometry', message: 'geometritypen LineString stöds inte, endast Point' }])
  })
})
