import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('unknown API paths and methods on $name', (engine) => {
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

  const call = async (method: string, path: string) => {
    const res = await fetch(app.url + path, { method })
    return { status: res.status, allow: res.headers.get('allow'), type: res.headers.get('content-type') ?? '', text: method === 'HEAD' ? '' : await res.text() }
  }

  it('answers an unknown /api path with 404 JSON, never the web page', async () => {
    for (const path of ['/api/nothing', '/api/snapshots/1/nothing', '/api/indicators/x/values/y']) {
      const res = await call('GET', path)
      expect(res.status, path).toBe(404)
      expect(res.type).toMatch(/application\/json/)
      expect(JSON.parse(res.text).error.code).toBe('not_found')
    }
  })

  it('answers a known path with a wrong method with 405 JSON and the methods the routes answer in Allow', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/api/health', 'GET, HEAD'],
      ['PUT', '/api/snapshots', 'GET, HEAD, POST'],
      ['GET', '/api/indicators/demo_ran', 'DELETE, PATCH'],
      ['DELETE', '/api/snapshots/12/values', 'GET, HEAD'],
      ['POST', '/api/session', ''],
    ]
    const options = await call('OPTIONS', '/api/snapshots/12/values')
    expect(options.status).toBeLessThan(300)
    expect(options.allow).toMatch(/^GET, HEAD$/)
    for (const [method, path, allow] of cases) {
      const res = await call(method, path)
      if (!allow) {
        expect(res.status, `${method} ${path}`).not.toBe(405)
        continue
      }
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.allow).toBe(allow)
      expect(res.type).toMatch(/application\/json/)
      expect(JSON.parse(res.text).error.code).toBe('method_not_allowed')
    }
  })
})
