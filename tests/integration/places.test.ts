import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type RunningApp } from '../helpers/http'

// Around Brunnsparken, drawn on the map as a closed ring in WGS84.
const square = { type: 'Polygon', coordinates: [[[11.9660, 57.7070], [11.9690, 57.7070], [11.9690, 57.7085], [11.9660, 57.7085], [11.9660, 57.7070]]] }

describe.each(testEngines())('drawn places on $name', (engine) => {
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

  it('stores a drawn place as an area of the plats layer, where PostGIS finds it in Centrum, usable by a measure', async () => {
    const res = await send(app, 'POST', '/api/places', { name: 'Brunnsparken', geometry: square })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ layer: 'plats', name: 'Brunnsparken', repaired: null })
    const { rows } = await sql<{ name: string; km2: number }>`
      SELECT s.name, ST_Area(p.geom) / 1e6 AS km2 FROM areas p JOIN areas s ON s.layer_id = 'stadsomrade' AND ST_Within(ST_PointOnSurface(p.geom), s.geom)
      WHERE p.id = ${res.body.id}`.execute(db.kysely)
    expect(rows[0]!.name).toBe('Centrum')
    expect(rows[0]!.km2).toBeGreaterThan(0.02)
    expect(rows[0]!.km2).toBeLessThan(0.04)
    const layers = (await send(app, 'GET', '/api/layers')).body
    expect(layers.find((l: any) => l.id === 'plats')).toMatchObject({ kind: 'drawn', areaCount: 1 })
    const areas = (await send(app, 'GET', '/api/areas')).body
    expect(areas.find((a: any) => a.id === res.body.id)).toMatchObject({ layer: 'plats', name: 'Brunnsparken' })
  })

  it('repairs a self-crossing drawing and says so', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[11.96, 57.70], [11.97, 57.71], [11.97, 57.70], [11.96, 57.71], [11.96, 57.70]]] }
    const res = await send(app, 'POST', '/api/places', { name: 'Fluga', geometry: bowtie })
    expect(res.status).toBe(201)
    expect(res.body.repaired).toMatch(/Self-intersection/)
  })

  it.each([
    ['no name', { geometry: square }, 'name'],
    ['a line', { name: 'Linje', geometry: { type: 'LineString', coordinates: [[11.9, 57.7], [12, 57.8]] } }, 'geometry.type'],
    ['two corners', { name: 'Smal', geometry: { type: 'Polygon', coordinates: [[[11.9, 57.7], [12, 57.8], [11.9, 57.7]]] } }, 'geometry.coordinates.0'],
    ['a place in Africa', { name: 'Långt bort', geometry: { type: 'Polygon', coordinates: [[[20, 0], [21, 0], [21, 1], [20, 0]]] } }, 'geometry.coordinates'],
    ['a shape without area', { name: 'Streck', geometry: { type: 'Polygon', coordinates: [[[11.96, 57.70], [11.97, 57.70], [11.98, 57.70], [11.96, 57.70]]] } }, 'geometry'],
  ])('refuses %s with 422 naming the field', async (_what, body, field) => {
    const res = await send(app, 'POST', '/api/places', body)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
  })
})
