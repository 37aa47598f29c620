import { describe, expect, it } from 'vitest'
import { boundsOf, dateLabel, figure, meetingDeck } from '../../client/src/features/present/meetingDeck'
import type { Comparison, MeetingDto, MeetingIndicator } from '../../server/features/snapshots/snapshots.schema'

const test = (verdict: Comparison['verdict'], p: number | null = null): Comparison => ({ verdict, reason: null, p, pAdjusted: p, ratio: null, difference: null })

function indicator(id: string, change: Comparison): MeetingIndicator {
  return {
    indicator: id,
    name: id === 'ran' ? 'Rån' : 'Skadegörelse',
    unit: 'count',
    category: 'brott',
    polarity: 'higher_is_worse',
    source: 'Test',
    demo: false,
    current: { period: '2025', value: 40, suppressed: false, rate: 2, city: { period: '2025', value: 300, suppressed: false, rate: 1 } },
    previous: { period: '2024', value: 20, suppressed: false, rate: 1 },
    versusCity: test('higher', 0.001),
    change,
  }
}

const meeting = (indicators: MeetingIndicator[], hot: boolean): MeetingDto => ({
  kind: 'area',
  meeting: null,
  snapshotId: 1,
  snapshotTitle: 'Lägesbild 2026',
  publishedAt: '2026-11-20T10:00:00.000Z',
  layer: 'stadsomrade',
  area: { id: 7, code: '1', name: 'Nordost' },
  date: '2026-12-01',
  previousDate: '2026-09-01',
  periodKind: 'year',
  alpha: 0.05,
  method: 'm',
  indicators,
  hotspots: [
    { indicator: 'ran', name: 'Rån', layer: 'primaromrade', period: '2025', n: 3, leftOut: 1, inside: [1, 2], values: [{ areaId: 1, class: hot ? 'hot95' : 'ns', suppressed: false }, { areaId: 2, class: 'missing', suppressed: true }, { areaId: 3, class: 'hot99', suppressed: false }] },
  ],
  populationNote: null,
  hotspotMethod: 'Gi*',
  measureIds: [4],
})

describe('a meeting pack', () => {
  it('calls only tested changes changes, and goes title, key figures, hot spots, measures', () => {
    const slides = meetingDeck(meeting([indicator('ran', test('increase', 0.01)), indicator('skadegorelse', test('no_change', 0.3))], true))
    expect(slides.map((s) => s.kind)).toEqual(['text', 'keyfigures', 'hotspots', 'measures'])
    const intro = slides[0]!.kind === 'text' ? slides[0]!.body : ''
    expect(intro).toContain('Säkra förändringar sedan förra mötet: Rån – ökning från 20 (1,0 per 1 000 inv.) (2024) till 40 (2,0 per 1 000 inv.) (2025).')
    expect(intro).not.toContain('Skadegörelse')
    expect(intro).toContain('1 december 2026')
    expect(slides[3]).toMatchObject({ kind: 'measures', measureIds: [4] })
  })

  it('puts crime and the other indicators on key-figure slides of their own, at most six rows each', () => {
    const crimes = Array.from({ length: 7 }, (_, k) => ({ ...indicator('ran', test('no_change', 0.5)), indicator: `brott${k}` }))
    const survey = { ...indicator('ran', test('no_change', 0.5)), indicator: 'otrygg', category: 'otrygghet' }
    const effort = { ...indicator('ran', test('no_change', 0.5)), indicator: 'narkotika', category: 'aktivitet' }
    const slides = meetingDeck(meeting([...crimes, survey, effort], false)).filter((s) => s.kind === 'keyfigures')
    expect(slides.map((s) => s.title)).toEqual([
      'Nyckeltal, brott (1 av 2): Nordost mot staden och förra mötet',
      'Nyckeltal, brott (2 av 2): Nordost mot staden och förra mötet',
      'Nyckeltal, insatser (aktivitet): Nordost mot staden och förra mötet',
      'Nyckeltal, trygghet, risk- och skyddsfaktorer: Nordost mot staden och förra mötet',
    ])
    expect(slides.map((s) => (s.kind === 'keyfigures' ? s.indicators : []))).toEqual([crimes.slice(0, 6).map((c) => c.indicator), ['brott6'], ['narkotika'], ['otrygg']])
  })

  it('says so when nothing changed for sure, and when the area has no hot spot (one outside it does not count)', () => {
    const slides = meetingDeck(meeting([indicator('ran', test('no_change', 0.2)), indicator('skadegorelse', test('same_period'))], false))
    expect(slides.map((s) => s.kind)).toEqual(['text', 'keyfigures', 'text', 'measures'])
    expect(slides[0]!.kind === 'text' && slides[0]!.body).toMatch(/Inga säkra förändringar sedan förra mötet/)
    expect(slides[2]!.kind === 'text' && slides[2]!.body).toMatch(/^Inga säkra hot spots eller cold spots i Nordost för rån\./)
  })

  it('shows a hidden figure as hidden, never as a number', () => {
    expect(figure({ value: 3, suppressed: true, rate: 0.1 }, 'count')).toBe('dolt')
    expect(figure(null, 'count')).toBe('–')
    expect(dateLabel('2026-03-05')).toBe('5 mars 2026')
  })

  it('zooms to the bounding box of the area’s coordinates', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 7, properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[11.9, 57.7], [12.1, 57.7], [12.0, 57.8], [11.9, 57.7]]], [[[12.2, 57.6], [12.3, 57.6], [12.3, 57.65], [12.2, 57.6]]]] } }],
    } as never
    expect(boundsOf(fc, 7)).toEqual([
      [11.9, 57.6],
      [12.3, 57.8],
    ])
    expect(boundsOf(fc, 8)).toBeNull()
  })
})
