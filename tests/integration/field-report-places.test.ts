import * as turf from '@turf/turf'
import type { Feature, MultiPolygon, Polygon } from 'geojson'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

/**
 * Field reports on a drawn place (issue 18): the report's primärområde is the current one holding the largest
 * part of the place, so the indicator stays per primärområde; a local group uses only places in its own
 * stadsområde (403 on placeId), a place outside every primärområde is refused (422 on placeId).
 */
describe.each(testEngines())('field reports on drawn places on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let localCode: string
  /** A square across the border of two of the local group's primärområden, mostly in one (WGS84, as drawn). */
  let straddling: Polygon
  /** A square inside another stadsområde. */
  let elsewhere: Polygon
  const WEEK = '2026-W10'
  // Stockholm: in Sweden, outside every primärområde of Göteborg.
  const stockholm: Polygon = { type: 'Polygon', coordinates: [[[18.06, 59.33], [18.07, 59.33], [18.07, 59.335], [18.06, 59.335], [18.06, 59.33]]] }

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    localCode = (await db.kysely.selectFrom('users').select('stadsomrade_code').where('role', '=', 'local').where('stadsomrade_code', 'is not', null).executeTakeFirstOrThrow()).stadsomrade_code!
    // Two neighbouring primärområden of the stadsområde, far from its edge: a square reaching 100 m into one
    // side of their border point and 300 m into the other.
    const { rows } = await sql<{ square: string; other: string }>`
      WITH s AS (SELECT geom FROM areas WHERE layer_id = 'stadsomrade' AND code = ${localCode} AND valid_to IS NULL),
      p AS (SELECT a.id, a.geom FROM areas a, s WHERE a.layer_id = 'primaromrade' AND a.valid_to IS NULL AND ST_Within(ST_PointOnSurface(a.geom), s.geom)),
      pt AS (SELECT ST_PointOnSurface(ST_Intersection(ST_Buffer(x.geom, 1), ST_Buffer(y.geom, 1))) AS g
             FROM p x JOIN p y ON x.id < y.id AND ST_Intersects(ST_Buffer(x.geom, 1), y.geom) AND ST_Area(ST_Intersection(ST_Buffer(x.geom, 1), ST_Buffer(y.geom, 1))) > 100),
      far AS (SELECT pt.g FROM pt, s ORDER BY ST_Distance(pt.g, ST_Boundary(s.geom)) DESC LIMIT 1),
      o AS (SELECT ST_PointOnSurface(a.geom) AS g FROM areas a WHERE a.layer_id = 'stadsomrade' AND a.code <> ${localCode} AND a.valid_to IS NULL ORDER BY a.code LIMIT 1)
      SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(ST_X(far.g) - 100, ST_Y(far.g) - 100, ST_X(far.g) + 300, ST_Y(far.g) + 300, 3006), 4326), 7) AS square,
             ST_AsGeoJSON(ST_Transform(ST_Expand(o.g, 50), 4326), 7) AS other
      FROM far, o`.execute(db.kysely)
    straddling = JSON.parse(rows[0]!.square)
    elsewhere = JSON.parse(rows[0]!.other)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const fields = (res: { body: any }) => res.body.error.details.map((d: any) => d.field)
  const place = async (name: string, geometry: Polygon) => {
    const res = await send(app, 'POST', '/api/places', { name, geometry })
    expect(res.status).toBe(201)
    return res.body.id as number
  }
  /** Independently of the app: each current primärområde's share of the drawn square, by Turf on WGS84. */
  const sharesByTurf = async (geometry: Polygon) => {
    const { rows } = await sql<{ id: number; g: string }>`
      SELECT id, ST_AsGeoJSON(ST_Transform(geom, 4326), 9) AS g FROM areas WHERE layer_id = 'primaromrade' AND valid_to IS NULL`.execute(db.kysely)
    const drawn = turf.polygon(geometry.coordinates)
    const total = turf.area(drawn)
    return rows
      .map((r) => {
        const cut = turf.intersect(turf.featureCollection([drawn, turf.feature(JSON.parse(r.g)) as Feature<Polygon | MultiPolygon>]))
        return { id: r.id, share: cut ? turf.area(cut) / total : 0 }
      })
      .filter((r) => r.share > 0)
      .sort((a, b) => b.share - a.share)
  }

  it('counts a report on a place in the primärområde holding most of it, and keeps the indicator per primärområde', async () => {
    const shares = await sharesByTurf(straddling)
    // The square does straddle a border, and one side clearly holds more.
    expect(shares.length).toBeGreaterThanOrEqual(2)
    expect(shares[0]!.share - shares[1]!.share).toBeGreaterThan(0.1)
    const expected = shares[0]!.id
    const id = await place('Torget vid gränsen', straddling)

    const offered = (await send(local, 'GET', '/api/field-reports/places')).body
    expect(offered.find((p: any) => p.id === id)).toMatchObject({ id, name: 'Torget vid gränsen', areaId: expected, stadsomradeCode: localCode })

    const other = shares[1]!.id
    // The place decides the area: an areaId sent with it is overridden.
    const res = await send(local, 'POST', '/api/field-reports', { placeId: id, areaId: other, week: WEEK, category: 'oro_i_grupp', count: 7, text: 'Oro vid torget kvällstid' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ areaId: expected, placeId: id, placeName: 'Torget vid gränsen', stadsomradeCode: localCode, count: 7 })
    expect((await send(local, 'GET', `/api/field-reports?area=${expected}`)).body[0]).toMatchObject({ placeId: id, placeName: 'Torget vid gränsen' })

    const prim = await app.get(`/api/indicators/trygghetsrapporter/values?layer=primaromrade&period=${WEEK}`)
    const v = new Map<number, number>(prim.body.values.map((x: any) => [x.areaId, x.value]))
    expect(v.get(expected)).toBe(7)
    expect(v.get(other)).toBe(0)
    const so = await app.get(`/api/indicators/trygghetsrapporter/values?layer=stadsomrade&period=${WEEK}`)
    expect(so.body.city.value).toBe(7)
    // The same rule as PostGIS would state it directly, on the stored geometries.
    const { rows } = await sql<{ id: number }>`
      SELECT a.id FROM areas a, areas p WHERE p.id = ${id} AND a.layer_id = 'primaromrade' AND a.valid_to IS NULL
      ORDER BY ST_Area(ST_Intersection(a.geom, p.geom)) DESC LIMIT 1`.execute(db.kysely)
    expect(rows[0]!.id).toBe(expected)

    // Moved to an area without the place, then back onto the place.
    const moved = await send(local, 'PATCH', `/api/field-reports/${res.body.id}`, { version: 1, areaId: other })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ areaId: other, placeId: null, placeName: null })
    const back = await send(local, 'PATCH', `/api/field-reports/${res.body.id}`, { version: 2, placeId: id })
    expect(back.body).toMatchObject({ areaId: expected, placeId: id })
    const audit = await db.kysely.selectFrom('audit_log').select('after').where('entity', '=', 'field_report').where('entity_id', '=', String(res.body.id)).orderBy('id').execute()
    expect(JSON.stringify(audit[0]!.after)).toContain('Torget vid gränsen')
  })

  it("refuses a local group another stadsområde's place (403 on placeId); analysts may use it", async () => {
    const id = await place('Annan stadsdels torg', elsewhere)
    expect((await send(local, 'GET', '/api/field-reports/places')).body.map((p: any) => p.id)).not.toContain(id)
    expect((await send(app, 'GET', '/api/field-reports/places')).body.map((p: any) => p.id)).toContain(id)
    const res = await send(local, 'POST', '/api/field-reports', { placeId: id, week: WEEK, category: 'brand', count: 1 })
    expect(res.status).toBe(403)
    expect(fields(res)).toEqual(['placeId'])
    const analyst = await send(app, 'POST', '/api/field-reports', { placeId: id, week: WEEK, category: 'brand', count: 1 })
    expect(analyst.status).toBe(201)
    expect(analyst.body.stadsomradeCode).not.toBe(localCode)
  })

  it('refuses a place outside every primärområde, an area that is no place, and a report naming neither (422)', async () => {
    const id = await place('Sergels torg', stockholm)
    const outside = await send(app, 'POST', '/api/field-reports', { placeId: id, week: WEEK, category: 'brand', count: 1 })
    expect(outside.status).toBe(422)
    expect(fields(outside)).toEqual(['placeId'])
    expect(outside.body.error.details[0].message).toMatch(/utanför alla primärområden/)
    expect((await send(app, 'GET', '/api/field-reports/places')).body.map((p: any) => p.id)).not.toContain(id)
    // The same for a local group: what cannot be counted anywhere is refused before any question of rights.
    expect(fields(await send(local, 'POST', '/api/field-reports', { placeId: id, week: WEEK, category: 'brand', count: 1 }))).toEqual(['placeId'])
    const primary = (await db.kysely.selectFrom('areas').select('id').where('layer_id', '=', 'primaromrade').executeTakeFirstOrThrow()).id
    const notPlace = await send(app, 'POST', '/api/field-reports', { placeId: primary, week: WEEK, category: 'brand', count: 1 })
    expect(notPlace.status).toBe(422)
    expect(fields(notPlace)).toEqual(['placeId'])
    const neither = await send(app, 'POST', '/api/field-reports', { week: WEEK, category: 'brand', count: 1 })
    expect(neither.status).toBe(422)
    expect(fields(neither)).toEqual(['areaId'])
    expect(fields(await send(app, 'POST', '/api/field-reports', { placeId: 'torget', week: WEEK, category: 'brand', count: 1 }))).toEqual(['placeId'])
  })
})
