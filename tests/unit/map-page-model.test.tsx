import { describe, expect, it } from 'vitest'
import { renderHookOnce } from '../helpers/render-hook'
import { useMapModel, type MapModelInput } from '../../client/src/features/map/useMapPage'
import { paths, type AreaCollection, type IndicatorDto, type LayerDto, type ValuesDto } from '../../client/src/lib/api'
import { LIVE, snapshotSource } from '../../client/src/lib/dataSource'
import type { SessionUser } from '../../client/src/lib/session'
import { DEFAULT_VIEW, type MapViewState } from '../../client/src/lib/viewState'

function model(input: Omit<Partial<MapModelInput>, 'view'> & { view?: Partial<MapViewState> }, cache: Record<string, unknown>) {
  return renderHookOnce(() => useMapModel({ source: LIVE, user: null, measureId: null, ...input, view: { ...DEFAULT_VIEW, ...input.view } }), cache)
}

const layer = (id: string): LayerDto => ({ id, name: id, kind: 'admin', areaCount: 3, description: '', source: 'S', licence: 'CC0', approximate: false, approximateReason: null, nestsIn: [] })
const indicator = (id: string, category: IndicatorDto['category'], layers: string[], periods = ['2022', '2023', '2024']): IndicatorDto => ({
  id,
  name: id,
  description: '',
  unit: 'count',
  category,
  source: 'BRÅ',
  polarity: 'higher_is_worse',
  minPublishCount: 5,
  licence: '',
  survey: false,
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  demo: false,
  periods,
  layers: layers.map((l) => ({ layer: l, derivedFrom: null, estimated: false, periods })),
})
const areas = (layerId: string): AreaCollection => ({
  type: 'FeatureCollection',
  features: [1, 2, 3].map((id) => ({
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: [] },
    properties: { id, code: String(id), name: `Område ${id}`, layer: layerId, validFrom: '2020-01-01', validTo: null, approximate: false, attributes: {}, labelPoint: [12, 57] },
  })),
  metadata: { layer: layerId, name: layerId, at: '2024-01-01', source: 'S', licence: 'CC0', approximate: false, approximateReason: null },
})
const values = (ind: string, layerId: string, period: string, xs: Array<number | null>, population?: number): ValuesDto => ({
  indicator: ind,
  layer: layerId,
  period,
  periodStart: `${period}-01-01`,
  periodEnd: `${period}-12-31`,
  unit: 'count',
  demo: false,
  source: 'BRÅ',
  method: { kind: 'stored' },
  approximate: false,
  approximateReason: null,
  availablePeriods: ['2022', '2023', '2024'],
  suppression: { threshold: 5, internal: false },
  city: { period, value: 60, suppressed: false, numerator: null, denominator: null, ciLow: null, ciHigh: null },
  values: xs.map((value, i) => ({ areaId: i + 1, code: String(i + 1), name: `Område ${i + 1}`, value, suppressed: value === null, denominator: population ?? null })),
})

const LAYERS = [layer('stadsomrade'), layer('primaromrade')]
const INDICATORS = [indicator('trygghet', 'otrygghet', ['stadsomrade']), indicator('ran', 'brott', ['stadsomrade', 'primaromrade'])]
const base = { [paths.layers()]: LAYERS, [paths.indicators()]: INDICATORS, [paths.layerAreas('stadsomrade')]: areas('stadsomrade') }

describe('the map page view model', () => {
  it('starts on a crime indicator of the layer, at its latest period, and is not ready before the values', () => {
    const m = model({}, base)
    expect(m.layerId).toBe('stadsomrade')
    expect(m.indicator?.id).toBe('ran')
    expect(m.period).toBe('2024')
    expect(m.ready).toBe(false)
    expect(m.renderKey).toBe('')
  })

  it('falls back to the first layer when the link names one that does not exist', () => {
    expect(model({ view: { layer: 'finns_inte' } }, base).layerId).toBe('stadsomrade')
  })

  it('is ready with the values: classes them, keys the render and counts against the city', () => {
    const m = model({}, { ...base, [paths.values('ran', 'stadsomrade', '2024')]: values('ran', 'stadsomrade', '2024', [10, 20, null]) })
    expect(m.ready).toBe(true)
    expect(m.renderKey).toBe('stadsomrade|ran|2024|value||value|quantile|5|' + m.palette.id + '|none||||')
    expect(m.metrics.map((x) => [x.areaId, x.metric, x.suppressed])).toEqual([
      [1, 10, false],
      [2, 20, false],
      [3, null, true],
    ])
    expect([...m.states.values()].map((s) => s.suppressed)).toEqual([false, false, true])
    expect(m.city).toBe(60)
    expect(m.legendTitle).toBe('ran (antal)')
  })

  it('draws emerging hot spots over the last twelve held years for an analyst, in their classes, and waits for them', () => {
    const years = Array.from({ length: 14 }, (_, i) => String(2011 + i))
    const analyst = { email: 'a@x.se', name: 'A', role: 'analyst', stadsomrade: null } as SessionUser
    const cache = {
      ...base,
      [paths.indicators()]: [indicator('ran', 'brott', ['stadsomrade'], years)],
      [paths.values('ran', 'stadsomrade', '2024')]: values('ran', 'stadsomrade', '2024', [10, 20, 30]),
    }
    const waiting = model({ user: analyst, view: { analysis: 'emerging' } }, cache)
    expect(waiting.ready).toBe(false)
    const url = '/api/analysis/emerging?indicator=ran&layer=stadsomrade&from=2013&to=2024'
    const emerging = { from: '2013', to: '2024', values: [{ areaId: 1, class: 'new_hot' }, { areaId: 2, class: 'no_pattern' }, { areaId: 3, class: 'persistent_cold' }] }
    const m = model({ user: analyst, view: { analysis: 'emerging' } }, { ...cache, [url]: emerging })
    expect(m.ready).toBe(true)
    expect(m.renderKey).toContain('|emerging-2013|')
    const colours = [1, 2, 3].map((id) => m.shownColors[m.states.get(id)!.cls!])
    expect(colours).toEqual(['#67000d', '#f2f2f2', '#6baed6'])
    // Not for anyone else: the classes come from every count, hidden ones included.
    expect(model({ view: { analysis: 'emerging' } }, { ...cache, [url]: emerging }).analysis.analysis).toBe('none')
  })

  it('shows counts when per 1 000 is asked for but the layer carries no population', () => {
    const cache = { ...base, [paths.values('ran', 'stadsomrade', '2024')]: values('ran', 'stadsomrade', '2024', [10, 20, 30]) }
    expect(model({ view: { measure: 'rate' } }, cache).measure).toBe('value')
    expect(model({}, cache).rateOk).toBe(false)
    const withPopulation = { ...base, [paths.values('ran', 'stadsomrade', '2024')]: values('ran', 'stadsomrade', '2024', [10, 20, 30], 1000) }
    const m = model({ view: { measure: 'rate' } }, withPopulation)
    expect(m.measure).toBe('rate')
    expect(m.metrics.map((x) => x.metric)).toEqual([10, 20, 30])
  })

  it('shows rates by default where the values carry a population, counts when the link says antal', () => {
    const withPopulation = { ...base, [paths.values('ran', 'stadsomrade', '2024')]: values('ran', 'stadsomrade', '2024', [10, 20, 30], 2000) }
    const m = model({}, withPopulation)
    expect(m.measure).toBe('rate')
    expect(m.metrics.map((x) => x.metric)).toEqual([5, 10, 15])
    expect(m.legendTitle).toBe('ran (per 1\u00a0000 invånare)')
    expect(model({ view: { measure: 'value' } }, withPopulation).measure).toBe('value')
  })

  it('compares with the first other period and waits for it', () => {
    const to = { [paths.values('ran', 'stadsomrade', '2024')]: values('ran', 'stadsomrade', '2024', [10, 20, 30]) }
    const waiting = model({ view: { mode: 'change' } }, { ...base, ...to })
    expect(waiting.from).toBe('2022')
    expect(waiting.ready).toBe(false)
    const m = model({ view: { mode: 'change' } }, { ...base, ...to, [paths.values('ran', 'stadsomrade', '2022')]: values('ran', 'stadsomrade', '2022', [5, 25, 30]) })
    expect(m.ready).toBe(true)
    expect(m.metrics.map((x) => x.metric)).toEqual([5, -5, 0])
    expect(m.palette.kind).toBe('diverging')
  })

  it('reads a snapshot from the snapshot and never treats an analyst as internal there', () => {
    const analyst = { email: 'a@x.se', name: 'A', role: 'analyst', stadsomrade: null } as SessionUser
    const source = snapshotSource(7, 'Lägesbild')
    const cache = { [source.layers()]: LAYERS, [source.indicators()]: INDICATORS, [source.layerAreas('stadsomrade')]: areas('stadsomrade') }
    const m = model({ source, user: analyst }, cache)
    expect(m.internal).toBe(false)
    expect(m.areas?.metadata.layer).toBe('stadsomrade')
    expect(model({ user: analyst }, base).internal).toBe(true)
  })
})
