import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { createApp } from '../../server/app'
import { roleMayAccess, type Access } from '../../server/http/access'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp, type TestRole } from '../helpers/http'

/**
 * Every API route and who may call it. A route added to the app without an `allow(...)` rule, or with a
 * rule that differs from this table, fails the test: access changes are made on purpose, here.
 */
const EXPECTED: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/config': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/session': 'public',
  'POST /api/session': 'public',
  'DELETE /api/session': 'public',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/:id': 'admin',
  'DELETE /api/users/:id': 'admin',
  'GET /api/tokens': 'member',
  'POST /api/tokens': 'member',
  'DELETE /api/tokens/:id': 'member',
  'GET /api/audit': 'admin',
  'GET /api/admin/backup': 'admin',
  'GET /api/layers': 'public',
  'GET /api/layers/:layer/areas': 'public',
  'GET /api/areas': 'public',
  'GET /api/layers/:layer/neighbours': 'public',
  'GET /api/layers/:layer/population': 'public',
  'POST /api/places': 'member',
  'GET /api/indicators': 'public',
  'GET /api/indicators/:id/values': 'member',
  'GET /api/indicators/:id/series': 'member',
  'POST /api/indicators': 'analyst',
  'PATCH /api/indicators/:id': 'analyst',
  'DELETE /api/indicators/:id': 'analyst',
  'GET /api/indicators/:id/history': 'analyst',
  'GET /api/imports': 'analyst',
  'POST /api/imports/observations': 'analyst',
  'POST /api/imports/population': 'analyst',
  'POST /api/imports/incidents': 'analyst',
  'POST /api/imports/boundaries': 'analyst',
  'POST /api/imports/tables': 'analyst',
  'GET /api/imports/recipes': 'analyst',
  'DELETE /api/imports/recipes/:id': 'analyst',
  'GET /api/cycles': 'member',
  'POST /api/cycles': 'analyst',
  'PATCH /api/cycles/:id': 'analyst',
  'POST /api/cycles/:id/steps': 'analyst',
  'PATCH /api/cycles/:id/steps/:stepId': 'analyst',
  'DELETE /api/cycles/:id/steps/:stepId': 'analyst',
  'GET /api/cycles/:id/problem-areas': 'member',
  'GET /api/cycles/:id/status': 'member',
  'PUT /api/cycles/:id/status': 'member',
  'POST /api/problem-areas': 'member',
  'GET /api/problem-areas/:id': 'member',
  'PATCH /api/problem-areas/:id': 'member',
  'GET /api/problem-areas/:id/history': 'member',
  'DELETE /api/problem-areas/:id': 'analyst',
  'GET /api/problem-areas/:id/causes': 'member',
  'POST /api/problem-areas/:id/causes': 'member',
  'PATCH /api/problem-areas/:id/causes/:causeId': 'member',
  'DELETE /api/problem-areas/:id/causes/:causeId': 'member',
  'GET /api/samverkansformer': 'member',
  'GET /api/samverkansformer/:id': 'member',
  'PATCH /api/samverkansformer/:id': 'analyst',
  'PUT /api/samverkansformer/:id/adaptations/:stadsomradeCode': 'member',
  'GET /api/field-reports/categories': 'member',
  'POST /api/field-reports/categories': 'analyst',
  'PATCH /api/field-reports/categories/:id': 'analyst',
  'DELETE /api/field-reports/categories/:id': 'analyst',
  'GET /api/field-reports/areas': 'member',
  'GET /api/field-reports/places': 'member',
  'GET /api/field-reports': 'member',
  'POST /api/field-reports': 'member',
  'PATCH /api/field-reports/:id': 'member',
  'DELETE /api/field-reports/:id': 'member',
  'GET /api/measures': 'member',
  'POST /api/measures': 'member',
  'GET /api/measures/:id': 'member',
  'GET /api/measures/:id/evaluation': 'member',
  'PATCH /api/measures/:id': 'member',
  'DELETE /api/measures/:id': 'member',
  'GET /api/decision-groups': 'member',
  'GET /api/decisions': 'member',
  'POST /api/decisions': 'member',
  'GET /api/decisions/:id': 'member',
  'DELETE /api/decisions/:id': 'analyst',
  'GET /api/groups': 'member',
  'POST /api/groups': 'analyst',
  'PATCH /api/groups/:id': 'analyst',
  'GET /api/meetings/rules': 'member',
  'GET /api/arshjul': 'member',
  'GET /api/meetings': 'member',
  'POST /api/meetings': 'member',
  'PATCH /api/meetings/:id': 'member',
  'POST /api/meetings/:id/actions': 'member',
  'PATCH /api/meetings/:id/actions/:actionId': 'member',
  'GET /api/plans': 'member',
  'POST /api/plans': 'member',
  'GET /api/plans/:id': 'member',
  'DELETE /api/plans/:id': 'member',
  'POST /api/plans/:id/versions': 'member',
  'PUT /api/plans/:id/versions/:v': 'member',
  'POST /api/plans/:id/versions/:v/adopt': 'member',
  'POST /api/plans/:id/rows/:rowId/followups': 'member',
  'GET /api/analysis/hotspots': 'analyst',
  'GET /api/analysis/rates': 'analyst',
  'GET /api/analysis/change': 'analyst',
  'GET /api/analysis/emerging': 'analyst',
  'GET /api/operational/compare': 'member',
  'GET /api/alerts': 'member',
  'PATCH /api/alerts/:id': 'member',
  'GET /api/analysis/time-profile': 'member',
  'GET /api/analysis/time-profile/layers': 'member',
  'GET /api/snapshots': 'public',
  'POST /api/snapshots': 'analyst',
  'GET /api/snapshots/:id': 'public',
  'DELETE /api/snapshots/:id': 'analyst',
  'POST /api/snapshots/:id/publish': 'analyst',
  'GET /api/snapshots/:id/values': 'public',
  'GET /api/snapshots/:id/areas': 'public',
  'GET /api/snapshots/:id/series': 'public',
  'GET /api/snapshots/:id/indicators': 'public',
  'GET /api/snapshots/:id/layers': 'public',
  'GET /api/snapshots/:id/deck': 'public',
  'PUT /api/snapshots/:id/deck': 'analyst',
  'GET /api/snapshots/:id/meeting': 'public',
  'GET /api/snapshots/:id/statement': 'public',
  'POST /api/snapshots/:id/statement': 'analyst',
  'POST /api/snapshots/:id/statement/approve': 'analyst',
  'GET /api/stadsomraden/:code': 'public',
  'GET /api/snapshots/:id/stadsomraden/:code.csv': 'public',
  'GET /api/communication-plan': 'member',
  'PUT /api/communication-plan': 'analyst',
  // Open data (OGC API – Features): public figures only, whoever asks.
  'GET /ogc/': 'public',
  'GET /ogc/conformance': 'public',
  'GET /ogc/api': 'public',
  'GET /ogc/collections': 'public',
  'GET /ogc/collections/:collectionId': 'public',
  'GET /ogc/collections/:collectionId/items': 'public',
  'GET /ogc/collections/:collectionId/items/:featureId': 'public',
}

interface RouteRule {
  key: string
  method: string
  path: string
  access: Access | undefined
}

/** Walks Express's router tree: every route, its full path and the rule of its first handler. */
function routesOf(stack: any[], prefix = ''): RouteRule[] {
  const out: RouteRule[] = []
  for (const layer of stack) {
    if (layer.route) {
      const path = prefix + layer.route.path
      for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
        const access = layer.route.stack[0]?.handle?.access as Access | undefined
        out.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, access })
      }
    } else if (layer.handle?.stack) {
      out.push(...routesOf(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : '')))
    }
  }
  return out
}

const apiRoutes = (db: Db) =>
  routesOf((createApp({ db, config: { clientDir: '/nonexistent' } }) as any).router.stack).filter((r) => r.path.startsWith('/api') || r.path.startsWith('/ogc'))

describe.each(testEngines())('authorization on $name', (engine) => {
  let db: Db
  let app: RunningApp
  const clients = {} as Record<TestRole, Client>
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db, { as: 'public' })
    for (const role of ['public', 'local', 'analyst', 'admin'] as const) clients[role] = await app.as(role)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('has a rule on every API route, and the rules are the ones in this table', () => {
    const routes = apiRoutes(db)
    expect(routes.length).toBeGreaterThan(30)
    const withoutRule = routes.filter((r) => !r.access).map((r) => r.key)
    expect(withoutRule, 'routes without allow(...)').toEqual([])
    expect(Object.fromEntries(routes.map((r) => [r.key, r.access]))).toEqual(EXPECTED)
  })

  it('answers every route × role with the expected status: 401 without a session, 403 for a role without the right, otherwise through to the handler', { timeout: 180_000 }, async () => {
    const routes = apiRoutes(db).filter((r) => r.key !== 'DELETE /api/session' && r.key !== 'POST /api/session')
    const failures: string[] = []
    for (const role of ['public', 'local', 'analyst', 'admin'] as const) {
      for (const r of routes) {
        // Ids that do not exist: a request that gets past the guard ends in 404/422, never changes data.
        const path = r.path.replace(':id', '987654').replace(':layer', 'stadsomrade')
        const res = await send(clients[role], r.method, path, r.method === 'GET' || r.method === 'DELETE' ? undefined : {})
        const allowed = roleMayAccess(r.access!, role === 'public' ? null : role)
        const ok = allowed ? res.status < 500 && res.status !== 401 && res.status !== 403 : res.status === (role === 'public' ? 401 : 403)
        if (!ok) failures.push(`${role} ${r.key}: ${res.status} (${allowed ? 'allowed' : 'denied'})`)
      }
    }
    expect(failures).toEqual([])
  })

  it('refuses a signed-in write without the CSRF token, or with another session’s', async () => {
    const analyst = clients.analyst
    const Cookie = analyst.headers().Cookie!
    const body = JSON.stringify({ stepId: 1, areaId: null, status: 'pagar' })
    const without = await fetch(`${app.url}/api/cycles/1/status`, { method: 'PUT', headers: { Cookie, 'Content-Type': 'application/json' }, body })
    expect(without.status).toBe(403)
    expect((await without.json()).error.code).toBe('csrf_failed')
    const other = await fetch(`${app.url}/api/cycles/1/status`, {
      method: 'PUT',
      headers: { Cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': clients.admin.headers()['X-CSRF-Token']! },
      body,
    })
    expect(other.status).toBe(403)
  })

  it('sets the session cookie HttpOnly and SameSite=Strict, never echoes the password, and signs out for good', async () => {
    const res = await fetch(`${app.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'analytiker@demo.lagesbild.se', password: 'demo-lagesbild' }),
    })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    const text = await res.text()
    expect(text).not.toMatch(/demo-lagesbild|scrypt/)
    const session = cookie.split(';')[0]!
    const csrf = JSON.parse(text).csrfToken
    expect((await fetch(`${app.url}/api/measures`, { headers: { Cookie: session } })).status).toBe(200)
    const out = await fetch(`${app.url}/api/session`, { method: 'DELETE', headers: { Cookie: session, 'X-CSRF-Token': csrf } })
    expect(out.status).toBe(204)
    expect((await fetch(`${app.url}/api/measures`, { headers: { Cookie: session } })).status).toBe(401)
  })

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const a = await send(clients.public, 'POST', '/api/session', { email: 'nobody@example.se', password: 'whatever-123' })
    const b = await send(clients.public, 'POST', '/api/session', { email: 'analytiker@demo.lagesbild.se', password: 'wrong-password' })
    expect(a.status).toBe(401)
    expect(b.status).toBe(401)
    expect(a.body.error.message).toBe(b.body.error.message)
  })

  it('rate-limits failed sign-ins per account and address', async () => {
    const limited = await startApp(db, { as: 'public', auth: { loginAttempts: 3 } })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) statuses.push((await send(limited, 'POST', '/api/session', { email: 'lokal@demo.lagesbild.se', password: `guess-${i}` })).status)
      expect(statuses).toEqual([401, 401, 401, 429, 429])
      // The right password is refused too while the pause lasts; another account is not affected.
      expect((await send(limited, 'POST', '/api/session', { email: 'lokal@demo.lagesbild.se', password: 'demo-lagesbild' })).status).toBe(429)
      expect((await send(limited, 'POST', '/api/session', { email: 'analytiker@demo.lagesbild.se', password: 'demo-lagesbild' })).status).toBe(200)
      // Padding or capitals make the same account, as sign-in reads it: no new guesses.
      for (const email of [' lokal@demo.lagesbild.se', 'lokal@demo.lagesbild.se  ', '\tLOKAL@demo.lagesbild.se\n']) {
        expect((await send(limited, 'POST', '/api/session', { email, password: 'another-guess' })).status, JSON.stringify(email)).toBe(429)
      }
    } finally {
      await limited.close()
    }
  })

  it('lets admins manage accounts: a new local account signs in, a disabled one is signed out at once, the last admin stays', async () => {
    const admin = clients.admin
    const bad = await send(admin, 'POST', '/api/users', { email: 'ny@stad.se', password: 'kort', role: 'local', stadsomrade: 'Atlantis' })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.map((d: any) => d.field)).toEqual(['password'])
    const wrongArea = await send(admin, 'POST', '/api/users', { email: 'ny@stad.se', password: 'ett-langt-losenord', role: 'local', stadsomrade: 'Atlantis' })
    expect(wrongArea.status).toBe(422)
    expect(wrongArea.body.error.details[0]).toMatchObject({ field: 'stadsomrade' })
    const created = await send(admin, 'POST', '/api/users', { email: 'Ny@Stad.se', password: 'ett-langt-losenord', role: 'local', stadsomrade: 'hisingen' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ email: 'ny@stad.se', role: 'local', stadsomrade: { name: 'Hisingen' }, disabled: false })
    expect(JSON.stringify(created.body)).not.toMatch(/hash|scrypt/)
    expect((await send(admin, 'POST', '/api/users', { email: 'ny@stad.se', password: 'ett-langt-losenord', role: 'analyst' })).status).toBe(409)

    const login = await send(clients.public, 'POST', '/api/session', { email: 'ny@stad.se', password: 'ett-langt-losenord' })
    expect(login.body.user).toMatchObject({ role: 'local', stadsomrade: { name: 'Hisingen' } })
    const cookie = { Cookie: '' }
    const signIn = await fetch(`${app.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ny@stad.se', password: 'ett-langt-losenord' }) })
    cookie.Cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    expect((await fetch(`${app.url}/api/measures`, { headers: cookie })).status).toBe(200)
    expect((await send(admin, 'PATCH', `/api/users/${created.body.id}`, { disabled: true })).status).toBe(200)
    expect((await fetch(`${app.url}/api/measures`, { headers: cookie })).status).toBe(401)

    const me = (await send(admin, 'GET', '/api/users')).body.find((u: any) => u.email === 'admin@demo.lagesbild.se')
    const demote = await send(admin, 'PATCH', `/api/users/${me.id}`, { role: 'analyst' })
    expect(demote.status).toBe(409)
    expect((await send(admin, 'DELETE', `/api/users/${me.id}`)).status).toBe(409)
    expect((await send(admin, 'GET', '/api/users')).body.find((u: any) => u.id === me.id).role).toBe('admin')
  })

  it('gives accounts an organisation (staden, polisen or none): set on create, changed, refused otherwise, in the session and the audit log', async () => {
    const admin = clients.admin
    const wrong = await send(admin, 'POST', '/api/users', { email: 'org@stad.se', password: 'ett-langt-losenord', role: 'analyst', organisation: 'kommunen' })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.details.map((d: any) => d.field)).toEqual(['organisation'])
    const created = await send(admin, 'POST', '/api/users', { email: 'org@stad.se', password: 'ett-langt-losenord', role: 'analyst', organisation: 'polisen' })
    expect(created.status).toBe(201)
    expect(created.body.organisation).toBe('polisen')
    const none = await send(admin, 'POST', '/api/users', { email: 'ingen-org@stad.se', password: 'ett-langt-losenord', role: 'analyst' })
    expect(none.body.organisation).toBeNull()
    expect((await send(admin, 'PATCH', `/api/users/${created.body.id}`, { organisation: 'polis' })).status).toBe(422)
    const changed = await send(admin, 'PATCH', `/api/users/${created.body.id}`, { organisation: 'staden' })
    expect(changed.status).toBe(200)
    expect(changed.body.organisation).toBe('staden')
    expect((await send(admin, 'PATCH', `/api/users/${created.body.id}`, { name: 'Utan ändrad organisation' })).body.organisation).toBe('staden')
    expect((await send(admin, 'PATCH', `/api/users/${created.body.id}`, { organisation: null })).body.organisation).toBeNull()
    expect((await send(admin, 'GET', '/api/users')).body.find((u: any) => u.id === created.body.id).organisation).toBeNull()

    expect((await send(clients.analyst, 'GET', '/api/session')).body.user).toMatchObject({ email: 'analytiker@demo.lagesbild.se', organisation: 'staden' })
    expect((await send(admin, 'GET', '/api/session')).body.user.organisation).toBeNull()
    const login = await send(clients.public, 'POST', '/api/session', { email: 'org@stad.se', password: 'ett-langt-losenord' })
    expect(login.body.user).toMatchObject({ role: 'analyst', organisation: null })

    const log = (await send(admin, 'GET', '/api/audit?entity=user&limit=1000')).body.filter((e: any) => e.entityId === String(created.body.id))
    expect(log.find((e: any) => e.action === 'create').after.organisation).toBe('polisen')
    const update = log.find((e: any) => e.action === 'update' && e.before.organisation === 'polisen')
    expect(update).toMatchObject({ before: { organisation: 'polisen' }, summary: 'Konto org@stad.se ändrat: organisation polisen → staden' })
  })

  it('lets a local group edit measures only in its own stadsområde', async () => {
    const local = clients.local
    const areas = (await send(local, 'GET', '/api/areas')).body
    const id = (layer: string, name: string) => areas.find((a: any) => a.layer === layer && a.name === name).id
    const cycles = (await send(local, 'GET', '/api/cycles')).body
    const problemAreas = (await send(local, 'GET', `/api/cycles/${cycles.find((c: any) => c.current).id}/problem-areas`)).body
    const measure = (areaIds: number[]) => ({
      title: 'Trygghetsvandring',
      description: '',
      problemAreaId: problemAreas[0].id,
      purpose: 'trygghetsskapande',
      prevention: 'situationell',
      level: 'operativ',
      owners: ['staden'],
      samverkansform: null,
      areaIds,
      status: 'planerad',
      startDate: '2026-01-01',
      endDate: null,
      followUp: [],
    })
    const own = await send(local, 'POST', '/api/measures', measure([id('primaromrade', 'Hjällbo')]))
    expect(own.status).toBe(201)
    const elsewhere = await send(local, 'POST', '/api/measures', measure([id('primaromrade', 'Hjällbo'), id('stadsomrade', 'Centrum')]))
    expect(elsewhere.status).toBe(403)
    expect(elsewhere.body.error.details[0].field).toBe('areaIds')
    const moved = await send(local, 'PATCH', `/api/measures/${own.body.id}`, { version: own.body.version, areaIds: [id('stadsomrade', 'Hisingen')] })
    expect(moved.status).toBe(403)
    const theirs = await send(clients.analyst, 'POST', '/api/measures', measure([id('stadsomrade', 'Centrum')]))
    expect(theirs.status).toBe(201)
    expect((await send(local, 'PATCH', `/api/measures/${theirs.body.id}`, { version: 1, title: 'Kapad' })).status).toBe(403)
    expect((await send(local, 'DELETE', `/api/measures/${theirs.body.id}?version=1`)).status).toBe(403)
    expect((await send(clients.analyst, 'GET', `/api/measures/${theirs.body.id}`)).body.title).toBe('Trygghetsvandring')
    expect((await send(local, 'PATCH', `/api/measures/${own.body.id}`, { version: 1, status: 'pagaende' })).status).toBe(200)
  })

  it('keeps every write in an audit log with who, what and before/after, readable by admins only', async () => {
    const analyst = clients.analyst
    const areas = (await send(analyst, 'GET', '/api/areas')).body
    const hjallbo = areas.find((a: any) => a.layer === 'primaromrade' && a.name === 'Hjällbo').id
    const pas = (await send(analyst, 'GET', '/api/cycles/1/problem-areas')).body
    const created = await send(analyst, 'POST', '/api/measures', {
      title: 'Granskad åtgärd', description: '', problemAreaId: pas[0].id, purpose: 'bada', prevention: 'situationell', level: 'operativ',
      owners: ['polisen'], samverkansform: null, areaIds: [hjallbo], status: 'planerad', startDate: '2026-02-01', endDate: null, followUp: [],
    })
    expect(created.status).toBe(201)
    expect((await send(analyst, 'PATCH', `/api/measures/${created.body.id}`, { version: 1, title: 'Granskad åtgärd, ändrad' })).status).toBe(200)
    expect((await send(analyst, 'DELETE', `/api/measures/${created.body.id}?version=2`)).status).toBe(204)
    expect((await send(analyst, 'GET', '/api/audit')).status).toBe(403)

    const log = (await send(clients.admin, 'GET', '/api/audit?entity=measure&limit=1000')).body
    const mine = log.filter((e: any) => e.entityId === String(created.body.id))
    expect(mine.map((e: any) => e.action)).toEqual(['delete', 'update', 'create'])
    expect(mine.every((e: any) => e.user === 'analytiker@demo.lagesbild.se' && !Number.isNaN(Date.parse(e.at)))).toBe(true)
    expect(mine[1].before.title).toBe('Granskad åtgärd')
    expect(mine[1].after.title).toBe('Granskad åtgärd, ändrad')
    expect(mine[0].before.title).toBe('Granskad åtgärd, ändrad')
    const users = (await send(clients.admin, 'GET', '/api/audit?entity=user')).body
    expect(users.some((e: any) => e.action === 'create' && e.after.email === 'ny@stad.se')).toBe(true)
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password_hash/)
  })

  it('keeps the data as it was when an audited write fails', async () => {
    const before = (await send(clients.admin, 'GET', '/api/audit?limit=1000')).body.length
    const res = await send(clients.analyst, 'POST', '/api/measures', { title: '' })
    expect(res.status).toBe(422)
    expect((await send(clients.admin, 'GET', '/api/audit?limit=1000')).body.length).toBe(before)
  })
})
