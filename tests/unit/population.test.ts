import { describe, expect, it } from 'vitest'
import { CITY_POPULATION, overlapNeeds, populationFor, populationModel, populationNote, populationYear, type Overlap, type PopulationBase } from '../../server/core/population'
import { findHeader, readPopulationRows, yearOfColumn } from '../../server/features/imports/population.reader'

// Two stadsområden (1, 2) of three primärområden (11, 12 in 1; 21 in 2); two DeSO (41, 42) in one RegSO (50);
// an utsatt område (60) that nests in nothing.
const AREAS: PopulationBase['areas'] = [
  { id: 1, layer: 'stadsomrade', current: true },
  { id: 2, layer: 'stadsomrade', current: true },
  { id: 11, layer: 'primaromrade', current: true },
  { id: 12, layer: 'primaromrade', current: true },
  { id: 21, layer: 'primaromrade', current: true },
  { id: 41, layer: 'deso', current: true },
  { id: 42, layer: 'deso', current: true },
  { id: 50, layer: 'regso', current: true },
  { id: 60, layer: 'utsatt_omrade', current: true },
]
const BASE: Omit<PopulationBase, 'stored'> = {
  areas: AREAS,
  nesting: [
    { child: 'primaromrade', parent: 'stadsomrade' },
    { child: 'deso', parent: 'regso' },
  ],
  links: [
    { child: 11, parent: 1 },
    { child: 12, parent: 1 },
    { child: 21, parent: 2 },
    { child: 41, parent: 50 },
    { child: 42, parent: 50 },
  ],
  cityLayer: 'stadsomrade',
}
// Area 60 holds a quarter of DeSO 41 and half of DeSO 42; a tenth of primärområde 11 and all of 12.
const OVERLAPS = new Map<string, Overlap[]>([
  ['utsatt_omrade|deso', [{ target: 60, source: 41, share: 0.25 }, { target: 60, source: 42, share: 0.5 }]],
  ['utsatt_omrade|primaromrade', [{ target: 60, source: 11, share: 0.1 }, { target: 60, source: 12, share: 1 }]],
  ['primaromrade|deso', [{ target: 11, source: 41, share: 1 }, { target: 12, source: 42, share: 0.6 }, { target: 21, source: 42, share: 0.4 }]],
  ['stadsomrade|deso', [{ target: 2, source: 42, share: 0.4 }]],
])
const stored = (rows: Array<[area: number, year: number, population: number]>) => rows.map(([area, year, population]) => ({ area, year, population }))
const model = (rows: Array<[number, number, number]>) => populationModel({ ...BASE, stored: stored(rows), overlaps: OVERLAPS })

describe('populationYear', () => {
  it('uses the period’s calendar year, else the nearest earlier, else the nearest later', () => {
    const years = [2021, 2023, 2025]
    expect(populationYear(years, '2023-Q2')).toEqual({ year: 2023, nearest: false })
    expect(populationYear(years, '2024-05')).toEqual({ year: 2023, nearest: true })
    expect(populationYear(years, '2030-H1')).toEqual({ year: 2025, nearest: true })
    expect(populationYear(years, '2019')).toEqual({ year: 2021, nearest: true })
    expect(populationYear([], '2024')).toBeNull()
  })
  it('says which year in the note, and when it is an estimate', () => {
    expect(populationNote({ year: 2025, nearest: true }, false)).toBe('Befolkning 2025 (närmaste år med befolkningsuppgift)')
    expect(populationNote({ year: 2024, nearest: false }, true)).toMatch(/^Befolkning 2024, uppskattad/)
  })
})

describe('populationModel', () => {
  const m = model([
    [11, 2025, 1000], [12, 2025, 2000], [21, 2025, 3000],
    [41, 2024, 400], [42, 2024, 800], [41, 2025, 500], [42, 2025, 900],
    [11, 2024, 999],
  ])

  it('takes a stored figure first', () => {
    expect(m.of(11, 2025)).toEqual({ population: 1000, estimated: false, how: 'stored' })
  })

  it('sums the children of a nesting layer when every child has the year, never estimated', () => {
    expect(m.of(1, 2025)).toEqual({ population: 3000, estimated: false, how: 'parts' })
    expect(m.of(50, 2024)).toEqual({ population: 1200, estimated: false, how: 'parts' })
    expect(m.of(CITY_POPULATION, 2025)).toEqual({ population: 6000, estimated: false, how: 'parts' })
  })

  it('interpolates by overlap from DeSO where the area has no figure or complete parts, and marks it estimated', () => {
    // 2024: only 11 of the primärområden has a figure, so stadsområde 1 is not summed; 12 comes from DeSO 42.
    expect(m.of(12, 2024)).toEqual({ population: 0.6 * 800, estimated: true, how: 'overlap' })
    expect(m.of(60, 2025)).toEqual({ population: 0.25 * 500 + 0.5 * 900, estimated: true, how: 'overlap' })
    // Stadsområde 2's only primärområde has no 2024 figure: the stadsområde is interpolated itself.
    expect(m.of(2, 2024)).toEqual({ population: 0.4 * 800, estimated: true, how: 'overlap' })
    // The city needs every stadsområde; 1 has neither complete parts nor overlaps in 2024.
    expect(m.of(CITY_POPULATION, 2024)).toBeNull()
  })

  it('falls back to primärområden where DeSO has no population that year', () => {
    const p = model([[11, 2023, 1000], [12, 2023, 2000], [21, 2023, 3000]])
    expect(p.of(60, 2023)).toEqual({ population: 0.1 * 1000 + 2000, estimated: true, how: 'overlap' })
    expect(p.of(41, 2023)).toBeNull() // no overlaps of DeSO with primärområden given: nothing is guessed
  })

  it('applies the year rule per period', () => {
    expect(m.forPeriod(11, '2026-03')).toMatchObject({ population: 1000, year: 2025, nearest: true })
    expect(m.forPeriod(11, '2024-Q1')).toMatchObject({ population: 999, year: 2024, nearest: false })
    expect(m.forPeriod(60, '2019')).toMatchObject({ population: 0.25 * 400 + 0.5 * 800, year: 2024, nearest: true, estimated: true })
  })
})

describe('overlapNeeds and populationFor', () => {
  it('asks only for the overlaps of layers that are not exact, from source layers with population', async () => {
    const base = { ...BASE, stored: stored([[11, 2025, 1], [12, 2025, 2], [21, 2025, 3]]) }
    expect(overlapNeeds(base, ['stadsomrade', 'primaromrade'])).toEqual([])
    expect(overlapNeeds(base, ['utsatt_omrade', 'deso'])).toEqual([
      { target: 'utsatt_omrade', source: 'primaromrade' },
      { target: 'deso', source: 'primaromrade' },
    ])
    const asked: string[] = []
    const m = await populationFor({ base: async () => base, overlaps: async (t, s) => (asked.push(`${t}|${s}`), OVERLAPS.get(`${t}|${s}`) ?? []) }, ['utsatt_omrade'])
    expect(asked).toEqual(['utsatt_omrade|primaromrade'])
    expect(m.of(60, 2025)?.population).toBeCloseTo(0.1 + 2, 12)
  })
})

describe('population tables', () => {
  const rows = (lines: string[][]) => lines.map((values, i) => ({ line: i + 2, values }))

  it('finds the header under PX-Web’s title line, and the year in a column’s name', () => {
    expect(findHeader(['"Folkmängd efter region, ålder, kön och år"', '', '"region","ålder","kön","2023","2024"'])).toEqual({ index: 2, delimiter: ',' })
    expect(findHeader(['kod;år;antal'])).toEqual({ index: 0, delimiter: ';' })
    expect(findHeader(['just text'])).toBeNull()
    expect(yearOfColumn('folkmangd_2025_01_01')).toBe(2025)
    expect(yearOfColumn('2024')).toBe(2024)
    expect(yearOfColumn('folkmangd_2025_oktober')).toBeNull()
    expect(yearOfColumn('forandring')).toBeNull()
  })

  it('reads wide SCB tables: codes with names, the total rows of other dimensions, ".." as missing', () => {
    const { entries, problems } = readPopulationRows(
      ['region', 'ålder', 'kön', '2023', '2024'],
      rows([
        ['1480C1010 Göteborg', 'totalt ålder', 'totalt', '1 234', '..'],
        ['1480C1010 Göteborg', 'totalt ålder', 'män', '600', '610'],
        ['1480C1020', 'totalt ålder', 'totalt', '800', '810'],
      ]),
      true,
    )
    expect(problems).toEqual([])
    expect(entries.map((e) => [e.code, e.year, e.population])).toEqual([
      ['1480C1010', 2023, 1234],
      ['1480C1020', 2023, 800],
      ['1480C1020', 2024, 810],
    ])
  })

  it('reads long form and names bad numbers and years by row and field', () => {
    const { entries, problems } = readPopulationRows(['Kod', 'År', 'Antal'], rows([['101', '2024', '10'], ['102', '20x4', '5'], ['103', '2024', '-3'], ['101', '2024', '11']]), true)
    expect(entries).toHaveLength(1)
    expect(problems).toEqual([
      { row: 3, field: 'År', message: expect.stringMatching(/inget år/) },
      { row: 4, field: 'Antal', message: expect.stringMatching(/heltal/) },
      { row: 5, field: 'Kod', message: expect.stringMatching(/rad 2/) },
    ])
  })
})
