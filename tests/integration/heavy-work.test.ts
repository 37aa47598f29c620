/**
 * Heavy work does not stall other requests, and is not repeated for nothing: the incident import's area
 * index is built once per boundary version; 9 999 LISA permutations run off the event loop.
 * Counted and ordered, never timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Db } from '../../db/connect'
import { permutationStats } from '../../server/features/analysis/permutations'
import { areaIndexStats } from '../../server/features/imports/area-index.cache'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('heavy work on $name', (engine) => {
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

  // Points in Centrum (Brunnsparken), WGS84.
  const csv = (n: number, day = '2026-01-15') =>
    ['datum,kategori,lon,lat', ...Array.from({ length: n }, (_, i) => `${day},demo_ran,${11.9675 + i * 1e-5},57.7078`)].join('\n')
  const dryRun = async () => {
    const res = await post(app, '/api/imports/incidents?dryRun=true', csv(1))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ rowsRead: 1, rowsAccepted: 1 })
  }

  it('builds the area index once per boundary version, not per import', async () => {
    const start = areaIndexStats.builds
    await dryRun()
    expect(areaIndexStats.builds - start).toBe(1)
    await dryRun()
    const real = await post(app, '/api/imports/incidents', csv(3))
    expect(real.status).toBe(201)
    // The import laid the hexagon grid: that is not a change of boundaries.
    await dryRun()
    expect(areaIndexStats.builds - start).toBe(1)

    // A drawn place is a new area: the next import sees it.
    const square = { type: 'Polygon', coordinates: [[[11.9660, 57.7070], [11.9690, 57.7070], [11.9690, 57.7085], [11.9660, 57.7085], [11.9660, 57.7070]]] }
    expect((await send(app, 'POST', '/api/places', { name: 'Brunnsparken', geometry: square })).status).toBe(201)
    await dryRun()
    expect(areaIndexStats.builds - start).toBe(2)
    // So does a change written by someone else (another instance, a script), read from the database.
    await sql`UPDATE areas SET valid_from = valid_from WHERE layer_id = 'stadsomrade'`.execute(db.kysely)
    await dryRun()
    await dryRun()
    expect(areaIndexStats.builds - start).toBe(3)
  })

  it('answers other requests while 9 999 LISA permutations run', async () => {
    const path = '/api/analysis/hotspots?indicator=demo_misshandel_utomhus&layer=primaromrade&period=2024&method=lisa&permutations=9999&seed=7'
    const before = { ...permutationStats }
    let settled = false
    const lisa = app.get(path).finally(() => (settled = true))
    // Wait (by turns of the event loop, not time) until the permutations have been handed off, then ask for health.
    while (permutationStats.started === before.started && !settled) await new Promise((r) => setImmediate(r))
    const health = await app.get('/api/health')
    // Answered while the permutations were still being computed: not one has finished yet.
    const finishedMeanwhile = permutationStats.finished - before.finished
    expect(health.status).toBe(200)
    const l = await lisa
    expect(l.status).toBe(200)
    expect(finishedMeanwhile).toBe(0)
    expect(permutationStats.finished - before.finished).toBe(1)
    expect(l.body.values.filter((v: any) => v.class !== 'ns' && v.class !== 'missing').length).toBeGreaterThan(0)
    // Seeded: the same request gives the same figures (tests/unit/permutations.test.ts compares them with the in-process ones).
    expect((await app.get(path)).body).toEqual(l.body)
  })
  it('serves a layer\'s boundaries from memory until the areas change, by whoever changes them', async () => {
    const names = async () => (await app.get('/api/layers/stadsomrade/areas')).body.features.map((f: any) => f.properties.name).sort()
    const before = await names()
    expect(before).toEqual(['Centrum', 'Hisingen', 'Nordost', 'Sydväst'])
    // Behind the version's back (its trigger off), a change is not seen: the answer came from memory.
    await sql`ALTER TABLE areas DISABLE TRIGGER areas_boundary_version_write`.execute(db.kysely)
    await sql`UPDATE areas SET name = 'Centrum (ny)' WHERE layer_id = 'stadsomrade' AND name = 'Centrum'`.execute(db.kysely)
    await sql`ALTER TABLE areas ENABLE TRIGGER areas_boundary_version_write`.execute(db.kysely)
    expect(await names()).toEqual(before)
    // Any change made through the table bumps the version: the next read has it.
    await sql`UPDATE areas SET name = 'Centrum' WHERE layer_id = 'stadsomrade' AND name = 'Centrum (ny)'`.execute(db.kysely)
    await sql`UPDATE areas SET name = 'Hisingen (ny)' WHERE layer_id = 'stadsomrade' AND name = 'Hisingen'`.execute(db.kysely)
    expect(await names()).toEqual(['Centrum', 'Hisingen (ny)', 'Nordost', 'Sydväst'])
    await sql`UPDATE areas SET name = 'Hisingen' WHERE layer_id = 'stadsomrade' AND name = 'Hisingen (ny)'`.execute(db.kysely)

    // Sent gzipped when asked (made once per version), plain otherwise, and revalidated by an ETag naming the version.
    const url = `${app.url}/api/layers/stadsomrade/areas`
    const gz = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    const plain = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await gz.json()).toEqual(await plain.json())
    const etag = plain.headers.get('etag')!
    expect((await fetch(url, { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } })).status).toBe(304)
    // The ETag names the bytes: a write that changes nothing keeps it, one that changes a name does not.
    await sql`UPDATE areas SET name = name WHERE layer_id = 'stadsomrade'`.execute(db.kysely)
    expect((await fetch(url, { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } })).status).toBe(304)
    await sql`UPDATE areas SET name = 'Hisingen (ny)' WHERE layer_id = 'stadsomrade' AND name = 'Hisingen'`.execute(db.kysely)
    expect((await fetch(url, { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } })).status).toBe(200)
    await sql`UPDATE areas SET name = 'Hisingen' WHERE layer_id = 'stadsomrade' AND name = 'Hisingen (ny)'`.execute(db.kysely)
  })
})
