import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { tokenHash } from '../../server/features/auth/auth.service'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

describe.each(testEngines())('API tokens on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'analyst' })
    local = await app.as('local')
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const withToken = async (method: string, path: string, secret: string, body?: unknown) => {
    const res = await fetch(app.url + path, {
      method,
      headers: { Authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers }
  }
  const VALUES = '/api/indicators/demo_ran/values?layer=primaromrade&period=2025'

  it('creates a token whose secret is shown once and stored only as its hash, and audits it', async () => {
    const created = await send(app, 'POST', '/api/tokens', { name: 'QGIS', expiresAt: '2099-12-31' })
    expect(created.status).toBe(201)
    const { secret, id } = created.body as { secret: string; id: number }
    expect(secret).toMatch(/^lgb_[A-Za-z0-9_-]{43}$/)
    expect(created.body.expiresAt).toBe('2099-12-31T23:59:59.999Z')
    const stored = await db.kysely.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(stored.token_hash).toBe(tokenHash(secret))
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4))
    const list = await app.get('/api/tokens')
    expect(list.status).toBe(200)
    expect(list.body).toEqual([expect.objectContaining({ id, name: 'QGIS', lastUsedAt: null, revokedAt: null })])
    expect(JSON.stringify(list.body)).not.toContain(secret)
    expect(list.body[0]).not.toHaveProperty('secret')
    const audit = await db.kysely.selectFrom('audit_log').selectAll().where('entity', '=', 'api_token').execute()
    expect(audit.map((a) => [a.action, a.entity_id, a.user_email])).toEqual([['create', String(id), 'analytiker@demo.lagesbild.se']])
    expect(JSON.stringify(audit)).not.toContain(secret)
    // Another user neither sees nor revokes it.
    expect((await local.get('/api/tokens')).body).toEqual([])
    expect((await send(local, 'DELETE', `/api/tokens/${id}`)).status).toBe(404)
  })

  it('reads as its user: the analyst\'s internal values and analyst-only routes, and notes the use', async () => {
    const { secret, id } = (await send(app, 'POST', '/api/tokens', { name: 'GDAL' })).body
    const byCookie = await app.get(VALUES)
    expect(byCookie.status).toBe(200)
    const byToken = await withToken('GET', VALUES, secret)
    expect(byToken.status).toBe(200)
    expect(byToken.body).toEqual(byCookie.body)
    expect((await withToken('GET', '/api/imports', secret)).status).toBe(200)
    expect((await withToken('HEAD', VALUES, secret)).status).toBe(200)
    const anonymous = await fetch(app.url + VALUES)
    expect(anonymous.status).toBe(401)
    const row = await db.kysely.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.last_used_at).not.toBeNull()
  })

  it('has its user\'s role: a local group\'s token is refused analyst routes', async () => {
    const { secret } = (await send(local, 'POST', '/api/tokens', { name: 'R' })).body
    expect((await withToken('GET', '/api/tokens', secret)).status).toBe(200)
    expect((await withToken('GET', '/api/imports', secret)).status).toBe(403)
  })

  it('refuses every write made with a token, even with a CSRF header', async () => {
    const { secret } = (await send(app, 'POST', '/api/tokens', { name: 'skript' })).body
    for (const [method, path] of [['POST', '/api/tokens'], ['DELETE', '/api/tokens/1'], ['PATCH', '/api/indicators/demo_ran'], ['POST', '/api/snapshots']]) {
      const res = await withToken(method!, path!, secret, method === 'DELETE' ? undefined : { name: 'x' })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
    expect((await db.kysely.selectFrom('api_tokens').select('id').where('name', '=', 'x').execute()).length).toBe(0)
  })

  it('answers 401 for a revoked, expired or unknown token, even on public routes', async () => {
    const { secret, id } = (await send(app, 'POST', '/api/tokens', { name: 'gammal' })).body
    expect((await withToken('GET', '/api/health', secret)).status).toBe(200)
    expect((await send(app, 'DELETE', `/api/tokens/${id}`)).status).toBe(204)
    const revoked = await withToken('GET', '/api/health', secret)
    expect(revoked.status).toBe(401)
    expect(revoked.headers.get('www-authenticate')).toMatch(/Bearer/)
    expect((await send(app, 'DELETE', `/api/tokens/${id}`)).status).toBe(404)
    const listed = (await app.get('/api/tokens')).body.find((t: { id: number }) => t.id === id)
    expect(listed.revokedAt).not.toBeNull()
    const audit = await db.kysely.selectFrom('audit_log').select(['action']).where('entity', '=', 'api_token').where('entity_id', '=', String(id)).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete'])

    const expiring = (await send(app, 'POST', '/api/tokens', { name: 'kort' })).body
    await db.kysely.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expiring.id).execute()
    expect((await withToken('GET', VALUES, expiring.secret)).status).toBe(401)
    expect((await withToken('GET', '/api/health', 'lgb_' + 'A'.repeat(43))).status).toBe(401)
  })

  it('rejects a bad name or a past expiry with the field named', async () => {
    const noName = await send(app, 'POST', '/api/tokens', { name: ' ' })
    expect(noName.status).toBe(422)
    expect(noName.body.error.details[0].field).toBe('name')
    const past = await send(app, 'POST', '/api/tokens', { name: 'x', expiresAt: '2020-01-01' })
    expect(past.status).toBe(422)
    expect(past.body.error.details[0].field).toBe('expiresAt')
  })
})
