import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { startApp, type RunningApp } from '../helpers/http'
import { INTERNAL_MESSAGE } from '../../server/http/errors.middleware'

describe('security headers', () => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await testEngines()[0]!.open()
    app = await startApp(db)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('sends a Content-Security-Policy that lets MapLibre run and nothing load from elsewhere', async () => {
    for (const path of ['/', '/api/health', '/api/nothing']) {
      const { headers } = await app.get(path)
      const csp = headers.get('content-security-policy') ?? ''
      expect(csp, path).toMatch(/default-src 'self'/)
      expect(csp).toMatch(/worker-src 'self' blob:/)
      expect(csp).toMatch(/script-src 'self'(;|$)/)
      expect(csp).toMatch(/frame-ancestors 'none'/)
      expect(csp).not.toMatch(/upgrade-insecure-requests/)
      expect(headers.get('x-content-type-options')).toBe('nosniff')
      expect(headers.get('x-powered-by')).toBeNull()
    }
  })

  it('asks browsers for HTTPS only (HSTS) on requests that came over TLS, as the trusted proxy says', async () => {
    const proxied = await startApp(db, { as: 'public', config: { trustProxy: 'loopback' } })
    try {
      const tls = await fetch(`${proxied.url}/api/health`, { headers: { 'X-Forwarded-Proto': 'https' } })
      expect(tls.headers.get('strict-transport-security')).toBe('max-age=15552000')
      expect((await fetch(`${proxied.url}/api/health`)).headers.get('strict-transport-security')).toBeNull()
      // Without TRUST_PROXY the header of a client is not believed.
      expect((await fetch(`${app.url}/api/health`, { headers: { 'X-Forwarded-Proto': 'https' } })).headers.get('strict-transport-security')).toBeNull()
    } finally {
      await proxied.close()
    }
  })

  it('answers errors without stack traces or SQL', async () => {
    const res = await app.get('/api/indicators/demo_ran/values?layer=%27%3B%20DROP%20TABLE%20areas%3B--')
    expect(res.status).toBe(404)
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|SELECT|node_modules/)
  })

  it('turns a database failure into a generic 500: no message, stack or SQL from below', async () => {
    const broken = await testEngines()[0]!.open()
    const brokenApp = await startApp(broken)
    try {
      // The table the values come from is gone: the query fails inside PostgreSQL.
      await broken.kysely.schema.dropTable('observations').cascade().execute()
      const res = await brokenApp.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')
      expect(res.status).toBe(500)
      expect(res.body).toEqual({ error: { code: 'internal', message: INTERNAL_MESSAGE, details: [] } })
    } finally {
      await brokenApp.close()
      await broken.close()
    }
  })
})
