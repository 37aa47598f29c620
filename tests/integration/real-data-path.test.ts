/**
 * The whole real-data path, from an empty database without the demo, as an analyst builds a lägesbild:
 * define the indicators → import SCB's and the city's population → import Brå's and NTU's tables → the values
 * carry the population of each period's own year (rates per 100 000 follow from them) → a published snapshot
 * that keeps every figure and the definitions it froze. Each figure is checked against the fixture files and
 * plain SQL over the stored population, not against the code that made it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_ACTOR } from '../../db/audit'
import { migrateToLatest, type Db } from '../../db/connect'
import { seedIfEmpty } from '../../geodata/seed'
import { createUser, DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/features/auth/auth.service'
import type { TableRecipe, TablesDryRunDto } from '../../server/features/imports/imports.schema'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'

const dir = join(import.meta.dirname, '../fixtures/official')
const bytesOf = (name: string) => readFileSync(join(dir, name))
const file = (name: string, bytes: Uint8Array = bytesOf(name)) => ({ name, base64: Buffer.from(bytes).toString('base64') })

/** The Brå fixture moved to another year: the same layout, as next year's download. */
const braFor = (year: number) =>
  Buffer.from(Buffer.from(bytesOf('bra_anmalda_brott_goteborg.csv')).toString('latin1').replace(/2025/g, String(year)), 'latin1')

const INDICATORS = [
  { id: 'misshandel', name: 'Misshandel, anmälda brott', unit: 'count', category: 'brott', source: 'Brå, anmälda brott', licence: 'Brå, fri användning med källangivelse' },
  { id: 'skadegorelse', name: 'Skadegörelse, anmälda brott', unit: 'count', category: 'brott', source: 'Brå, anmälda brott' },
  { id: 'ran', name: 'Rån, anmälda brott', unit: 'count', category: 'brott', source: 'Brå, anmälda brott' },
  { id: 'ntu_otrygg_kvall', name: 'Otrygg utomhus sen kväll (NTU)', unit: 'percent', category: 'otrygghet', source: 'Brå, NTU', survey: true },
]

describe.each(testEngines())('the real-data path from an empty database on $name', (engine) => {
  let db: Db
  let analyst: RunningApp
  /** A local management group: live figures as everyone outside the analyst role sees them. */
  let outsider: Client
  let publicView: Client
  beforeAll(async () => {
    db = await engine.openEmpty()
    await migrateToLatest(db.kysely)
    await seedIfEmpty(db.kysely, undefined, { demo: false })
    // A real installation's first accounts, made as user:add makes them.
    for (const role of ['analyst', 'local'] as const) {
      const a = DEMO_ACCOUNTS.find((x) => x.role === role)!
      await createUser(db.kysely, CLI_ACTOR, { email: a.email, password: DEMO_PASSWORD, name: a.name, role, stadsomrade: a.stadsomrade ?? null })
    }
    analyst = await startApp(db, { as: 'analyst' })
    outsider = await analyst.as('local')
    publicView = await analyst.as('public')
  }, 240_000)
  afterAll(async () => {
    await analyst?.close()
    await db?.close()
  })

  /** Σ stored population of a stadsområde's primärområden in a year: the exact figure a count's denominator must be. */
  const stadsomradePopulation = async (year: number) => {
    const { rows } = await sql<{ code: string; n: number }>`
      SELECT s.code, sum(p.population)::float8 AS n
      FROM areas s JOIN area_parents ap ON ap.parent_id = s.id
      JOIN areas c ON c.id = ap.child_id AND c.layer_id = 'primaromrade'
      JOIN area_population p ON p.area_id = c.id AND p.year = ${year}
      WHERE s.layer_id = 'stadsomrade' GROUP BY s.code`.execute(db.kysely)
    return new Map(rows.map((r) => [r.code, r.n]))
  }

  it('starts with an empty catalogue and refuses figures for an indicator nobody has defined', async () => {
    expect((await analyst.get('/api/indicators')).body).toEqual([])
    const res = await send(analyst, 'POST', '/api/imports/tables', { file: file('bra_anmalda_brott_goteborg.csv'), dryRun: true })
    expect(res.status).toBe(200)
    expect((res.body as TablesDryRunDto).mapping.every((m) => m.indicatorId === null)).toBe(true)
  })

  it('defines the indicators', async () => {
    for (const i of INDICATORS) {
      const res = await send(analyst, 'POST', '/api/indicators', i)
      expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
    const list = (await analyst.get('/api/indicators')).body as Array<{ id: string; licence: string; survey: boolean }>
    expect(list.map((i) => i.id).sort()).toEqual(INDICATORS.map((i) => i.id).sort())
    expect(list.find((i) => i.id === 'ntu_otrygg_kvall')?.survey).toBe(true)
  })

  it("imports the city's primärområde population for 2023–2024 beside the 2025 the start loaded", async () => {
    const res = await post(analyst, '/api/imports/population?layer=primaromrade', bytesOf('goteborg_primaromraden_befolkning_2023_2024.csv'))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.years).toEqual([2023, 2024])
    const pop = await analyst.get('/api/layers/stadsomrade/population?year=2024')
    expect(pop.status).toBe(200)
    const exact = await stadsomradePopulation(2024)
    for (const p of pop.body as Array<{ code: string; population: number; estimated: boolean }>) {
      expect(p.population, p.code).toBe(exact.get(p.code))
      expect(p.estimated).toBe(false)
    }
  })

  it("imports Brå's tables for two years and NTU's shares, confirming the suggested areas", async () => {
    const recipeOf = (d: TablesDryRunDto): TableRecipe => {
      const regions = { ...d.recipe.regions }
      for (const m of d.matches) if (m.status === 'suggested') regions[m.region] = m.suggestions[0]!.code
      return { ...d.recipe, regions }
    }
    for (const year of [2024, 2025]) {
      const dry = await send(analyst, 'POST', '/api/imports/tables', { file: file(`bra_${year}.csv`, braFor(year)), dryRun: true })
      expect(dry.status).toBe(200)
      const d = dry.body as TablesDryRunDto
      expect(Object.fromEntries(d.mapping.map((m) => [m.key, m.indicatorId]))).toMatchObject({ Misshandel: 'misshandel', Skadegörelse: 'skadegorelse', Rån: 'ran' })
      const recipe = recipeOf(d)
      recipe.indicators['Totalt antal brott'] = null
      const res = await send(analyst, 'POST', '/api/imports/tables', { file: file(`bra_${year}.csv`, braFor(year)), dryRun: false, recipe })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      expect(res.body.periods).toEqual([`${year}-Q1`, `${year}-Q2`, `${year}-Q3`, `${year}-Q4`])
    }
    const ntu = await send(analyst, 'POST', '/api/imports/tables', { file: file('ntu_lokalpolisomraden.csv'), dryRun: true })
    expect(ntu.status).toBe(200)
    const d = ntu.body as TablesDryRunDto
    const recipe = recipeOf(d)
    for (const m of d.mapping) recipe.indicators[m.key] = 'ntu_otrygg_kvall'
    const res = await send(analyst, 'POST', '/api/imports/tables', { file: file('ntu_lokalpolisomraden.csv'), dryRun: false, recipe })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  })

  it("gives each count the population of its period's own year, exactly the stadsområde's sum, and says so", async () => {
    const exact = { 2024: await stadsomradePopulation(2024), 2025: await stadsomradePopulation(2025) }
    expect(exact[2024].size).toBe(4)
    for (const year of [2024, 2025] as const) {
      const res = await analyst.get(`/api/indicators/misshandel/values?layer=stadsomrade&period=${year}-Q1`)
      expect(res.status).toBe(200)
      expect(res.body.population).toMatchObject({ year, nearest: false, estimated: false })
      for (const v of res.body.values as Array<{ code: string; value: number; denominator: number }>) {
        expect(v.denominator, `${year} ${v.code}`).toBe(exact[year].get(v.code))
      }
      // The city's figure: its own sum over the stadsområden, against the sum of the populations.
      const total = [...exact[year].values()].reduce((a, b) => a + b, 0)
      expect(res.body.city.denominator).toBe(total)
      expect(res.body.city.value).toBe(res.body.values.reduce((s: number, v: { value: number }) => s + v.value, 0))
    }
    // The two years' populations differ, so a rate per 100 000 really follows the year.
    const centre = (y: 2024 | 2025) => exact[y].get('2')!
    expect(centre(2024)).not.toBe(centre(2025))

  })

  it('uses the nearest earlier year for a period without population, and says so in the note', async () => {
    const dry = (await send(analyst, 'POST', '/api/imports/tables', { file: file('bra_2026.csv', braFor(2026)), dryRun: true })).body as TablesDryRunDto
    const regions = { ...dry.recipe.regions }
    for (const m of dry.matches) if (m.status === 'suggested') regions[m.region] = m.suggestions[0]!.code
    const res = await send(analyst, 'POST', '/api/imports/tables', { file: file('bra_2026.csv', braFor(2026)), dryRun: false, recipe: { ...dry.recipe, regions, indicators: { ...dry.recipe.indicators, 'Totalt antal brott': null } } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const v = (await analyst.get('/api/indicators/misshandel/values?layer=stadsomrade&period=2026-Q2')).body
    expect(v.population).toMatchObject({ year: 2025, nearest: true })
    expect(v.population.note).toMatch(/2025/)
    const exact = await stadsomradePopulation(2025)
    for (const x of v.values as Array<{ code: string; denominator: number }>) expect(x.denominator).toBe(exact.get(x.code))
  })

  it('lets the public see the same figures with small counts hidden, and keeps them in a published snapshot', async () => {
    const live = (await outsider.get('/api/indicators/misshandel/values?layer=stadsomrade&period=2025-Q1')).body
    expect(live.suppression.internal).toBe(false)
    const created = await send(analyst, 'POST', '/api/snapshots', {
      title: 'Lägesbild 2026',
      description: 'Från Brå, NTU och SCB',
      settings: { layer: 'stadsomrade', indicator: 'misshandel', period: '2025-Q1' },
      indicators: INDICATORS.map((i) => i.id),
      layers: ['stadsomrade', 'lokalpolisomrade'],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id as number
    expect((await send(analyst, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)

    // A later edit of the definition and a re-import leave the published figures as they were.
    const before = (await publicView.get(`/api/snapshots/${id}/values?indicator=misshandel&layer=stadsomrade&period=2025-Q1`)).body
    expect(before.values).toEqual(live.values)
    expect(before.city).toEqual(live.city)
    const def = (await analyst.get('/api/indicators')).body.find((i: { id: string }) => i.id === 'misshandel')
    expect((await send(analyst, 'PATCH', '/api/indicators/misshandel', { version: def.version, name: 'Misshandel (ny definition)', minPublishCount: 500 })).status).toBe(200)
    const after = (await publicView.get(`/api/snapshots/${id}/values?indicator=misshandel&layer=stadsomrade&period=2025-Q1`)).body
    expect(after).toEqual(before)
    const frozen = (await publicView.get(`/api/snapshots/${id}/indicators`)).body as Array<{ id: string; name: string }>
    expect(frozen.find((i) => i.id === 'misshandel')?.name).toBe('Misshandel, anmälda brott')
    // The live figures follow the new threshold at once: every stadsområde is now below 500.
    const now = (await outsider.get('/api/indicators/misshandel/values?layer=stadsomrade&period=2025-Q1')).body
    expect(now.values.every((v: { suppressed: boolean }) => v.suppressed)).toBe(true)

    const ntu = (await publicView.get(`/api/snapshots/${id}/values?indicator=ntu_otrygg_kvall&layer=lokalpolisomrade&period=2024`)).body
    const nordost = ntu.values.find((v: { code: string }) => v.code === 'nordost')
    expect(nordost).toMatchObject({ value: 38.9, ciLow: 35.1, ciHigh: 42.7 })
  })
})
