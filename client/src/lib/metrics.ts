/**
 * What the map shows per area, from the API's values: the value itself, a rate per 1 000 (or 100 000)
 * inhabitants, or the change between two periods. Pure, so the numbers on the map are unit-tested.
 */
import type { CityValueDto, ValueDto, ValuesDto } from './api'
import type { Measure, RatePer } from './viewState'

export interface AreaMetric {
  areaId: number
  code: string
  name: string
  /** What is classified and coloured; null when hidden or missing. */
  metric: number | null
  suppressed: boolean
  current: ValueDto
  baseline?: ValueDto
}

type Cell = Pick<ValueDto, 'value' | 'numerator' | 'denominator' | 'suppressed'>

/** A rate needs a count indicator with its population as denominator. */
export function canShowRate(values: ValuesDto | null): boolean {
  return values?.unit === 'count' && values.values.some((v) => v.denominator != null && v.denominator > 0)
}

/**
 * What the map shows: what the link asks for where it can be shown; without a wish, a rate where the data
 * carry their own population (counts of unequal populations mislead), else counts. Estimated rates are only
 * on request, for analysts.
 */
export function chooseMeasure(asked: Measure | null, can: { ownRates: boolean; estimatedRates: boolean }): Measure {
  if (asked === 'value') return 'value'
  if (asked === 'rate') return can.ownRates || can.estimatedRates ? 'rate' : 'value'
  return can.ownRates ? 'rate' : 'value'
}

/** A count per `per` inhabitants of its population (the denominator); hidden counts have no rate. */
export function metricOf(cell: Cell | null | undefined, measure: Measure, per: RatePer = 1000): number | null {
  if (!cell || cell.suppressed || cell.value === null) return null
  if (measure === 'value') return cell.value
  const count = cell.numerator ?? cell.value
  return cell.denominator ? (per * count) / cell.denominator : null
}

export function areaMetrics(current: ValuesDto, measure: Measure, baseline?: ValuesDto | null, per: RatePer = 1000): AreaMetric[] {
  const before = new Map((baseline?.values ?? []).map((v) => [v.areaId, v]))
  return current.values.map((v) => {
    if (!baseline) return { areaId: v.areaId, code: v.code, name: v.name, metric: metricOf(v, measure, per), suppressed: v.suppressed, current: v }
    const b = before.get(v.areaId)
    const now = metricOf(v, measure, per)
    const then = metricOf(b, measure, per)
    return {
      areaId: v.areaId,
      code: v.code,
      name: v.name,
      metric: now !== null && then !== null ? now - then : null,
      // A change from or to a hidden value would give the hidden value away.
      suppressed: v.suppressed || Boolean(b?.suppressed),
      current: v,
      baseline: b,
    }
  })
}

export function cityMetric(city: CityValueDto | null | undefined, measure: Measure, per: RatePer = 1000): number | null {
  return metricOf(city, measure, per)
}

/** 1-based rank, highest first, among areas with a metric; ties share the better rank. */
export function rankOf(metrics: readonly AreaMetric[], areaId: number): { rank: number; of: number } | null {
  const shown = metrics.filter((m) => m.metric !== null)
  const me = shown.find((m) => m.areaId === areaId)
  if (!me) return null
  return { rank: 1 + shown.filter((m) => m.metric! > me.metric!).length, of: shown.length }
}

/** The "dolt" labels on the map: one at each hidden area's label point. */
export function hiddenLabels(
  areas: { features: ReadonlyArray<{ properties: { id: number; labelPoint: [number, number] } }> } | null,
  metrics: readonly AreaMetric[],
  text: string,
): Array<{ id: number; lngLat: [number, number]; text: string }> {
  const hidden = new Set(metrics.filter((m) => m.suppressed).map((m) => m.areaId))
  return (areas?.features ?? []).filter((f) => hidden.has(f.properties.id)).map((f) => ({ id: f.properties.id, lngLat: f.properties.labelPoint, text }))
}
