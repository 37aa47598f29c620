import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

describe.each(testEngines())('caching and CORS on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let analyst: Client
  let published: number
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'public' })
    analyst = await app.as('analyst')
    published = ((await app.get('/api/snapshots')).body as Array<{ id: number; published: boolean }>).find((s) => s.published)!.id
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const head = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(app.url + path, init)
    await res.arrayBuffer()
    return { status: res.status, h: res.headers }
  }

  it('lets anyone cache a published snapshot\'s resources forever, and keeps an analyst\'s view of them private', async () => {
    for (const path of [`/api/snapshots/${published}`, `/api/snapshots/${published}/indicators`, `/api/snapshots/${published}/layers`]) {
      const anonymous = await head(path)
      expect(anonymous.status, path).toBe(200)
      expect(anonymous.h.get('cache-control'), path).toBe('public, max-age=31536000, immutable')
      const internal = await head(path, { headers: analyst.headers() })
      expect(internal.h.get('cache-control'), path).toBe('private, no-store')
    }
    // Not published (or not there): an error, never cached.
    expect((await head('/api/snapshots/987654/indicators')).h.get('cache-control')).toBe('no-store')
  })

  it('gives current public answers an ETag and a short max-age, and answers If-None-Match with 304', async () => {
    const first = await head('/api/indicators')
    expect(first.status).toBe(200)
    expect(first.h.get('cache-control')).toBe('public, max-age=60')
    expect(first.h.get('vary')).toMatch(/Cookie/)
    const etag = first.h.get('etag')
    expect(etag).toBeTruthy()
    // As a browser revalidates (fetch() itself would add Cache-Control: no-cache, which asks for a full answer).
    const again = await head('/api/indicators', { headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' } })
    expect(again.status).toBe(304)
    const other = await head('/api/layers', { headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' } })
    expect(other.status).toBe(200)
  })

  it('never stores an answer with internal figures: a signed-in user\'s or a token\'s', async () => {
    const values = '/api/indicators/demo_ran/values?layer=primaromrade&period=2025'
    const byCookie = await head(values, { headers: analyst.headers() })
    expect(byCookie.status).toBe(200)
    expect(byCookie.h.get('cache-control')).toBe('private, no-store')
    expect((await head('/api/indicators', { headers: analyst.headers() })).h.get('cache-control')).toBe('private, no-store')
    const { secret } = (await send(analyst, 'POST', '/api/tokens', { name: 'cache' })).body
    const byToken = await head(values, { headers: { Authorization: `Bearer ${secret}` } })
    expect(byToken.status).toBe(200)
    expect(byToken.h.get('cache-control')).toBe('private, no-store')
    const write = await fetch(app.url + '/api/tokens', { method: 'POST', headers: { ...analyst.headers(), 'Content-Type': 'application/json' }, body: '{"name":"x"}' })
    expect(write.headers.get('cache-control')).toBe('no-store')
  })

  it('opens the open-data endpoints to any origin for reading, without credentials, and nothing else', async () => {
    const origin = { Origin: 'https://example.org' }
    for (const path of [`/api/snapshots/${published}`, '/api/snapshots', '/api/openapi.json', `/api/snapshots/${published}/indicators`]) {
      const res = await head(path, { headers: origin })
      expect(res.h.get('access-control-allow-origin'), path).toBe('*')
      expect(res.h.get('access-control-allow-credentials'), path).toBeNull()
    }
    for (const path of ['/api/indicators', '/api/health', '/api/layers', '/api/tokens', '/']) {
      expect((await head(path, { headers: origin })).h.get('access-control-allow-origin'), path).toBeNull()
    }
    const preflight = await head('/api/snapshots', { method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'GET' } })
    expect(preflight.status).toBe(204)
    expect(preflight.h.get('access-control-allow-methods')).toBe('GET, HEAD')
    expect(preflight.h.get('access-control-allow-headers')).toBeNull()
    const closed = await head('/api/indicators', { method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'GET' } })
    expect(closed.h.get('access-control-allow-origin')).toBeNull()
    const write = await head('/api/snapshots', { method: 'POST', headers: { ...origin, 'Content-Type': 'application/json' }, body: '{}' })
    expect(write.h.get('access-control-allow-origin')).toBeNull()
  })

  it('answers every route that carries internal figures to an analyst with exactly private, no-store, and keeps the public\'s caching', async () => {
    const areas: Array<{ id: number; layer: string; name: string }> = (await analyst.get('/api/areas')).body
    const nordost = areas.find((a) => a.layer === 'stadsomrade' && a.name === 'Nordost')!.id
    const hjallbo = areas.find((a) => a.layer === 'primaromrade' && a.name === 'Hjällbo')!.id
    const measure = ((await analyst.get('/api/measures')).body as Array<{ id: number; followUp: unknown[] }>).find((m) => m.followUp.length > 0)!.id
    const internal = [
      '/api/indicators/demo_ran/values?layer=primaromrade&period=2022',
      '/api/indicators/demo_ran/values?layer=primaromrade&period=2022&format=csv',
      '/api/indicators/demo_ran/values?layer=primaromrade&period=2022&format=geojson',
      `/api/indicators/demo_ran/series?areas=${hjallbo}`,
      `/api/indicators/demo_ran/series?areas=${hjallbo}&format=csv`,
      '/api/indicators/demo_ran/history',
      '/api/analysis/hotspots?indicator=demo_ran&layer=primaromrade&period=2025&method=gistar',
      '/api/analysis/rates?indicator=demo_ran&layer=primaromrade&period=2025',
      '/api/analysis/change?indicator=demo_ran&layer=primaromrade&from=2024&to=2025',
      '/api/analysis/emerging?indicator=demo_ran&layer=primaromrade&from=2019&to=2025',
      '/api/analysis/time-profile/layers',
      `/api/operational/compare?indicator=demo_ran&layer=stadsomrade&end=2025-12-31&window=28d`,
      `/api/alerts?layer=stadsomrade&area=${nordost}`,
      `/api/measures/${measure}/evaluation`,
      `/api/measures/${measure}`,
      '/api/measures',
      '/ogc/collections/intern-primaromrade/items',
      '/ogc/collections/intern-primaromrade',
      `/api/snapshots/${published}`,
      `/api/snapshots/${published}/values?indicator=demo_ran&layer=stadsomrade&period=2025`,
    ]
    const answered: string[] = []
    const failed: string[] = []
    for (const path of internal) {
      const res = await head(path, { headers: analyst.headers() })
      if (res.status === 200) answered.push(path)
      else failed.push(`${res.status} ${path}`)
      if (res.status < 400) expect(res.h.get('cache-control'), path).toBe('private, no-store')
      else expect(res.h.get('cache-control'), `${path} (${res.status})`).toMatch(/(^|, )no-store$/)
    }
    // All but the weekly comparison answer with figures (the demo holds no ISO weeks, so that one is a 422):
    // the header is checked on real answers, not only on errors.
    expect(failed, answered.join('\n')).toEqual([expect.stringMatching(/^422 \/api\/operational\/compare/)])
    // The public's answers keep theirs.
    expect((await head('/api/indicators')).h.get('cache-control')).toBe('public, max-age=60')
    expect((await head(`/api/snapshots/${published}/values?indicator=demo_ran&layer=stadsomrade&period=2025`)).h.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await head(`/ogc/collections/lagesbild-${published}-stadsomrade/items`)).h.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await head('/ogc/collections')).h.get('cache-control')).toBe('public, max-age=60')
  })
})
