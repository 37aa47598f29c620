import { describe, expect, it } from 'vitest'
import { CATEGORIES, NOT_SIGNIFICANT_CHANGE } from '../../client/src/lib/analysis'
import type { AreaMetric } from '../../client/src/lib/metrics'
import { areaStates, describeEmerging, describeHotspot, emergingStrip, withSmoothed } from '../../client/src/features/map/useMapAnalysis'
import type { HotspotsDto, RatesDto } from '../../server/features/analysis/analysis.schema'

const metric = (areaId: number, value: number | null, suppressed = false): AreaMetric => ({
  areaId,
  code: String(areaId),
  name: `Område ${areaId}`,
  metric: suppressed ? null : value,
  suppressed,
  current: { areaId, code: String(areaId), name: `Område ${areaId}`, value, suppressed },
})

const rates = (smooth: RatesDto['smooth'], rows: Array<[number, number | null, number | null]>): RatesDto => ({
  indicator: 'demo_ran',
  layer: 'deso',
  period: '2024',
  smooth,
  populationEstimated: true,
  populationNote: 'Befolkning uppskattad',
  cityRate: 5,
  values: rows.map(([areaId, rate, smoothed]) => ({ areaId, numerator: null, denominator: null, rate, smoothed })),
})

type Hotspot = HotspotsDto['values'][number]
const hotspot = (areaId: number, cls: Hotspot['class'], z: number | null = null, p: number | null = null, pAdjusted: number | null = null): Hotspot => ({
  areaId,
  value: null,
  z,
  i: null,
  p,
  pAdjusted,
  class: cls,
  neighbours: 2,
})

const hotspots = (values: Hotspot[]): HotspotsDto => ({
  indicator: 'demo_ran',
  layer: 'primaromrade',
  period: '2024',
  method: 'gistar',
  measure: 'count',
  weights: 'queen',
  fdr: false,
  permutations: 0,
  seed: null,
  n: values.length,
  values,
})

describe('smoothed rates on the map', () => {
  const base = [metric(1, 10), metric(2, 20), metric(3, null, true), metric(4, 40)]

  it('leaves the metrics as they are without rates', () => {
    expect(withSmoothed(base, null)).toBe(base)
  })

  it('colours the smoothed rate, the raw rate when not smoothing, and never a hidden area', () => {
    const rows: Array<[number, number | null, number | null]> = [
      [1, 1.5, 1.2],
      [2, 2.5, 2.2],
      [3, 3.5, 3.2],
    ]
    expect(withSmoothed(base, rates('eb', rows)).map((m) => m.metric)).toEqual([1.2, 2.2, null, null])
    expect(withSmoothed(base, rates('none', rows)).map((m) => m.metric)).toEqual([1.5, 2.5, null, null])
  })
})

describe('area states on the map', () => {
  const metrics = [metric(1, 1), metric(2, 5), metric(3, 9), metric(4, null, true), metric(5, null)]
  const classification = { method: 'equal' as const, breaks: [1, 5, 9] }
  const colors = ['#aaaaaa', '#bbbbbb']

  it('uses the hot spot categories when an analysis has arrived', () => {
    const { states, shownColors } = areaStates('gistar', hotspots([hotspot(1, 'hot99'), hotspot(2, 'missing')]), metrics, classification, colors, new Set())
    expect([...states]).toEqual([
      [1, { cls: 0, suppressed: false }],
      [2, { cls: null, suppressed: false }],
    ])
    expect(shownColors).toEqual(CATEGORIES.gistar.map((c) => c.color))
  })

  it('classes the values while the analysis is missing or off', () => {
    for (const analysis of ['none', 'lisa'] as const) {
      const { states, shownColors } = areaStates(analysis, null, metrics, classification, colors, new Set())
      expect([...states.values()].map((s) => s.cls)).toEqual([0, 1, 1, null, null])
      expect(states.get(4)).toEqual({ cls: null, suppressed: true })
      expect(shownColors).toBe(colors)
    }
  })

  it('gives a change the test cannot tell from chance a class after the ranges', () => {
    const { states, shownColors } = areaStates('none', null, metrics, classification, colors, new Set([2]))
    expect(states.get(2)?.cls).toBe(2)
    expect(states.get(1)?.cls).toBe(0)
    expect(shownColors).toEqual([...colors, NOT_SIGNIFICANT_CHANGE.color])
  })

  it('leaves every area unclassed without a classification', () => {
    const { states } = areaStates('none', null, metrics, null, [], new Set())
    expect([...states.values()].every((s) => s.cls === null)).toBe(true)
  })
})

describe('the tooltip line on a hot spot', () => {
  it('says when there is no statistic', () => {
    expect(describeHotspot(hotspot(1, 'no_neighbours'))).toBe('Inga grannar: ingen statistik')
    expect(describeHotspot(hotspot(1, 'missing'))).toBe('Ingen statistik')
    expect(describeHotspot(hotspot(1, 'ns'))).toBe('Ingen statistik')
  })

  it('gives z, and p with its FDR-adjusted value when adjusted', () => {
    expect(describeHotspot(hotspot(1, 'hot95', 2.1))).toBe('z = 2,10')
    expect(describeHotspot(hotspot(1, 'hot95', 2.1, 0.012, 0.04))).toBe('z = 2,10, p = 0,012, FDR 0,040')
  })
})

describe('emerging hot spots in the tooltip', () => {
  const row = { areaId: 1, class: 'intensifying_hot' as const, trendZ: 3.1234, trendP: 0.0018, tau: 0.8, bins: ['hot', 'hot', 'ns', 'cold', 'missing'] as const, z: [], hotPeriods: 2, coldPeriods: 1 }
  it('names the pattern in Swedish, how often hot and cold, and the trend', () => {
    expect(describeEmerging({ ...row, bins: [...row.bins] })).toBe('Intensifierande het punkt: het 2 och kall 1 av 5 perioder, trend z = 3,12 (p = 0,002)')
    expect(describeEmerging({ ...row, bins: [], class: 'no_neighbours' })).toBe('Inga grannar (ingen statistik)')
  })
  it('shows each period as a sign', () => expect(emergingStrip([...row.bins])).toBe('▲▲·▼–'))
})
