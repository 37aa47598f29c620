/**
 * The analysts' statistics on the map: hot spots and clusters, smoothed or estimated rates, and the test of a change.
 * The hook fetches them; the pure helpers below turn them into what the map draws, so those are unit-tested.
 */
import { useMemo } from 'react'
import type { AreaState } from '../../components/map/MapView'
import { CATEGORIES, categoryStates, emergingRange, NOT_SIGNIFICANT_CHANGE } from '../../lib/analysis'
import type { IndicatorDto } from '../../lib/api'
import { classIndex, type Classification } from '../../lib/classify'
import { formatNumber } from '../../lib/format'
import type { AreaMetric } from '../../lib/metrics'
import { useApiQuery } from '../../lib/queries'
import type { Analysis, MapViewState, Measure, Smooth } from '../../lib/viewState'
import type { ChangeDto, EmergingDto, HotspotsDto, RatesDto } from '../../../../server/features/analysis/analysis.schema'

export interface MapAnalysisInput {
  /** An analyst on live data: the only one the statistics are for. */
  internal: boolean
  change: boolean
  unit: IndicatorDto['unit']
  /** Null when there is no indicator or it does not exist on the layer. */
  indicatorId: string | null
  layerId: string
  period: string | null
  /** The periods the indicator holds on the layer: emerging hot spots run over those of the shown period's kind. */
  periods: readonly string[]
  from: string | null
  measure: Measure
  /** Rates on the primärområden's population, estimated, where the layer carries none of its own. */
  estimatedRates: boolean
  view: Pick<MapViewState, 'analysis' | 'smooth' | 'fdr' | 'since'>
}

/** What an analysis classes each area as: one period's hot spots or clusters, or emerging hot spots. */
export type Classified = { values: ReadonlyArray<{ areaId: number; class: string }> }

export function useMapAnalysis({ internal, change, unit, indicatorId, layerId, period, periods, from, measure, estimatedRates, view }: MapAnalysisInput) {
  // Computed from every count, so only for analysts and only on live data.
  const canAnalyse = internal && (unit === 'count' || unit === 'rate_per_1000')
  const analysis: Analysis = canAnalyse && !change ? view.analysis : 'none'
  const hotspotsLoad = useApiQuery<HotspotsDto>(
    (analysis === 'gistar' || analysis === 'lisa') && indicatorId !== null && period
      ? `/api/analysis/hotspots?${query({ indicator: indicatorId, layer: layerId, period, method: analysis, measure: measure === 'rate' ? 'rate' : 'count', fdr: view.fdr })}`
      : null,
  )
  const hotspots = (analysis === 'gistar' || analysis === 'lisa') ? (hotspotsLoad.data ?? null) : null
  // Emerging hot spots end at the shown period and start twelve held periods of its kind back, or where chosen.
  const range = useMemo(() => emergingRange(periods, period, view.since), [periods, period, view.since])
  const emergingLoad = useApiQuery<EmergingDto>(
    analysis === 'emerging' && indicatorId !== null && period && range.from ? `/api/analysis/emerging?${query({ indicator: indicatorId, layer: layerId, from: range.from, to: period })}` : null,
  )
  const emerging = analysis === 'emerging' ? (emergingLoad.data ?? null) : null
  const classified: Classified | null = analysis === 'emerging' ? emerging : hotspots
  const smooth: Smooth = canAnalyse && !change && analysis === 'none' && measure === 'rate' ? view.smooth : 'none'
  const ratesWanted = smooth !== 'none' || (estimatedRates && measure === 'rate')
  const ratesLoad = useApiQuery<RatesDto>(ratesWanted && indicatorId !== null && period ? `/api/analysis/rates?${query({ indicator: indicatorId, layer: layerId, period, smooth })}` : null)
  const smoothed = ratesLoad.data ?? null
  const testChange = internal && change && unit !== 'index' && indicatorId !== null && Boolean(from && period)
  const changeLoad = useApiQuery<ChangeDto>(
    testChange ? `/api/analysis/change?${query({ indicator: indicatorId!, layer: layerId, from: from!, to: period!, fdr: view.fdr })}` : null,
  )
  const changeTest = changeLoad.data ?? null

  const smoothedRows = useMemo(() => new Map((smoothed?.values ?? []).map((v) => [v.areaId, v])), [smoothed])
  const insignificant = useMemo(() => new Set((changeTest?.values ?? []).filter((v) => v.significant === false).map((v) => v.areaId)), [changeTest])
  const hotspotOf = useMemo(() => new Map((hotspots?.values ?? []).map((v) => [v.areaId, v])), [hotspots])
  const emergingOf = useMemo(() => new Map((emerging?.values ?? []).map((v) => [v.areaId, v])), [emerging])
  // Too few held periods of the shown kind: said so rather than asking for a 422.
  const emergingTooShort = analysis === 'emerging' && Boolean(period) && !range.from

  return {
    canAnalyse,
    analysis,
    smooth,
    hotspotsLoad,
    emergingLoad,
    emergingRange: range,
    emergingTooShort,
    ratesLoad,
    changeLoad,
    hotspots,
    emerging,
    classified,
    emergingOf,
    smoothed,
    smoothedRows,
    changeTest,
    insignificant,
    hotspotOf,
    /** Every statistic asked for has arrived: the map is not ready before. */
    // A failed emerging analysis leaves the values on the map, with the reason beside it.
    analysed: Boolean((analysis === 'none' || classified || emergingTooShort || (analysis === 'emerging' && emergingLoad.error)) && (!ratesWanted || smoothed) && (!testChange || changeTest)),
    /** The analysis' part of the map's render key: the browser tests read it. */
    keyParts: [analysis === 'emerging' ? `emerging-${range.from}` : analysis, ratesWanted ? `rates-${smooth}` : '', view.fdr && (analysis !== 'none' || testChange) ? 'fdr' : '', testChange ? 'test' : ''],
  }
}

const query = (o: Record<string, string | number | boolean>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString()

/** A smoothed map colours the smoothed rates; the raw ones stay in the tooltip. */
export function withSmoothed(base: AreaMetric[], smoothed: RatesDto | null, per: 1000 | 100000 = 1000): AreaMetric[] {
  if (!smoothed) return base
  // The analysis answers per 1 000.
  const byArea = new Map(smoothed.values.map((v) => [v.areaId, smoothed.smooth !== 'none' ? v.smoothed : v.rate]))
  return base.map((m) => {
    const r = byArea.get(m.areaId) ?? null
    return { ...m, metric: m.suppressed || r === null ? null : (r * per) / 1000 }
  })
}

/** Each area's class on the map and the colours in class order: the hot spot categories, or else the value classes. */
export function areaStates(
  analysis: Analysis,
  hotspots: Classified | null,
  metrics: readonly AreaMetric[],
  classification: Classification | null,
  colors: string[],
  insignificant: ReadonlySet<number>,
): { states: Map<number, AreaState>; shownColors: string[] } {
  const m = new Map<number, AreaState>()
  if (analysis !== 'none' && hotspots) {
    const c = categoryStates(analysis, hotspots.values)
    for (const [id, cls] of c.states) m.set(id, { cls, suppressed: false })
    return { states: m, shownColors: c.colors }
  }
  // Changes the test cannot tell from chance get a class of their own, after the ranges.
  const extra = colors.length
  for (const a of metrics) {
    const cls = a.metric !== null && classification ? (insignificant.has(a.areaId) ? extra : classIndex(classification, a.metric)) : null
    m.set(a.areaId, { cls, suppressed: a.suppressed })
  }
  return { states: m, shownColors: insignificant.size ? [...colors, NOT_SIGNIFICANT_CHANGE.color] : colors }
}

/** The tooltip's line on an area's statistic. */
export function describeHotspot(h: HotspotsDto['values'][number]): string {
  if (h.class === 'no_neighbours') return 'Inga grannar: ingen statistik'
  if (h.class === 'missing' || h.z === null) return 'Ingen statistik'
  const p = h.pAdjusted !== null && h.p !== null ? `p = ${formatNumber(h.p, { decimals: 3 })}, FDR ${formatNumber(h.pAdjusted, { decimals: 3 })}` : ''
  return `z = ${formatNumber(h.z, { decimals: 2 })}${p ? `, ${p}` : ''}`
}

/** The tooltip's line on an area's emerging hot spot class: the pattern, how often hot or cold, and the trend. */
export function describeEmerging(e: EmergingDto['values'][number]): string {
  const label = CATEGORIES.emerging.find((c) => c.id === e.class)?.label ?? 'Ingen statistik'
  if (e.class === 'no_neighbours' || e.class === 'missing') return label
  const n = e.bins.length
  const trend = e.trendZ !== null && e.trendP !== null ? `, trend z = ${formatNumber(e.trendZ, { decimals: 2 })} (p = ${formatNumber(e.trendP, { decimals: 3 })})` : ''
  return `${label}: het ${e.hotPeriods} och kall ${e.coldPeriods} av ${n} perioder${trend}`
}

/** The area's periods at a glance, oldest first: ▲ hot spot, ▼ cold spot, · neither, – no count. */
export function emergingStrip(bins: EmergingDto['values'][number]['bins']): string {
  return bins.map((b) => (b === 'hot' ? '▲' : b === 'cold' ? '▼' : b === 'ns' ? '·' : '–')).join('')
}
