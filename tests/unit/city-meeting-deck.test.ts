import { describe, expect, it } from 'vitest'
import { changeMark, changeTone, cityMeetingDeck } from '../../client/src/features/present/cityDeck'
import type { CityIndicator, CityMeetingDto, Comparison } from '../../server/features/snapshots/snapshots.schema'

const test = (verdict: Comparison['verdict'], p: number | null = null): Comparison => ({ verdict, reason: null, p, pAdjusted: p, ratio: null, difference: null })

const indicator = (id: string, category: string, change: Comparison): CityIndicator => ({
  indicator: id,
  name: id,
  unit: 'count',
  category,
  polarity: 'higher_is_worse',
  source: 'Test',
  demo: false,
  current: { period: '2025', value: 40, suppressed: false, rate: 2 },
  previous: { period: '2024', value: 20, suppressed: false, rate: 1 },
  change,
})

function pack(indicators: CityIndicator[], over: Partial<CityMeetingDto> = {}): CityMeetingDto {
  const areas = [
    { id: 1, code: '1', name: 'Centrum' },
    { id: 2, code: '2', name: 'Nordost' },
  ]
  return {
    kind: 'city',
    snapshotId: 1,
    snapshotTitle: 'Lägesbild 2026',
    publishedAt: '2026-11-20T10:00:00.000Z',
    layer: 'stad',
    date: '2026-12-01',
    previousDate: '2026-09-01',
    periodKind: 'year',
    alpha: 0.05,
    method: 'Test.',
    indicators,
    populationNote: null,
    layers: [
      {
        layer: 'stadsomrade',
        name: 'Stadsområden',
        areas,
        indicators: indicators.map((i) => ({ indicator: i.indicator, name: i.name, unit: i.unit, polarity: i.polarity, currentPeriod: '2025', previousPeriod: '2024', changes: areas.map((a) => ({ areaId: a.id, ...test(a.id === 2 ? 'increase' : 'no_change', 0.01) })) })),
      },
    ],
    problemAreas: [],
    samverkansformer: [],
    meeting: null,
    ...over,
  }
}

describe('the city-wide meeting deck', () => {
  it('goes title, city key figures by category, the areas side by side, problem areas, samverkansformer', () => {
    const crimes = Array.from({ length: 7 }, (_, k) => indicator(`brott${k}`, 'brott', test(k === 0 ? 'increase' : 'no_change', 0.2)))
    const slides = cityMeetingDeck(pack([...crimes, indicator('otrygg', 'trygghet', test('no_change', 0.5))]))
    expect(slides.map((s) => s.kind)).toEqual(['text', 'citykeyfigures', 'citykeyfigures', 'citykeyfigures', 'sidebyside', 'sidebyside', 'sidebyside', 'text', 'samverkansformer'])
    expect(slides[1]!.title).toBe('Stadens nyckeltal, brott (1 av 2): nu och vid förra mötet')
    expect(slides[4]!.title).toBe('Stadsområden, brott (1 av 2): förändring sedan förra mötet')
    const intro = slides[0]!.kind === 'text' ? slides[0]!.body : ''
    expect(intro).toContain('Säkra förändringar för hela staden sedan förra mötet: brott0 – ökning')
    expect(intro).not.toContain('brott1 –')
    expect(intro).toContain('Stadsområden: 8 säkra förändringar')
    expect(intro).toContain('1 december 2026')
  })

  it('names the registered meeting and says where "förra mötet" came from', () => {
    const registered = { id: 5, groupId: 'trygg_i_goteborg', groupName: 'Ledningsgrupp Trygg i Göteborg', date: '2026-12-01', previous: { id: 4, date: '2026-09-01' } }
    const slides = cityMeetingDeck(pack([indicator('a', 'brott', test('no_change', 0.5))], { meeting: registered }))
    expect(slides[0]!.title).toBe('Mötesunderlag: Ledningsgrupp Trygg i Göteborg')
    expect(slides[0]!.kind === 'text' && slides[0]!.body).toMatch(/förra mötet 1 september 2026 \(ur mötesregistret\)/)
    const first = cityMeetingDeck(pack([indicator('a', 'brott', test('no_change', 0.5))], { meeting: { ...registered, previous: null } }))
    expect(first[0]!.kind === 'text' && first[0]!.body).toMatch(/gruppens första möte i registret/)
  })

  it('marks a change by shape and word, and tones it by the indicator\'s direction only when it holds', () => {
    expect(changeMark(test('increase'))).toEqual({ symbol: '▲', word: 'Ökning' })
    expect(changeMark(test('decrease'))).toEqual({ symbol: '▼', word: 'Minskning' })
    expect(changeMark(test('hidden')).word).toBe('Dolt')
    expect(changeTone(test('increase'), 'higher_is_worse')).toBe('worse')
    expect(changeTone(test('increase'), 'higher_is_better')).toBe('better')
    expect(changeTone(test('decrease'), 'neutral')).toBe('neutral')
    expect(changeTone(test('no_change'), 'higher_is_worse')).toBe('neutral')
  })
})
