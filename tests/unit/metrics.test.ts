import { describe, expect, it } from 'vitest'
import { areaMetrics, canShowRate, chooseMeasure, hiddenLabels, metricOf, rankOf } from '../../client/src/lib/metrics'
import type { ValuesDto } from '../../client/src/lib/api'

const values = (period: string, rows: Array<[number, number | null, number | null, boolean?]>): ValuesDto => ({
  indicator: 'demo_ran',
  layer: 'stadsomrade',
  period,
  periodStart: `${period}-01-01`,
  periodEnd: `${Number(period) + 1}-01-01`,
  unit: 'count',
  demo: true,
  source: 'DEMO',
  method: { kind: 'stored' },
  approximate: false,
  approximateReason: null,
  availablePeriods: ['2019', '2024'],
  suppression: { threshold: 5, internal: false },
  city: null,
  values: rows.map(([areaId, value, denominator, suppressed = false]) => ({
    areaId,
    code: String(areaId),
    name: `Område ${areaId}`,
    value,
    suppressed,
    numerator: value,
    denominator,
    ciLow: null,
    ciHigh: null,
  })),
})

describe('map metrics', () => {
  const y2024 = values('2024', [[1, 50, 10000], [2, 20, 2000], [3, null, 3000, true], [4, 8, null]])
  const y2019 = values('2019', [[1, 40, 10000], [2, null, 2000, true], [3, 9, 3000], [4, 10, null]])

  it('gives counts, or rates per 1 000 from numerator and population', () => {
    expect(areaMetrics(y2024, 'value').map((m) => m.metric)).toEqual([50, 20, null, 8])
    expect(areaMetrics(y2024, 'rate').map((m) => m.metric)).toEqual([5, 10, null, null])
  })

  it('gives rates per 100 000 (Brå’s unit) on request; a hidden count has no rate though its population is public', () => {
    expect(areaMetrics(y2024, 'rate', null, 100000).map((m) => m.metric)).toEqual([500, 1000, null, null])
    expect(metricOf({ value: null, numerator: null, denominator: 3000, suppressed: true }, 'rate', 100000)).toBeNull()
  })

  it('computes change only where both periods are shown, and hides changes touching a hidden value', () => {
    const change = areaMetrics(y2024, 'value', y2019)
    expect(change.map((m) => m.metric)).toEqual([10, null, null, -2])
    expect(change.map((m) => m.suppressed)).toEqual([false, true, true, false])
  })

  it('ranks highest first, ties sharing the rank', () => {
    const m = areaMetrics(values('2024', [[1, 5, 1], [2, 9, 1], [3, 9, 1], [4, null, 1, true]]), 'value')
    expect(rankOf(m, 2)).toEqual({ rank: 1, of: 3 })
    expect(rankOf(m, 3)).toEqual({ rank: 1, of: 3 })
    expect(rankOf(m, 1)).toEqual({ rank: 3, of: 3 })
    expect(rankOf(m, 4)).toBeNull()
  })

  it('offers rates only for counts with a population', () => {
    expect(canShowRate(y2024)).toBe(true)
    expect(canShowRate({ ...y2024, unit: 'percent' })).toBe(false)
    expect(canShowRate(values('2024', [[1, 5, null]]))).toBe(false)
    expect(metricOf({ value: 3, numerator: 3, denominator: 0, suppressed: false }, 'rate')).toBeNull()
  })
})

describe('chooseMeasure', () => {
  it('defaults to a rate only where the data carry their own population', () => {
    expect(chooseMeasure(null, { ownRates: true, estimatedRates: false })).toBe('rate')
    expect(chooseMeasure(null, { ownRates: false, estimatedRates: true })).toBe('value')
    expect(chooseMeasure(null, { ownRates: false, estimatedRates: false })).toBe('value')
  })

  it('follows the link where it can: counts always, rates where there is something to divide by', () => {
    expect(chooseMeasure('value', { ownRates: true, estimatedRates: false })).toBe('value')
    expect(chooseMeasure('rate', { ownRates: false, estimatedRates: true })).toBe('rate')
    expect(chooseMeasure('rate', { ownRates: false, estimatedRates: false })).toBe('value')
  })
})

describe('hiddenLabels', () => {
  it('puts one label at the label point of every hidden area, and none elsewhere', () => {
    const areas = { features: [1, 2, 3].map((id) => ({ properties: { id, labelPoint: [11 + id / 10, 57.7] as [number, number] } })) }
    const metrics = [
      { areaId: 1, code: 'a', name: 'A', metric: null, suppressed: true, current: {} as never },
      { areaId: 2, code: 'b', name: 'B', metric: 7, suppressed: false, current: {} as never },
      { areaId: 3, code: 'c', name: 'C', metric: null, suppressed: true, current: {} as never },
    ]
    expect(hiddenLabels(areas, metrics, 'dolt')).toEqual([
      { id: 1, lngLat: [11.1, 57.7], text: 'dolt' },
      { id: 3, lngLat: [11.3, 57.7], text: 'dolt' },
    ])
    expect(hiddenLabels(null, metrics, 'dolt')).toEqual([])
  })
})
