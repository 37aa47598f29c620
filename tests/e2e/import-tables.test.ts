/** An analyst reads a Brå table in the browser: layout, indicators, area matches, import; next year's file takes the saved recipe. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver, type UploadFile } from './driver'

const BRA = readFileSync(join(import.meta.dirname, '../fixtures/official/bra_anmalda_brott_goteborg.csv'))
const braFile = (name: string, bytes: Buffer = BRA): UploadFile => ({ name, mimeType: 'text/csv', buffer: bytes })

describe.skipIf(browserSkipReason !== null)('the official-table wizard in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  let errors: string[]
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }), h.app.url)
    errors = ui.recordErrors()
  })

  const quarterObservations = async (period: string) =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM observations WHERE period = ${period}`.execute(h.db.kysely)).rows[0]!.n)

  it('steps from the file through layout, indicators and areas to an all-or-nothing import, and saves the recipe', async () => {
    await ui.givenThePage('/importera')
    await ui.chooseTableFile(braFile('bra_anmalda_brott_goteborg.csv'))

    expect(await ui.tableLayout()).toMatchObject({ layer: 'stadsomrade', regionColumn: 'Region' })
    expect((await ui.tableLayout()).periods).toMatch(/4 kolumner \(2025K1, 2025K2, 2025K3, 2025K4\) – kvartal/)
    expect(await ui.regionMatch('Göteborg')).toEqual({ status: 'not_area', pick: '-', ticked: true })
    // A suggestion is picked but waits for the user.
    expect(await ui.regionMatch('Göteborg Centrum')).toEqual({ status: 'suggested', pick: '2', ticked: false })
    expect(await ui.tableIndicator('Misshandel')).toBe('demo_misshandel_utomhus')
    expect(await ui.tableIndicator('Totalt antal brott')).toBe('')
    expect(await ui.tableImportDisabled()).toBe(true)
    expect(await ui.text('table-left')).toMatch(/4 områden och 1 serie/)

    await ui.chooseTableIndicator('Totalt antal brott', '-')
    await ui.acceptAllSuggestions()
    expect(await ui.regionMatch('Göteborg Sydväst')).toEqual({ status: 'suggested', pick: '3', ticked: true })
    expect(await ui.tableImportDisabled()).toBe(false)
    await ui.saveTableRecipeAs('Brå per kvartal')
    await ui.screenshot(join(ARTEFACTS, 'import-tables-1280.png'))
    await ui.givenTheScreen(320, 800)
    await ui.screenshot(join(ARTEFACTS, 'import-tables-320.png'))
    await ui.givenTheScreen(1280, 800)

    const before = await quarterObservations('2025-Q1')
    await ui.importTable()
    const result = await ui.text('table-result')
    expect(result).toMatch(/värden för 4 områden \(kv\. 1 2025, kv\. 2 2025, kv\. 3 2025, kv\. 4 2025\)/)
    expect(result).toMatch(/Receptet sparades/)
    // Q1: three crime types in four areas, none missing in the fixture's first quarter.
    expect(await quarterObservations('2025-Q1')).toBe(before + 12)
    await expect.poll(() => ui.firstRowText('import-log')).toMatch(/Officiell tabell\s+bra_anmalda_brott_goteborg\.csv/)
  })

  it('offers the saved recipe for next year’s file, which then imports as it is', async () => {
    const nextYear = Buffer.from(BRA.toString('latin1').replace(/2025K(\d)/g, '2026K$1'), 'latin1')
    await ui.givenThePage('/importera')
    await ui.chooseTableFile(braFile('bra_2026.csv', nextYear))
    expect(await ui.text('recipe-offer')).toMatch(/”Brå per kvartal” passar/)
    await ui.useOfferedRecipe()
    expect(await ui.regionMatch('Göteborg Nordost')).toEqual({ status: 'suggested', pick: '1', ticked: true })
    expect(await ui.tableImportDisabled()).toBe(false)
    await ui.importTable()
    expect(await ui.text('table-result')).toMatch(/kv\. 1 2026/)
    expect(await quarterObservations('2026-Q1')).toBe(12)
  })

  it('NTU: a value column taken out leaves intervals with one bound, refused by row and column; read again, it imports', async () => {
    const ntu: UploadFile = { name: 'ntu.csv', mimeType: 'text/csv', buffer: readFileSync(join(import.meta.dirname, '../fixtures/official/ntu_lokalpolisomraden.csv')) }
    await ui.givenThePage('/importera')
    await ui.chooseTableFile(ntu)
    expect(await ui.tableLayout()).toMatchObject({ layer: 'lokalpolisomrade', regionColumn: 'Lokalpolisområde' })
    expect(await ui.regionMatch('Polisregion Väst')).toMatchObject({ status: 'not_area', ticked: true })
    await ui.chooseValueRole('KI övre', 'ignore')
    await ui.acceptAllSuggestions()
    const before = await quarterObservations('2026')
    await ui.importTableExpectingErrors()
    expect(await ui.text('import-error')).toMatch(/3\s+KI nedre\s+den övre gränsen saknas: ange båda gränserna eller ingen/)
    expect(await quarterObservations('2026')).toBe(before)

    await ui.chooseTableFile(ntu)
    await ui.acceptAllSuggestions()
    await ui.importTable()
    expect(await ui.text('table-result')).toMatch(/7 värden för 4 områden \(2024, 2026\)/)
    expect(errors).toEqual([])
  })
})
