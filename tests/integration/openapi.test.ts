import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { createApp } from '../../server/app'
import { registeredRoutes } from '../../server/http/routes'
import { openApiPath } from '../../server/openapi'
import { testEngines } from '../helpers/engines'
import { startApp, type RunningApp } from '../helpers/http'

describe.each(testEngines())('the OpenAPI document on $name', (engine) => {
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

  it('is a valid OpenAPI 3.1 document, open to anyone', async () => {
    const res = await app.get('/api/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toBe('3.1.0')
    const validator = new Validator()
    const result = await validator.validate(res.body)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('has every route the app registers, with its access rule', async () => {
    const doc = (await app.get('/api/openapi.json')).body
    const routes = registeredRoutes((createApp({ db, config: { clientDir: '/nonexistent' } }) as any).router.stack).filter((r) => r.path.startsWith('/api'))
    expect(routes.length).toBeGreaterThan(100)
    const missing = routes.filter((r) => doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()]?.['x-access'] !== r.access).map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
    const documented = Object.values(doc.paths as Record<string, object>).reduce((n, ops) => n + Object.keys(ops).length, 0)
    expect(documented).toBe(routes.length)
  })

  it('describes the parameters and bodies from the zod schemas the routes validate with', async () => {
    const doc = (await app.get('/api/openapi.json')).body
    const values = doc.paths['/api/indicators/{id}/values'].get
    expect(values.parameters.map((p: any) => [p.name, p.in, p.required])).toEqual(expect.arrayContaining([['id', 'path', true], ['layer', 'query', true]]))
    const token = doc.paths['/api/tokens'].post.requestBody.content['application/json'].schema
    expect(token.required).toEqual(['name'])
    expect(Object.keys(token.properties)).toEqual(['name', 'expiresAt'])
    expect(doc.paths['/api/snapshots/{id}/values'].get.security).toBeUndefined()
    expect(doc.paths['/api/imports'].get.security).toEqual([{ session: [] }, { bearer: [] }])
  })

  it('serves a readable docs page from this server alone', async () => {
    const res = await fetch(app.url + '/api/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const html = await res.text()
    expect(html).toContain('<code>/api/indicators/{id}/values</code>')
    expect(html).toContain('/api/openapi.json')
    expect(html).not.toMatch(/<script|https?:\/\//)
  })
})
