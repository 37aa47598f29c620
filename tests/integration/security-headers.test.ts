import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { startApp, type RunningApp } from '../helpers/http'

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

  it('answers errors without stack traces or SQL', async () => {
    const res = await app.get('/api/indicators/demo_ran/values?layer=%27%3B%20DROP%20TABLE%20areas%3B--')
    expect(res.status).toBe(404)
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|SELECT|node_modules/)
  })
})
