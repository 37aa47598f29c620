import { sql, type Kysely, type KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROCESS_TABLES } from '../../db/changes'
import type { Db } from '../../db/connect'
import type { Database } from '../../db/schema'
import { testEngines } from '../helpers/engines'
import { startApp, type Client, type RunningApp } from '../helpers/http'

/** Records the SQL of every statement run through the Kysely it is plugged into. */
function tracer(base: Kysely<Database>, out: string[]): KyselyPlugin {
  return {
    transformQuery(args) {
      out.push(base.getExecutor().compileQuery(args.node, args.queryId).sql)
      return args.node
    },
    transformResult: async (args) => args.result,
  }
}

const SESSION_READ = /^select .* from "sessions" as "s" inner join "users" as "u"/
const PROCESS = new RegExp(`\\b(${[...PROCESS_TABLES].join('|')})\\b`, 'i')

/**
 * What is kept per the 'figures' generation (server/http/prepared.ts) outlives saves to PROCESS_TABLES
 * (db/changes.ts): so no such answer may read one, and no change to one may reach another table.
 */
describe.each(testEngines())('answers kept per the figures on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let analyst: Client
  let local: Client
  const statements: string[] = []
  beforeAll(async () => {
    db = await engine.open()
    // A Kysely the change registry does not know: nothing is kept, every read reaches the database and is traced.
    app = await startApp({ ...db, kysely: db.kysely.withPlugin(tracer(db.kysely, statements)) }, { as: 'public' })
    analyst = await app.as('analyst')
    local = await app.as('local')
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('reads no table of the process for any route kept per the figures, for a local group or an analyst', async () => {
    const snapshot = (await local.get('/api/snapshots')).body[0].id as number
    const values = (await analyst.get('/api/indicators/demo_ran/values?layer=primaromrade&period=2025')).body.values as Array<{ areaId: number }>
    const areas = values.slice(0, 3).map((v) => v.areaId).join(',')
    const routes = [
      '/api/indicators/demo_ran/values?layer=primaromrade&period=2025',
      '/api/indicators/demo_otrygg_kvall/values?layer=stadsomrade&period=2025',
      `/api/indicators/demo_ran/series?areas=${areas}`,
      '/api/indicators',
      '/api/layers',
      '/api/layers/primaromrade/areas',
      '/api/layers/deso/neighbours',
      '/api/layers/regso/population',
      '/api/areas',
      `/api/snapshots/${snapshot}/layers`,
      `/api/snapshots/${snapshot}/values?indicator=demo_ran&layer=stadsomrade`,
      `/api/snapshots/${snapshot}/series?indicator=demo_ran&areas=${values.slice(0, 1).map((v) => v.areaId)}`,
      `/api/snapshots/${snapshot}/areas?layer=stadsomrade`,
    ]
    const read: Record<string, { status: number; statements: number; process: string[] }> = {}
    for (const client of [local, analyst]) {
      for (const route of routes) {
        statements.length = 0
        const res = await client.get(route)
        // The caller's session decides the audience before the route runs; sessions are kept per 'all' (auth.service.ts).
        const answer = statements.filter((s) => !SESSION_READ.test(s))
        read[`${client === local ? 'local' : 'analyst'} ${route}`] = {
          status: res.status,
          statements: Math.min(answer.length, 1),
          process: answer.filter((s) => PROCESS.test(s)).map((s) => s.slice(0, 160)),
        }
      }
    }
    // Each answered, each read the database (the trace is not empty), none read the process.
    expect(read).toEqual(Object.fromEntries(Object.keys(read).map((k) => [k, { status: 200, statements: 1, process: [] }])))
  })

  it('lets no change to a table of the process cascade into another table', async () => {
    const { rows } = await sql<{ child: string; parent: string }>`
      SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint
      WHERE contype = 'f' AND (confdeltype IN ('c', 'n', 'd') OR confupdtype IN ('c', 'n', 'd'))`.execute(db.kysely)
    expect(rows.filter((r) => PROCESS_TABLES.has(r.parent) && !PROCESS_TABLES.has(r.child))).toEqual([])
  })
})
