import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TableRecipe } from '../../server/features/imports/imports.schema'
import {
  bigramSimilarity,
  isNotArea,
  layerFit,
  matchRegion,
  matchRegions,
  nameScore,
  suggestIndicators,
  type AreaRef,
} from '../../server/features/imports/tables.match'
import {
  cellNumber,
  columnStats,
  dataRows,
  dimensionColumns,
  findHeader,
  headerFingerprint,
  isMissing,
  periodOfLabel,
  pickDelimiter,
  proposeColumns,
  readGrid,
  reshape,
  type Grid,
} from '../../server/features/imports/tables.reader'
import { cityExportXlsx } from '../fixtures/official/city-export'

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/official', name)))
const csv = (text: string, name = 't.csv') => readGrid(new TextEncoder().encode(text), name)

/** The reader's own proposal as a recipe (region column given), for reshaping in the tests. */
function proposal(grid: Grid, regionColumn: string): { recipe: TableRecipe; header: ReturnType<typeof findHeader> } {
  const header = findHeader(grid)
  const rows = dataRows(grid, header)
  const cols = proposeColumns(columnStats(rows, header, grid.decimalComma))
  const recipe: TableRecipe = {
    headerRow: header.headerRow,
    layer: 'stadsomrade',
    regionColumn,
    period: cols.period,
    dimensions: dimensionColumns(rows, header, cols.textColumns, regionColumn),
    values: cols.values,
    regions: {},
    indicators: {},
  }
  return { recipe, header }
}

describe('periods in official spellings', () => {
  it.each([
    ['2024', '2024'],
    ['2024*', '2024'],
    ['År 2024', '2024'],
    ['2024K1', '2024-Q1'],
    ['2024 K3', '2024-Q3'],
    ['2024 kv 1', '2024-Q1'],
    ['2024 kv. 2', '2024-Q2'],
    ['2024Q4', '2024-Q4'],
    ['2024-Q2', '2024-Q2'],
    ['kvartal 1 2024', '2024-Q1'],
    ['Kvartal 3, 2024', '2024-Q3'],
    ['2024 kvartal 2', '2024-Q2'],
    ['2024M01', '2024-01'],
    ['2024M1', '2024-01'],
    ['2024-01', '2024-01'],
    ['2024-12', '2024-12'],
    ['januari 2024', '2024-01'],
    ['Maj 2024', '2024-05'],
    ['sept 2024', '2024-09'],
    ['dec. 2024', '2024-12'],
    ['2024 oktober', '2024-10'],
    ['2024 halvår 1', '2024-H1'],
    ['2024 Halvår 2', '2024-H2'],
    ['halvår 2 2024', '2024-H2'],
    ['2024H1', '2024-H1'],
    ['2024-H2', '2024-H2'],
  ])('%s → %s', (label, id) => {
    expect(periodOfLabel(label)?.id).toBe(id)
  })

  it.each(['Region', '2024K5', '2024M13', 'smörgås 2024', '1480', '12,5', '2024-2025', ''])('%s is no period', (label) => {
    expect(periodOfLabel(label)).toBeNull()
  })
})

describe('cells', () => {
  it.each(['', '..', '.', '-', '–', '...'])('"%s" is missing', (c) => {
    expect(isMissing(c)).toBe(true)
    expect(cellNumber(c, true)).toBeNull()
  })

  it('reads decimal commas, space and no-break-space thousands, and says NaN for text', () => {
    expect(cellNumber('12,5', true)).toBe(12.5)
    expect(cellNumber('1 234', true)).toBe(1234)
    expect(cellNumber('1\u00a0234,5', true)).toBe(1234.5)
    expect(cellNumber('12.5', false)).toBe(12.5)
    expect(cellNumber('34 %', true)).toBe(34)
    expect(cellNumber('tre', true)).toBeNaN()
  })

  it('takes the delimiter that is steady over the lines, not the one in the title', () => {
    expect(pickDelimiter('Anmälda brott, Göteborg, 2025\n\nRegion;Typ;2024;2025\nA;B;1;2\nC;D;3,5;4\n')).toBe(';')
    expect(pickDelimiter('"Tabell; en titel"\n"region","2022","2023"\n"1480A0010",1.2,3.4\n')).toBe(',')
  })
})

describe('reading the official shapes', () => {
  it('Brå: windows-1252, a title above, quarters as columns, the municipality’s total and footnotes', async () => {
    const grid = await readGrid(fixture('bra_anmalda_brott_goteborg.csv'), 'bra.csv')
    expect(grid.format).toMatchObject({ kind: 'csv', encoding: 'windows-1252', delimiter: ';' })
    const { recipe, header } = proposal(grid, 'Region')
    expect(header.headerRow).toBe(3)
    expect(header.title).toMatch(/^Anmälda brott, Göteborgs kommun/)
    expect(header.names).toEqual(['Region', 'Brottstyp', '2025K1', '2025K2', '2025K3', '2025K4'])
    expect(recipe.period).toEqual({ in: 'columns' })
    expect(recipe.dimensions).toEqual(['Brottstyp'])
    const long = reshape(grid, header, recipe)
    // 16 table rows × 4 quarters; the footnotes are no rows.
    expect(long.rowsRead).toBe(16)
    expect(long.cells).toBe(64)
    expect(long.skippedMissing).toBe(long.cells - long.rows.length)
    expect(long.skippedMissing).toBeGreaterThan(0)
    expect(long.problems).toEqual([])
    expect(long.periodKinds).toEqual(['quarter'])
    const total = long.rows.find((r) => r.region === 'Göteborg' && r.key === 'Totalt antal brott' && r.period.id === '2025-Q1')!
    expect(total.value).toBe(25310) // "25 310"
    const centrum = long.rows.filter((r) => r.region === 'Göteborg Centrum' && r.key === 'Misshandel').map((r) => r.period.id)
    expect(centrum).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'])
    expect(long.rows.every((r) => r.line >= 4 && r.line <= 19)).toBe(true)
  })

  it('NTU: a share with its interval per lokalpolisområde and year (long)', async () => {
    const grid = await readGrid(fixture('ntu_lokalpolisomraden.csv'), 'ntu.csv')
    const { recipe, header } = proposal(grid, 'Lokalpolisområde')
    expect(header.headerRow).toBe(2)
    expect(recipe.period).toEqual({ in: 'column', column: 'År' })
    expect(recipe.values).toEqual([
      { column: 'Andel (%)', role: 'value' },
      { column: 'KI nedre', role: 'ci_low' },
      { column: 'KI övre', role: 'ci_high' },
    ])
    const long = reshape(grid, header, recipe)
    expect(long.skippedMissing).toBe(1) // Hisingen 2026: ..
    const city = long.rows.find((r) => r.region === 'Göteborg City' && r.period.id === '2024')!
    expect(city).toMatchObject({ value: 24.1, ciLow: 21, ciHigh: 27.2, key: '*', line: 3, column: 'Andel (%)' })
  })

  it('SCB: commas and decimal points, DeSO codes, years as columns, .. and . missing', async () => {
    const grid = await readGrid(fixture('scb_deso_unga_uvas.csv'), 'scb.csv')
    expect(grid.format.delimiter).toBe(',')
    const { recipe, header } = proposal(grid, 'region')
    expect(header.names).toEqual(['region', '2022', '2023', '2024'])
    const long = reshape(grid, header, recipe)
    expect(long.skippedMissing).toBe(2)
    expect(long.rows.find((r) => r.region === '1480A0010' && r.period.id === '2024')?.value).toBe(6.8)
    expect(long.rowsRead).toBe(5)
  })

  it('the city’s Excel export: numbers as numbers, a name column beside the code, half-years, a total without a code', async () => {
    const grid = await readGrid(new Uint8Array(await cityExportXlsx()), 'stad.xlsx')
    expect(grid.format.kind).toBe('xlsx')
    const { recipe, header } = proposal(grid, 'Kod')
    expect(header.headerRow).toBe(3)
    // The name column is a label of the region, not a dimension.
    expect(recipe.dimensions).toEqual(['Indikator'])
    const long = reshape(grid, header, recipe)
    expect(long.periodKinds).toEqual(['half'])
    expect(long.rows.find((r) => r.region === '612' && r.key === 'Skadegörelse, anmälda brott' && r.period.id === '2026-H2')?.value).toBe(37)
    // The total row has no code: it is named by its label, never filled down from the row above.
    expect(long.rows.filter((r) => r.region === 'Göteborgs Stad')).toHaveLength(2)
    expect(long.rows.filter((r) => r.region === '101')).toHaveLength(4)
  })

  it('repeats a region written once per block (PxWeb) and names a cell that is no number by row and column', async () => {
    const grid = await csv('Region;Kön;2023;2024\nCentrum;Män;10;12\n;Kvinnor;8;tolv\nNordost;Män;5;..\n')
    const { recipe, header } = proposal(grid, 'Region')
    const long = reshape(grid, header, recipe)
    expect(long.rows.filter((r) => r.region === 'Centrum')).toHaveLength(3)
    expect(long.problems).toEqual([{ row: 3, field: '2024', message: '"tolv" är inget tal' }])
    expect(long.skippedMissing).toBe(1)
  })

  it('months in a column, with several value columns as series', async () => {
    const grid = await csv('Område;Månad;Misshandel;Rån\nCentrum;januari 2025;4;1\nCentrum;februari 2025;6;0\n')
    const { recipe, header } = proposal(grid, 'Område')
    expect(recipe.period).toEqual({ in: 'column', column: 'Månad' })
    const long = reshape(grid, header, recipe)
    expect(long.rows.map((r) => `${r.key}@${r.period.id}=${r.value}`)).toEqual(['Misshandel@2025-01=4', 'Rån@2025-01=1', 'Misshandel@2025-02=6', 'Rån@2025-02=0'])
  })

  it('numbers rows by the file’s lines, blank and all-empty lines before the table included', async () => {
    const grid = await csv('\r\n;;\r\nRegion;2024\r\nA;1\r\n')
    expect(grid.rows).toEqual([
      { line: 3, cells: ['Region', '2024'] },
      { line: 4, cells: ['A', '1'] },
    ])
  })

  it('refuses an old .xls and a file with no header', async () => {
    await expect(readGrid(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'gammal.xls')).rejects.toThrow(/\.xlsx/)
    await expect(csv('bara en rad\n').then((g) => findHeader(g))).rejects.toThrow(/rubrikrad/)
  })

  it('fingerprints the header without its periods, so next year’s file finds the recipe', () => {
    expect(headerFingerprint(['Region', 'Brottstyp', '2025K1', '2025K2', '2025K3', '2025K4'])).toBe(headerFingerprint(['Region', 'Brottstyp', '2026K1']))
    expect(headerFingerprint(['Region', 'Brottstyp', '2025K1'])).not.toBe(headerFingerprint(['Region', 'Brottstyp', '2025']))
  })
})

describe('matching regions to areas', () => {
  const stadsomraden: AreaRef[] = [
    { id: 1, code: '1', name: 'Nordost' },
    { id: 2, code: '2', name: 'Centrum' },
    { id: 3, code: '3', name: 'Sydväst' },
    { id: 4, code: '4', name: 'Hisingen' },
  ]
  const lpo: AreaRef[] = [
    { id: 11, code: 'city', name: 'City' },
    { id: 12, code: 'hisingen', name: 'Hisingen' },
    { id: 13, code: 'nordost', name: 'Nordost' },
    { id: 14, code: 'syd', name: 'Syd' },
  ]

  it('takes codes first, then exact names', () => {
    expect(matchRegion('2', stadsomraden)).toMatchObject({ status: 'exact', area: { id: 2 } })
    expect(matchRegion('1480C1010 (Billdal Lindås)', [{ id: 9, code: '1480C1010', name: '1480C1010 (Billdal Lindås)' }])).toMatchObject({ status: 'exact', area: { id: 9 } })
    expect(matchRegion('hisingen', stadsomraden)).toMatchObject({ status: 'exact', area: { id: 4 } })
  })

  it('suggests "Göteborg Centrum" → Centrum with a score the user must confirm', () => {
    const m = matchRegion('Göteborg Centrum', stadsomraden)
    expect(m.status).toBe('suggested')
    expect(m.area).toBeNull()
    expect(m.suggestions[0]).toMatchObject({ id: 2, name: 'Centrum' })
    expect(m.suggestions[0]!.score).toBeGreaterThanOrEqual(0.9)
    expect(matchRegion('LPO Nordost', lpo).suggestions[0]).toMatchObject({ code: 'nordost' })
    expect(matchRegion('Sydvast (stadsområde)', stadsomraden).suggestions[0]).toMatchObject({ id: 3 })
    // Spelled exactly ranks above spelled without diacritics.
    expect(nameScore('Göteborg Sydväst', 'Sydväst')).toBeGreaterThan(nameScore('Goteborg Sydvast', 'Sydväst'))
  })

  it.each(['Göteborg', 'Göteborgs kommun', 'Göteborgs Stad', '1480 Göteborg', 'Riket', 'Västra Götalands län', 'Polisregion Väst'])('"%s" is no area', (r) => {
    expect(isNotArea(r, new Set(['1', '2']))).toBe(true)
    expect(matchRegion(r, stadsomraden).status).toBe('not_area')
  })

  it('leaves what it cannot place unmatched', () => {
    expect(matchRegion('Atlantis', stadsomraden)).toMatchObject({ status: 'unmatched', suggestions: [] })
  })

  it('fits NTU’s region names to lokalpolisområden better than to stadsområden', () => {
    const regions = ['Göteborg City', 'Göteborg Hisingen', 'Göteborg Nordost', 'Göteborg Syd', 'Polisregion Väst']
    const toLpo = matchRegions(regions, lpo)
    expect(toLpo.map((m) => m.suggestions[0]?.code ?? m.status)).toEqual(['city', 'hisingen', 'nordost', 'syd', 'not_area'])
    expect(layerFit(toLpo)).toBeGreaterThan(layerFit(matchRegions(regions, stadsomraden)))
  })

  it('compares strings by bigrams', () => {
    expect(bigramSimilarity('nordost', 'nordost')).toBe(1)
    expect(bigramSimilarity('nordost', 'sydvast')).toBeLessThan(0.3)
  })
})

describe('suggesting indicators for series', () => {
  const indicators = [
    { id: 'demo_misshandel_utomhus', name: 'Misshandel utomhus (demo)' },
    { id: 'demo_skadegorelse', name: 'Skadegörelse (demo)' },
    { id: 'demo_narkotikabrott', name: 'Narkotikabrott (demo)' },
    { id: 'demo_ran', name: 'Rån (demo)' },
    { id: 'demo_otrygg_kvall', name: 'Otrygg utomhus sen kväll i bostadsområdet, andel (demo)' },
  ]

  it('by name, prefix-tolerant, best first', () => {
    expect(suggestIndicators('Misshandel', indicators)[0]?.indicatorId).toBe('demo_misshandel_utomhus')
    expect(suggestIndicators('Skadegörelse, anmälda brott', indicators)[0]?.indicatorId).toBe('demo_skadegorelse')
    expect(suggestIndicators('Rån', indicators)[0]).toMatchObject({ indicatorId: 'demo_ran', score: 1 })
    expect(suggestIndicators('otrygghet utomhus sen kväll i bostadsområdet, andel (%)', indicators)[0]?.indicatorId).toBe('demo_otrygg_kvall')
    expect(suggestIndicators('demo_ran', indicators)[0]).toMatchObject({ indicatorId: 'demo_ran', score: 1 })
  })

  it('offers nothing for a total of all crimes', () => {
    expect(suggestIndicators('Totalt antal brott', indicators)).toEqual([])
  })
})
