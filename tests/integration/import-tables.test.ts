import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { readCsv } from '../../server/core/csv'
import type { TableRecipe, TablesDryRunDto } from '../../server/features/imports/imports.schema'
import { cityExportXlsx } from '../fixtures/official/city-export'
import { testEngines } from '../helpers/engines'
import { post, send, startApp, type RunningApp } from '../helpers/http'

const dir = join(import.meta.dirname, '../fixtures/official')
const bytesOf = (name: string) => readFileSync(join(dir, name))
const file = (name: string, bytes: Uint8Array = bytesOf(name)) => ({ name, base64: Buffer.from(bytes).toString('base64') })

/** The Brå fixture's own figures, read plainly (Windows-1252, ';'), to check the import against. */
function braFigures(): Map<string, number | null> {
  const lines = Buffer.from(bytesOf('bra_anmalda_brott_goteborg.csv')).toString('latin1').split('\r\n')
  const header = lines[2]!.split(';')
  const out = new Map<string, number | null>()
  for (const line of lines.slice(3)) {
    const cells = line.split(';')
    if (cells.length < header.length) continue
    header.slice(2).forEach((q, i) => {
      const v = cells[i + 2]!
      out.set(`${cells[0]}|${cells[1]}|${q}`, v === '..' ? null : Number(v.replace(/\s/g, '')))
    })
  }
  return out
}

/** Confirms every suggestion the dry run ranked first, as a user ticking them all would. */
function acceptSuggestions(dry: TablesDryRunDto): TableRecipe {
  const regions = { ...dry.recipe.regions }
  for (const m of dry.matches) if (m.status === 'suggested') regions[m.region] = m.suggestions[0]!.code
  return { ...dry.recipe, regions }
}

describe.each(testEngines())('official-table import on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const count = async () =>
    Number((await db.kysely.selectFrom('observations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const tables = (body: unknown) => send(app, 'POST', '/api/imports/tables', body)
  const values = async (indicator: string, layer: string, period: string) => {
    const res = await app.get(`/api/indicators/${indicator}/values?layer=${layer}&period=${period}`)
    expect(res.status).toBe(200)
    return res.body.values as Array<{ code: string; name: string; value: number; ciLow?: number | null; ciHigh?: number | null }>
  }

  it('Brå: proposes stadsområden, suggests the areas and indicators, then writes the confirmed figures; the areas sum to the municipality', async () => {
    const dry = await tables({ file: file('bra_anmalda_brott_goteborg.csv'), dryRun: true })
    expect(dry.status).toBe(200)
    const d = dry.body as TablesDryRunDto
    expect(d.layout).toMatchObject({ headerRow: 3, regionColumn: 'Region', period: { in: 'columns', columns: ['2025K1', '2025K2', '2025K3', '2025K4'], kinds: ['quarter'] } })
    expect(d.layout.dimensions).toEqual([{ column: 'Brottstyp', values: ['Misshandel', 'Skadegörelse', 'Rån', 'Totalt antal brott'] }])
    expect(d.layer.id).toBe('stadsomrade')
    const byRegion = Object.fromEntries(d.matches.map((m) => [m.region, m]))
    expect(byRegion['Göteborg']).toMatchObject({ status: 'not_area', confirmed: true })
    expect(byRegion['Göteborg Centrum']).toMatchObject({ status: 'suggested', confirmed: false, suggestions: [{ name: 'Centrum', code: '2' }] })
    expect(byRegion['Göteborg Sydväst']!.suggestions[0]).toMatchObject({ name: 'Sydväst' })
    const mapping = Object.fromEntries(d.mapping.map((m) => [m.key, m.indicatorId]))
    expect(mapping).toEqual({ Misshandel: 'demo_misshandel_utomhus', Skadegörelse: 'demo_skadegorelse', Rån: 'demo_ran', 'Totalt antal brott': null })
    expect(d.counts.skippedMissing).toBeGreaterThan(0)
    expect(d.counts.observations).toBe(0) // nothing is confirmed yet
    expect(d.preview.length).toBeGreaterThan(0)
    expect(d.problems).toEqual([])

    const recipe = acceptSuggestions(d)
    recipe.indicators['Totalt antal brott'] = null
    const before = await count()
    const res = await tables({ file: file('bra_anmalda_brott_goteborg.csv'), dryRun: false, recipe, saveRecipeAs: 'Brå anmälda brott per kvartal' })
    expect(res.status).toBe(201)
    const figures = braFigures()
    const areaCells = [...figures].filter(([k, v]) => k.startsWith('Göteborg ') && !k.includes('Totalt') && v !== null)
    expect(res.body).toMatchObject({
      observationsWritten: areaCells.length,
      areasTouched: 4,
      indicators: ['demo_misshandel_utomhus', 'demo_ran', 'demo_skadegorelse'],
      periods: ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'],
      skippedMissing: [...figures.values()].filter((v) => v === null).length,
    })
    expect(res.body.savedRecipeId).toEqual(expect.any(Number))
    expect(await count()).toBe(before + areaCells.length)

    const q1 = await values('demo_misshandel_utomhus', 'stadsomrade', '2025-Q1')
    expect(q1.find((v) => v.name === 'Centrum')?.value).toBe(figures.get('Göteborg Centrum|Misshandel|2025K1'))
    expect(q1.reduce((s, v) => s + v.value, 0)).toBe(figures.get('Göteborg|Misshandel|2025K1'))
    const skad = await values('demo_skadegorelse', 'stadsomrade', '2025-Q3')
    expect(skad.reduce((s, v) => s + v.value, 0)).toBe(figures.get('Göteborg|Skadegörelse|2025K3'))

    const log = await app.get('/api/imports')
    const sha = createHash('sha256').update(bytesOf('bra_anmalda_brott_goteborg.csv')).digest('hex')
    expect(log.body[0]).toMatchObject({ kind: 'tables', fileName: 'bra_anmalda_brott_goteborg.csv', sha256: sha, rowsAccepted: areaCells.length })

    // The same cells again: refused unless replacing, then replaced one for one.
    const again = await tables({ file: file('bra_anmalda_brott_goteborg.csv'), dryRun: false, recipe })
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/finns redan/)
    expect(await count()).toBe(before + areaCells.length)
    const replaced = await tables({ file: file('bra_anmalda_brott_goteborg.csv'), dryRun: false, recipe, replace: true })
    expect(replaced.status).toBe(201)
    expect(replaced.body.replaced).toBe(areaCells.length)
    expect(await count()).toBe(before + areaCells.length)
  })

  it('offers the saved recipe for next year’s file of the same layout, which then imports without a question', async () => {
    const list = await app.get('/api/imports/recipes')
    expect(list.status).toBe(200)
    const saved = list.body.find((r: any) => r.name === 'Brå anmälda brott per kvartal')
    expect(saved).toBeDefined()
    const nextYear = Buffer.from(
      Buffer.from(bytesOf('bra_anmalda_brott_goteborg.csv'))
        .toString('latin1')
        .replace('kvartal 2025', 'kvartal 2026')
        .replace(/2025K(\d)/g, '2026K$1'),
      'latin1',
    )
    const dry = await tables({ file: file('bra_2026.csv', nextYear), dryRun: true })
    expect(dry.status).toBe(200)
    expect(dry.body.suggestedRecipe).toMatchObject({ id: saved.id, name: saved.name })
    const withRecipe = await tables({ file: file('bra_2026.csv', nextYear), dryRun: true, recipe: dry.body.suggestedRecipe.recipe })
    expect(withRecipe.body.counts).toMatchObject({ unconfirmed: 0, existing: 0 })
    expect(withRecipe.body.matches.every((m: any) => m.confirmed)).toBe(true)
    const res = await tables({ file: file('bra_2026.csv', nextYear), dryRun: false, recipe: dry.body.suggestedRecipe.recipe })
    expect(res.status).toBe(201)
    expect(res.body.periods).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'])

    // A file of another layout is offered nothing.
    const other = await tables({ file: file('ntu_lokalpolisomraden.csv'), dryRun: true })
    expect(other.body.suggestedRecipe).toBeNull()

    expect((await send(app, 'DELETE', `/api/imports/recipes/${saved.id}`)).status).toBe(204)
    expect((await app.get('/api/imports/recipes')).body.find((r: any) => r.id === saved.id)).toBeUndefined()
    expect((await send(app, 'DELETE', `/api/imports/recipes/${saved.id}`)).status).toBe(404)
  })

  it('NTU: names like "Göteborg City" go to lokalpolisområden, the share keeps its interval', async () => {
    const dry = await tables({ file: file('ntu_lokalpolisomraden.csv'), dryRun: true })
    expect(dry.status).toBe(200)
    const d = dry.body as TablesDryRunDto
    expect(d.layer.id).toBe('lokalpolisomrade')
    expect(d.layout.period).toMatchObject({ in: 'column', column: 'År' })
    expect(d.layout.values).toEqual([
      { column: 'Andel (%)', role: 'value' },
      { column: 'KI nedre', role: 'ci_low' },
      { column: 'KI övre', role: 'ci_high' },
    ])
    expect(d.matches.map((m) => [m.region, m.status, m.suggestions[0]?.code ?? null])).toEqual([
      ['Göteborg City', 'suggested', 'city'],
      ['Göteborg Hisingen', 'suggested', 'hisingen'],
      ['Göteborg Nordost', 'suggested', 'nordost'],
      ['Göteborg Syd', 'suggested', 'syd'],
      ['Polisregion Väst', 'not_area', null],
    ])
    expect(d.mapping).toMatchObject([{ key: '*', indicatorId: 'demo_otrygg_kvall' }])
    const res = await tables({ file: file('ntu_lokalpolisomraden.csv'), dryRun: false, recipe: acceptSuggestions(d) })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ observationsWritten: 7, skippedMissing: 1, periods: ['2024', '2026'] })
    const v = await values('demo_otrygg_kvall', 'lokalpolisomrade', '2026')
    expect(v.find((x) => x.code === 'city')).toMatchObject({ value: 22.8, ciLow: 19.9, ciHigh: 25.7 })
    expect(v.find((x) => x.code === 'hisingen')).toBeUndefined()
  })

  it('SCB: DeSO codes match exactly, the municipality is left out, years as columns', async () => {
    const dry = await tables({ file: file('scb_deso_unga_uvas.csv'), dryRun: true })
    const d = dry.body as TablesDryRunDto
    expect(d.layer.id).toBe('deso')
    expect(d.matches.map((m) => m.status)).toEqual(['not_area', 'exact', 'exact', 'exact', 'exact'])
    expect(d.matches.every((m) => m.confirmed)).toBe(true)
    expect(d.mapping).toMatchObject([{ key: '*', indicatorId: 'demo_unga_uvas' }])
    expect(d.counts).toMatchObject({ skippedMissing: 2, unconfirmed: 0 })
    const res = await tables({ file: file('scb_deso_unga_uvas.csv'), dryRun: false, recipe: d.recipe })
    expect(res.status).toBe(201)
    expect(res.body.observationsWritten).toBe(d.counts.observations)
    const v = await values('demo_unga_uvas', 'deso', '2024')
    expect(v.find((x) => x.code === '1480A0010')?.value).toBe(6.8)
    expect(v.find((x) => x.code === '1480C1020')?.value).toBe(4.2)
  })

  it('the city’s Excel export: the code column is the region, the indicator column maps by name', async () => {
    const xlsx = await cityExportXlsx()
    const dry = await tables({ file: file('trygghet_stad.xlsx', xlsx), dryRun: true })
    expect(dry.status).toBe(200)
    const d = dry.body as TablesDryRunDto
    expect(d.layout.format.kind).toBe('xlsx')
    expect(d.layer.id).toBe('primaromrade')
    expect(d.layout.regionColumn).toBe('Kod')
    expect(d.layout.dimensions.map((x) => x.column)).toEqual(['Indikator'])
    expect(Object.fromEntries(d.mapping.map((m) => [m.key, m.indicatorId]))).toEqual({
      'Skadegörelse, anmälda brott': 'demo_skadegorelse',
      'Bostadsinbrott, anmälda brott': 'demo_bostadsinbrott',
    })
    expect(d.matches.find((m) => m.region === 'Göteborgs Stad')?.status).toBe('not_area')
    const res = await tables({ file: file('trygghet_stad.xlsx', xlsx), dryRun: false, recipe: d.recipe })
    expect(res.status).toBe(201)
    expect(res.body.periods).toEqual(['2026-H1', '2026-H2'])
    expect((await values('demo_skadegorelse', 'primaromrade', '2026-H1')).find((x) => x.code === '612')?.value).toBe(41)
  })

  it('refuses a bad table naming row and column, and writes nothing', async () => {
    const text = [
      'Anmälda brott',
      'Region;Brottstyp;2027K1;2027K2',
      'Göteborg Centrum;Misshandel;12;tolv', // 3: not a number
      'Göteborg Nordost;Misshandel;3,5;4', // 4: a count with decimals
      'Atlantis;Misshandel;1;2', // 5: no confirmed area
      'Göteborg Hisingen;Okänt brott;1;2', // 6: no indicator chosen
    ].join('\n')
    const f = file('fel.csv', Buffer.from(text, 'utf8'))
    const dry = (await tables({ file: f, dryRun: true })).body as TablesDryRunDto
    expect(dry.problems).toEqual([{ row: 3, field: '2027K2', message: '"tolv" är inget tal' }])
    const recipe = { ...acceptSuggestions(dry), indicators: { Misshandel: 'demo_misshandel_utomhus' } }
    const before = await count()
    const res = await tables({ file: f, dryRun: false, recipe })
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((x: any) => `${x.row}:${x.field}`)).toEqual(['3:2027K2', '4:2027K1', '5:Region', '6:Brottstyp'])
    expect(await count()).toBe(before)

    const ntu = ['Lokalpolisområde;År;Andel (%);KI nedre;KI övre', 'Nordost;2027;140;30;40', 'City;2027;20;25;15'].join('\n')
    const nf = file('ntu_fel.csv', Buffer.from(ntu, 'utf8'))
    const nd = (await tables({ file: nf, dryRun: true })).body as TablesDryRunDto
    const bad = await tables({ file: nf, dryRun: false, recipe: { ...nd.recipe, indicators: { '*': 'demo_otrygg_kvall' } } })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.map((x: any) => `${x.row}:${x.field}`)).toEqual(['2:Andel (%)', '3:KI nedre'])
    expect(await count()).toBe(before)
  })

  it('refuses a recipe that does not fit the file, an unreadable body and a file over 20 MB', async () => {
    const dry = (await tables({ file: file('ntu_lokalpolisomraden.csv'), dryRun: true })).body as TablesDryRunDto
    const wrong = await tables({ file: file('ntu_lokalpolisomraden.csv'), dryRun: true, recipe: { ...dry.recipe, regionColumn: 'Stadsdel' } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.details[0]).toMatchObject({ row: 2, field: 'regionColumn' })
    expect((await tables({ dryRun: true })).status).toBe(400)
    const notJson = await post(app, '/api/imports/tables', '{ inte json', 'application/json')
    expect(notJson.status).toBe(400)
    const big = await tables({ file: { name: 'stor.csv', base64: 'QUFB'.repeat(Math.ceil((20 * 1024 * 1024 + 3) / 3)) }, dryRun: true })
    expect(big.status).toBe(413)
    expect(big.body.error.message).toMatch(/20 MB/)
  })

  it.each([
    ['a share with its interval', 'demo_otrygg_kvall', 'stadsomrade', '2023'],
    ['a count, whose population is no denominator of its own', 'demo_ran', 'primaromrade', '2024'],
  ])('reads an exported values CSV back as it is (code before name), %s; replacing changes nothing', async (_what, indicator, layer, period) => {
    const path = `/api/indicators/${indicator}/values?layer=${layer}&period=${period}`
    const before = (await app.get(path)).body.values
    expect(before.length).toBeGreaterThan(0)
    const res = await fetch(`${app.url}${path}&format=csv`, { headers: app.headers() })
    const bytes = new Uint8Array(await res.arrayBuffer())
    const csv = await readCsv((async function* () { yield bytes })())
    expect(csv.header.slice(-2)).toEqual(['Indikator', 'Indelning'])
    const back = await post(app, '/api/imports/observations?replace=true&filename=export.csv', bytes)
    expect(back.status).toBe(201)
    expect(back.body).toMatchObject({ rowsAccepted: before.length, replaced: before.length })
    expect((await app.get(path)).body.values).toEqual(before)
  })
})
