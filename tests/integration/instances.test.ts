/**
 * Run as it is deployed: the real server process (server/main.ts). Two instances on one PostgreSQL database,
 * with no sticky sessions, behave as one; and SIGTERM lets a request under way finish before the process ends.
 */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../server/features/auth/auth.service'
import { testEngines } from '../helpers/engines'
import { startProcess, type RunningProcess } from '../helpers/process'

const server = testEngines().find((e) => e.name === 'postgresql')
if (!server) console.warn('[instances] two instances skipped: no PostgreSQL server configured (TEST_DATABASE_URL)')

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })
  const body = (await res.json()) as { csrfToken?: string }
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0], csrf: body.csrfToken }
}

describe.skipIf(!server)('two instances on one PostgreSQL database', () => {
  let copy: Awaited<ReturnType<NonNullable<typeof server>['copyForProcess']>>
  let a: RunningProcess
  let b: RunningProcess
  beforeAll(async () => {
    copy = await server!.copyForProcess()
    ;[a, b] = await Promise.all([startProcess(copy.env), startProcess(copy.env)])
  }, 240_000)
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await copy?.remove()
  })

  it('shares sessions: signed in on one, known on the other; signed out on the other, gone on both', async () => {
    const s = await signIn(a.url, 'analytiker@demo.lagesbild.se', DEMO_PASSWORD)
    expect(s.status).toBe(200)
    const onB = await fetch(`${b.url}/api/session`, { headers: { Cookie: s.cookie! } })
    expect(((await onB.json()) as any).user).toMatchObject({ email: 'analytiker@demo.lagesbild.se', role: 'analyst' })
    expect((await fetch(`${b.url}/api/session`, { method: 'DELETE', headers: { Cookie: s.cookie!, 'X-CSRF-Token': s.csrf! } })).status).toBe(204)
    expect((await fetch(`${a.url}/api/measures`, { headers: { Cookie: s.cookie! } })).status).toBe(401)
  })

  it('shares the sign-in limit: failures on either count together', async () => {
    const email = 'lokal@demo.lagesbild.se'
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) statuses.push((await signIn(i % 2 ? b.url : a.url, email, `guess-${i}`)).status)
    // Ten failures allowed per account and address, wherever they land; the eleventh is refused on both.
    expect(statuses).toEqual([...Array(10).fill(401), 429])
    expect((await signIn(a.url, email, DEMO_PASSWORD)).status).toBe(429)
    expect((await signIn(b.url, ` ${email.toUpperCase()} `, DEMO_PASSWORD)).status).toBe(429)
  })

  it('shows a write made on one instance in the next read on the other, caches included', async () => {
    // A real analyst (the demo accounts end at the first real import), made by the demo admin on one instance.
    const admin = await signIn(b.url, 'admin@demo.lagesbild.se', DEMO_PASSWORD)
    const made = await fetch(`${b.url}/api/users`, {
      method: 'POST',
      headers: { Cookie: admin.cookie!, 'X-CSRF-Token': admin.csrf!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'analys@stad.goteborg.se', password: 'ett-langt-losenord', role: 'analyst' }),
    })
    expect(made.status, await made.clone().text()).toBe(201)
    const s = await signIn(a.url, 'analys@stad.goteborg.se', 'ett-langt-losenord')
    const values = (url: string) => fetch(`${url}/api/indicators/demo_otrygg_kvall/values?layer=primaromrade&period=2026`, { headers: { Cookie: s.cookie! } })
    const indicator = async (url: string) => ((await (await fetch(`${url}/api/indicators`)).json()) as any[]).find((i) => i.id === 'demo_otrygg_kvall')
    // Both instances have computed and cached the catalogue and the figures before the write: no 2026 yet.
    const before = [await indicator(a.url), await indicator(b.url)]
    expect(before[0]).toEqual(before[1])
    const figure = async (url: string) => ((await (await values(url)).json()) as any).values?.find((v: any) => v.code === '612')
    expect([(await figure(a.url))?.value ?? null, (await figure(b.url))?.value ?? null]).toEqual([null, null])
    const imported = await fetch(`${a.url}/api/imports/observations?filename=trygghet.csv`, {
      method: 'POST',
      headers: { Cookie: s.cookie!, 'X-CSRF-Token': s.csrf!, 'Content-Type': 'text/csv' },
      body: 'indicator;layer;area_code;period;value;numerator;denominator\ndemo_otrygg_kvall;primaromrade;612;2026;41,5;83;200\n',
    })
    expect(imported.status, await imported.clone().text()).toBe(201)
    for (const url of [b.url, a.url]) expect(await figure(url)).toMatchObject({ value: 41.5, numerator: 83, denominator: 200 })
    // The import ended the demo accounts on both instances: the admin's session too.
    expect((await fetch(`${b.url}/api/users`, { headers: { Cookie: admin.cookie! } })).status).toBe(401)
    expect((await signIn(b.url, 'admin@demo.lagesbild.se', DEMO_PASSWORD)).status).toBe(401)
    const catalogue = await indicator(b.url)
    expect(catalogue).not.toEqual(before[1])
    expect(await indicator(a.url)).toEqual(catalogue)
  })
})

describe.each(testEngines())('SIGTERM on $name', (engine) => {
  let copy: Awaited<ReturnType<typeof engine.copyForProcess>>
  beforeAll(async () => {
    copy = await engine.copyForProcess()
  })
  afterAll(async () => {
    await copy?.remove()
  })

  it('lets the request under way finish, takes no new ones, closes the database and exits 0', async () => {
    const p = await startProcess(copy.env)
    try {
      const { port } = new URL(p.url)
      // A sign-in whose body is still arriving when the signal comes.
      const body = JSON.stringify({ email: 'analytiker@demo.lagesbild.se', password: DEMO_PASSWORD })
      const answer = new Promise<{ status: number; text: string }>((ok, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/session', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
          let text = ''
          res.on('data', (d) => (text += d))
          res.on('end', () => ok({ status: res.statusCode!, text }))
        })
        req.on('error', fail)
        req.write(body.slice(0, 10))
        ;(globalThis as any).__finish = () => req.end(body.slice(10))
      })
      // The request has reached the server (a byte of its body is there) before the signal.
      await new Promise((r) => setTimeout(r, 300))
      p.child.kill('SIGTERM')
      for (let i = 0; i < 100 && !/tar inte emot nya/.test(p.output()); i++) await new Promise((r) => setTimeout(r, 50))
      expect(p.output()).toMatch(/tar inte emot nya förfrågningar/)
      await expect(fetch(`${p.url}/api/health`)).rejects.toThrow()
      ;(globalThis as any).__finish()
      const res = await answer
      expect(res.status, res.text).toBe(200)
      expect(JSON.parse(res.text).user.email).toBe('analytiker@demo.lagesbild.se')
      expect(await p.exited).toBe(0)
      expect(p.output()).toMatch(/Stängd/)
    } finally {
      await p.stop()
    }
    // The database was closed cleanly: it opens again with the session the last request made.
    const db = await copy.open()
    try {
      expect(await db.kysely.selectFrom('sessions').select('token_hash').execute()).not.toHaveLength(0)
    } finally {
      await db.close()
    }
  }, 180_000)
})
