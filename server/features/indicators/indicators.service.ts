import type { Kysely } from 'kysely'
import type { Database, IndicatorRow } from '../../../db/schema'
import { comparePeriods, parsePeriod } from '../../core/period'
import { AppError } from '../../errors'
import { findLayer } from '../areas/areas.repository'
import type { IndicatorDto, ValueDto, ValuesDto } from './indicators.schema'
import {
  dataVersion,
  findIndicator,
  listIndicators,
  listNesting,
  storedAvailability,
  storedValues,
  summedValues,
} from './indicators.repository'

const SCALE = { percent: 100, rate_per_1000: 1000 } as const

type Availability = Map<string, Map<string, { derivedFrom: string | null; periods: Set<string> }>>

// Availability scans every observation; it changes only with an import, so it is cached per data version.
const cache = new WeakMap<Kysely<Database>, { version: number; availability: Promise<Availability> }>()

async function availability(db: Kysely<Database>): Promise<Availability> {
  const version = await dataVersion(db)
  const hit = cache.get(db)
  if (hit && hit.version === version) return hit.availability
  const fresh = computeAvailability(db)
  cache.set(db, { version, availability: fresh })
  fresh.catch(() => cache.delete(db))
  return fresh
}

/** Stored layers plus the layers they wholly nest in (where the unit can be summed). */
async function computeAvailability(db: Kysely<Database>): Promise<Availability> {
  const [rows, nesting, indicators] = await Promise.all([storedAvailability(db), listNesting(db), listIndicators(db)])
  const units = new Map(indicators.map((i) => [i.id, i.unit]))
  const out: Availability = new Map()
  const layersOf = (id: string) => out.get(id) ?? out.set(id, new Map()).get(id)!
  for (const r of rows) {
    const entry = layersOf(r.indicator_id).get(r.layer_id) ?? { derivedFrom: null, periods: new Set<string>() }
    entry.periods.add(r.period)
    layersOf(r.indicator_id).set(r.layer_id, entry)
  }
  for (const [indicator, layers] of out) {
    if (units.get(indicator) === 'index') continue // an index cannot be summed
    for (const n of nesting) {
      const child = layers.get(n.child_layer_id)
      if (!child || child.derivedFrom !== null) continue
      const parent = layers.get(n.parent_layer_id)
      if (parent && parent.derivedFrom === null) continue // stored values win
      const periods = parent?.periods ?? new Set<string>()
      for (const p of child.periods) periods.add(p)
      layers.set(n.parent_layer_id, { derivedFrom: n.child_layer_id, periods })
    }
  }
  return out
}

const sortPeriods = (s: Iterable<string>) => [...s].sort(comparePeriods)

function toDto(i: IndicatorRow, layers: Availability extends Map<string, infer V> ? V | undefined : never): IndicatorDto {
  const all = new Set<string>()
  const layerList = [...(layers ?? new Map()).entries()].map(([layer, a]) => {
    for (const p of a.periods) all.add(p)
    return { layer, derivedFrom: a.derivedFrom, periods: sortPeriods(a.periods) }
  })
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    unit: i.unit,
    category: i.category,
    source: i.source,
    polarity: i.polarity,
    minPublishCount: i.min_publish_count,
    demo: i.is_demo,
    periods: sortPeriods(all),
    layers: layerList.sort((a, b) => a.layer.localeCompare(b.layer)),
  }
}

export async function getIndicators(db: Kysely<Database>): Promise<IndicatorDto[]> {
  const indicators = await listIndicators(db)
  const avail = await availability(db)
  return indicators.map((i) => toDto(i, avail.get(i.id)))
}

export async function getValues(
  db: Kysely<Database>,
  indicatorId: string,
  layerId: string,
  requestedPeriod: string | undefined,
): Promise<ValuesDto> {
  const [indicator, layer] = await Promise.all([findIndicator(db, indicatorId), findLayer(db, layerId)])
  if (!indicator) throw AppError.notFound(`Unknown indicator: ${indicatorId}`, [{ field: 'id', message: 'no such indicator' }])
  if (!layer) throw AppError.notFound(`Unknown layer: ${layerId}`, [{ field: 'layer', message: 'no such layer' }])

  const avail = (await availability(db)).get(indicatorId)?.get(layerId)
  const period = requestedPeriod ?? (avail ? sortPeriods(avail.periods).at(-1) : undefined)
  const base = {
    indicator: indicatorId,
    layer: layerId,
    unit: indicator.unit,
    demo: indicator.is_demo,
    source: indicator.source,
    approximate: layer.approximate,
    approximateReason: layer.approximate_reason,
    availablePeriods: avail ? sortPeriods(avail.periods) : [],
  }
  if (!period) {
    throw AppError.notFound(`Indicator ${indicatorId} has no values on layer ${layerId}`, [
      { field: 'layer', message: 'no values for this indicator on this layer' },
    ])
  }
  const p = parsePeriod(period)!
  const periodInfo = { period, periodStart: p.start, periodEnd: p.end }

  if (!avail || avail.derivedFrom === null) {
    const rows = await storedValues(db, indicatorId, layerId, period)
    const values: ValueDto[] = rows.map((r) => ({
      areaId: r.id,
      code: r.code,
      name: r.name,
      value: r.value,
      suppressed: false,
      numerator: r.numerator,
      denominator: r.denominator,
      ciLow: r.ci_low,
      ciHigh: r.ci_high,
    }))
    return { ...base, ...periodInfo, method: { kind: 'stored' }, values }
  }

  const rows = await summedValues(db, indicatorId, avail.derivedFrom, layerId, period)
  const values: ValueDto[] = rows.map((r) => {
    const complete = r.n === r.children
    let value: number | null = null
    if (complete && indicator.unit === 'count') value = r.value_sum
    else if (complete && indicator.unit in SCALE && r.n_numerator === r.n && r.n_denominator === r.n && r.denominator_sum) {
      value = (SCALE[indicator.unit as keyof typeof SCALE] * r.numerator_sum!) / r.denominator_sum
    }
    return {
      areaId: r.id,
      code: r.code,
      name: r.name,
      value,
      suppressed: false,
      numerator: r.n_numerator === r.n ? r.numerator_sum : null,
      denominator: r.n_denominator === r.n ? r.denominator_sum : null,
      ciLow: null,
      ciHigh: null,
    }
  })
  return {
    ...base,
    ...periodInfo,
    method: {
      kind: 'summed',
      fromLayer: avail.derivedFrom,
      note:
        indicator.unit === 'count'
          ? `Summerat från ${avail.derivedFrom}`
          : `Beräknat från summerade täljare och nämnare i ${avail.derivedFrom} (inga medelvärden av andelar)`,
    },
    values,
  }
}
