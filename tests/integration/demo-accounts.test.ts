/** The demo accounts' published password ends when real use begins: at the first real import, and at start. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_ACTOR } from '../../db/audit'
import type { Db } from '../../db/connect'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/demo-accounts'
import { openDatabase } from '../../server/boot'
import { createUser } from '../../server/features/auth/auth.service'
import { importObservations } from '../../server/features/imports/observations.import'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

const OBSERVATIONS = 'indicator,layer,area_code,period,value\ndemo_ran,primaromrade,612,2027,9\n'
const INCIDENTS = 'date,category,lon,lat\n2026-01-10,demo_ran,11.97,57.71\n2026-01-11,demo_ran,11.98,57.70\n'

async function signInStatus(app: RunningApp, email: string, password = DEMO_PASSWORD): Promise<number> {
  const res = await fetch(`${app.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })
  return res.status
}

describe.each(testEngines())('demo accounts on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    // As in production: a real import ends the demo accounts (the rest of the suite keeps them).
    app = await startApp(db, { keepDemoAccounts: false })
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('sign in until the first real import; a dry run or a refused import leaves them, the real one ends them with an audit row', async () => {
    for (const a of DEMO_ACCOUNTS) expect(await signInStatus(app, a.email), a.email).toBe(200)

    const dry = await post(app, '/api/imports/incidents?dryRun=true', INCIDENTS)
    expect(dry.status, JSON.stringify(dry.body)).toBe(200)
    const refused = await post(app, '/api/imports/observations', 'indicator,layer,area_code,period,value\nno_such_indicator,primaromrade,612,2027,9\n')
    expect(refused.status).toBe(422)
    expect(await signInStatus(app, 'admin@demo.lagesbild.se')).toBe(200)
    expect((await app.get('/api/imports')).status).toBe(200)

    const real = await post(app, '/api/imports/observations?filename=riktig.csv', OBSERVATIONS)
    expect(real.status, JSON.stringify(real.body)).toBe(201)
    for (const a of DEMO_ACCOUNTS) expect(await signInStatus(app, a.email), a.email).toBe(401)
    // The session that made the import was a demo account's: it ends too.
    expect((await app.get('/api/imports')).status).toBe(401)

    const users = await db.kysely.selectFrom('users').select(['email', 'disabled']).where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email)).execute()
    expect(users.length).toBe(DEMO_ACCOUNTS.length)
    expect(users.every((u) => u.disabled)).toBe(true)
    const audit = await db.kysely.selectFrom('audit_log').select(['user_email', 'action', 'entity', 'summary']).where('entity', '=', 'user').where('action', '=', 'update').orderBy('id').execute()
    expect(audit.map((r) => r.summary).sort()).toEqual(
      DEMO_ACCOUNTS.map((a) => `Demokontot ${a.email} avstängt: första riktiga import (import ${real.body.importId}, riktig.csv)`).sort(),
    )
    expect(audit.every((r) => r.user_email === 'analytiker@demo.lagesbild.se')).toBe(true)
  })

  it('a real admin made later signs in, and a demo account an admin turns back on ends again at the next import', async () => {
    await createUser(db.kysely, CLI_ACTOR, { email: 'chef@stad.se', password: 'ett-långt-lösenord', name: 'Chef', role: 'admin', stadsomrade: null, organisation: null })
    expect(await signInStatus(app, 'chef@stad.se', 'ett-långt-lösenord')).toBe(200)
    await db.kysely.updateTable('users').set({ disabled: false }).where('email', '=', 'analytiker@demo.lagesbild.se').execute()
    const analyst = await app.as('analyst')
    const again = await post(analyst, '/api/imports/observations?filename=igen.csv', OBSERVATIONS.replace('2027', '2028'))
    expect(again.status).toBe(201)
    expect(await signInStatus(app, 'analytiker@demo.lagesbild.se')).toBe(401)
    expect(await signInStatus(app, 'chef@stad.se', 'ett-långt-lösenord')).toBe(200)
    expect((await analyst.get('/api/imports')).status).toBe(401)
  })
})

describe.each(testEngines())('a start on $name', (engine) => {
  it('keeps the demo accounts on demo data, and on real data disables every account that still has the demo password (logged, audited)', async () => {
    const copy = await engine.copyForProcess()
    const config = { dataDir: copy.env.DATA_DIR ?? 'unused', databaseUrl: copy.env.DATABASE_URL || undefined }
    try {
      const first = await openDatabase(config)
      try {
        expect(first.demoAccounts.map((a) => a.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort())
        // Real data that arrived while the demo accounts were kept (an older version, a test setting), and
        // a real account someone gave the published password.
        const body = (async function* () { yield new TextEncoder().encode(OBSERVATIONS) })()
        await importObservations(first.kysely, body, { fileName: 'riktig.csv', replace: false, actor: CLI_ACTOR, keepDemoAccounts: true })
        await createUser(first.kysely, CLI_ACTOR, { email: 'svag@stad.se', password: DEMO_PASSWORD, name: '', role: 'analyst', stadsomrade: null, organisation: null })
        await createUser(first.kysely, CLI_ACTOR, { email: 'stark@stad.se', password: 'ett-långt-lösenord', name: '', role: 'admin', stadsomrade: null, organisation: null })
      } finally {
        await first.close()
      }

      const messages: string[] = []
      const again = await openDatabase(config, (m) => messages.push(m))
      try {
        expect(again.demoAccounts).toEqual([])
        const disabled = (await again.kysely.selectFrom('users').select('email').where('disabled', '=', true).orderBy('email').execute()).map((u) => u.email)
        expect(disabled).toEqual([...DEMO_ACCOUNTS.map((a) => a.email), 'svag@stad.se'].sort())
        for (const email of disabled) expect(messages.some((m) => m.includes(email) && /demolösenordet.*stängts av/.test(m)), email).toBe(true)
        const audit = await again.kysely.selectFrom('audit_log').select(['user_email', 'summary']).where('user_email', '=', 'uppstart').execute()
        expect(audit.length).toBe(disabled.length)
        const app = await startApp(again, { as: 'public' })
        try {
          expect(await signInStatus(app, 'admin@demo.lagesbild.se')).toBe(401)
          expect(await signInStatus(app, 'svag@stad.se')).toBe(401)
          expect(await signInStatus(app, 'stark@stad.se', 'ett-långt-lösenord')).toBe(200)
        } finally {
          await app.close()
        }
      } finally {
        await again.close()
      }
    } finally {
      await copy.remove()
    }
  }, 120_000)
})
