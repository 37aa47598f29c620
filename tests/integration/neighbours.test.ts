/**
 * Queen contiguity from PostGIS, checked against Turf on the same full-precision geometry, and on the
 * hexagon grid against H3's own neighbours.
 */
import * as turf from '@turf/turf'
import { gridDisk } from 'h3-js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('queen neighbours on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'public' })
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  /** Turf's answer: every pair whose polygons share at least a point. */
  async function turfPairs(layer: string): Promise<Set<string>> {
    const { rows } = await sql<{ id: number; g: string }>`
      SELECT id, ST_AsGeoJSON(geom) AS g FROM areas WHERE layer_id = ${layer} AND valid_to IS NULL ORDER BY id`.execute(db.kysely)
    const shapes = rows.map((r) => ({ id: r.id, f: turf.feature(JSON.parse(r.g)), box: turf.bbox(JSON.parse(r.g)) }))
    const pairs = new Set<string>()
    for (let i = 0; i < shapes.length; i++) {
      for (let j = i + 1; j < shapes.length; j++) {
        const [a, b] = [shapes[i]!, shapes[j]!]
        if (a.box[0] > b.box[2] || b.box[0] > a.box[2] || a.box[1] > b.box[3] || b.box[1] > a.box[3]) continue
        if (turf.booleanIntersects(a.f as any, b.f as any)) pairs.add(`${a.id}-${b.id}`)
      }
    }
    return pairs
  }

  const pairsOf = (neighbours: Record<string, number[]>) => {
    const out = new Set<string>()
    for (const [a, list] of Object.entries(neighbours)) for (const b of list) out.add(Number(a) < b ? `${a}-${b}` : `${b}-${a}`)
    return out
  }

  // (Stadsområden are left out: Turf needs over a minute for their coastlines.)
  it.each(['utsatt_omrade', 'primaromrade'])('finds the same pairs as Turf on %s, symmetric, every area listed', async (layer) => {
    const res = await app.get(`/api/layers/${layer}/neighbours`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ method: 'queen', layer })
    const n: Record<string, number[]> = res.body.neighbours
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM areas WHERE layer_id = ${layer} AND valid_to IS NULL`.execute(db.kysely)
    expect(Object.keys(n)).toHaveLength(rows[0]!.n)
    for (const [a, list] of Object.entries(n)) {
      expect(list).not.toContain(Number(a))
      for (const b of list) expect(n[String(b)], `${b} lists ${a}`).toContain(Number(a))
    }
    expect([...pairsOf(n)].sort()).toEqual([...(await turfPairs(layer))].sort())
    if (layer === 'primaromrade') expect(pairsOf(n).size).toBeGreaterThan(150)
  })

  it('gives the hexagon grid exactly H3’s neighbours', async () => {
    const analyst = await app.as('analyst')
    const csv = 'datum,kategori,x,y\n2025-03-01,demo_ran,319500,6399500\n'
    expect((await post(analyst, '/api/imports/incidents?crs=EPSG:3006', csv)).status).toBe(201)
    const res = await app.get('/api/layers/hex/neighbours')
    const { rows } = await sql<{ id: number; code: string }>`SELECT id, code FROM areas WHERE layer_id = 'hex' AND valid_to IS NULL`.execute(db.kysely)
    expect(rows.length).toBeGreaterThan(500)
    const idOf = new Map(rows.map((r) => [r.code, r.id]))
    const codeOf = new Map(rows.map((r) => [r.id, r.code]))
    for (const [id, list] of Object.entries(res.body.neighbours as Record<string, number[]>)) {
      const code = codeOf.get(Number(id))!
      const expected = gridDisk(code, 1).filter((c) => c !== code && idOf.has(c)).map((c) => idOf.get(c)!).sort((a, b) => a - b)
      expect(list, code).toEqual(expected)
    }
  })

  it('refuses an unknown layer and a bad date by name', async () => {
    expect((await app.get('/api/layers/atlantis/neighbours')).status).toBe(404)
    const bad = await app.get('/api/layers/deso/neighbours?at=2025-13-01')
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('at')
  })
})
