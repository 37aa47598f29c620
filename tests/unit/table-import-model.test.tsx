import { describe, expect, it } from 'vitest'
import type { RegionMatchDto, SeriesMappingDto, TableRecipe } from '../../server/features/imports/imports.schema'
import { renderHookOnce } from '../helpers/render-hook'
import { initialChoices, recipeOf, RECIPES_PATH, remaining, SKIP, useTableImport } from '../../client/src/features/imports/useTableImport'
import { paths } from '../../client/src/lib/api'

const match = (region: string, status: RegionMatchDto['status'], extra: Partial<RegionMatchDto> = {}): RegionMatchDto => ({
  region,
  rows: 4,
  status,
  areaId: null,
  code: null,
  confirmed: false,
  suggestions: [],
  ...extra,
})
const series = (key: string, extra: Partial<SeriesMappingDto> = {}): SeriesMappingDto => ({ key, label: key, rows: 8, indicatorId: null, confirmed: false, suggestions: [], ...extra })

const dry = {
  matches: [
    match('Göteborg', 'not_area', { confirmed: true }),
    match('2', 'exact', { areaId: 2, code: '2', confirmed: true }),
    match('Göteborg Nordost', 'suggested', { suggestions: [{ areaId: 1, code: '1', name: 'Nordost', score: 0.95 }] }),
    match('Atlantis', 'unmatched'),
  ],
  mapping: [
    series('Misshandel', { indicatorId: 'demo_misshandel_utomhus', confirmed: true, suggestions: [{ indicatorId: 'demo_misshandel_utomhus', name: 'Misshandel', score: 0.67 }] }),
    series('Totalt antal brott'),
  ],
}

const base: TableRecipe = {
  headerRow: 3,
  layer: 'stadsomrade',
  regionColumn: 'Region',
  period: { in: 'columns' },
  dimensions: ['Brottstyp'],
  values: [],
  regions: {},
  indicators: {},
}

describe('the table wizard’s choices', () => {
  it('start with exact matches and regions that are no area ticked, the best suggestion picked but not ticked', () => {
    const { regions, series: s } = initialChoices(dry)
    expect(regions).toEqual({
      Göteborg: { pick: SKIP, ticked: true },
      '2': { pick: '2', ticked: true },
      'Göteborg Nordost': { pick: '1', ticked: false },
      Atlantis: { pick: '', ticked: false },
    })
    expect(s).toEqual({ Misshandel: 'demo_misshandel_utomhus', 'Totalt antal brott': '' })
  })

  it('say what is left to decide: the suggestion to confirm, the unmatched region, the series without a choice', () => {
    const { regions, series: s } = initialChoices(dry)
    expect(remaining(regions, s)).toEqual({ regions: ['Göteborg Nordost', 'Atlantis'], series: ['Totalt antal brott'] })
    const done = remaining({ ...regions, 'Göteborg Nordost': { pick: '1', ticked: true }, Atlantis: { pick: SKIP, ticked: true } }, { ...s, 'Totalt antal brott': SKIP })
    expect(done).toEqual({ regions: [], series: [] })
  })

  it('send only what is confirmed: ticked regions (skipped ones as null) and chosen series', () => {
    const { regions, series: s } = initialChoices(dry)
    const recipe = recipeOf(base, regions, { ...s, 'Totalt antal brott': SKIP })
    expect(recipe.regions).toEqual({ Göteborg: null, '2': '2' })
    expect(recipe.indicators).toEqual({ Misshandel: 'demo_misshandel_utomhus', 'Totalt antal brott': null })
    expect(recipe).toMatchObject({ layer: 'stadsomrade', regionColumn: 'Region', dimensions: ['Brottstyp'] })
  })
})

describe('the table wizard’s view model', () => {
  it('offers every layer but the grid, the indicators, the saved recipes and a layer’s areas; nothing to import before a file', () => {
    const m = renderHookOnce(() => useTableImport(), {
      [paths.layers()]: [
        { id: 'stadsomrade', kind: 'admin', name: 'Stadsområden' },
        { id: 'hex', kind: 'grid', name: 'Rutnät' },
      ],
      [paths.indicators()]: [{ id: 'demo_ran', name: 'Rån', unit: 'count' }],
      [paths.areas()]: [
        { id: 1, layer: 'stadsomrade', code: '1', name: 'Nordost', approximate: false },
        { id: 9, layer: 'deso', code: '1480A0010', name: '1480A0010', approximate: false },
      ],
      [RECIPES_PATH]: [{ id: 3, name: 'Brå', kind: 'tables', recipe: base, createdBy: null, createdAt: '', updatedAt: '' }],
    })
    expect(m.layers.map((l) => l.id)).toEqual(['stadsomrade'])
    expect(m.indicators.map((i) => i.id)).toEqual(['demo_ran'])
    expect(m.savedRecipes.map((r) => r.name)).toEqual(['Brå'])
    expect(m.areasOfLayer('stadsomrade').map((a) => a.name)).toEqual(['Nordost'])
    expect(m.dry).toBeNull()
    expect(m.canImport).toBe(false)
    expect(m.fileName).toBeNull()
  })
})
