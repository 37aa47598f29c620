import type { Kysely } from 'kysely'
import type { Database, IndicatorRow } from '../../../db/schema'
import { comparePeriods, defaultPeriodKind, parsePeriod, periodKindsOf, type PeriodKind } from '../../core/period'
import { versionedCache } from '../../core/versioned-cache'
import { disclose, type Cell, type Disclosed } from '../../disclosure/primary'
import { crosswalk, weightingOf, type Block } from '../../spatial/crosswalk'
import { AppError } from '../../errors'
import { findLayer } from '../areas/areas.repository'
import { buildDisclosureCube, CITY, type DisclosureCube, type Hidden } from './disclosure-cube'
import type { CityValueDto, IndicatorDto, SeriesDto, ValueDto, ValuesDto } from './indicators.schema'
import {
  crosswalkAtoms,
  currentAreas,
  dataVersion,
  findAreas,
  findIndicator,
  listIndicators,
  listNesting,
  monthSums,
  storedAvailability,
  layerKinds,
  storedValues,
  summedValues,
} from './indicators.repository'

const SCALE = { percent: 100, rate_per_1000: 1000 } as const
/** The layer whose areas partition the whole city: the city's value is the sum over it. */
const CITY_LAYER = 'stadsomrade'
/** Coarse partitions of the city built from whole primärområden (or nearly): crosswalks run between these. */
const CROSSWALK_LAYERS = ['lokalpolisomrade', 'stadsomrade']

type LayerAvailability = {
  derivedFrom: string | null
  /** Estimated from this layer through primärområden (the layers do not nest). */
  crosswalkFrom?: string
  periods: Set<string>
  /** Quarters, half-years and years whose every month is stored: summed from months on request. */
  fromMonths: Set<string>
  /** A grid covering the city: a cell without a stored count for a period holds zero. */
  grid?: boolean
}
type Availability = Map<string, Map<string, LayerAvailability>>

// Availability scans every observation; it changes only with an import, so it is cached per data version.
const availabilityCache = versionedCache<Availability>()

/** Read once per request: every cache below is keyed by it. */
function availability(db: Kysely<Database>, version: number): Promise<Availability> {
  return availabilityCache(db, version, '', () => computeAvailability(db))
}

/** Stored layers plus the layers they wholly nest in (where the unit can be summed). */
async function computeAvailability(db: Kysely<Database>): Promise<Availability> {
  const [rows, nesting, indicators, kinds] = await Promise.all([storedAvailability(db), listNesting(db), listIndicators(db), layerKinds(db)])
  const grids = new Set(kinds.filter((k) => k.kind === 'grid').map((k) => k.id))
  const units = new Map(indicators.map((i) => [i.id, i.unit]))
  const out: Availability = new Map()
  const layersOf = (id: string) => out.get(id) ?? out.set(id, new Map()).get(id)!
  for (const r of rows) {
    const entry = layersOf(r.indicator_id).get(r.layer_id) ?? { derivedFrom: null, periods: new Set<string>(), fromMonths: new Set<string>(), grid: grids.has(r.layer_id) }
    entry.periods.add(r.period)
    layersOf(r.indicator_id).set(r.layer_id, entry)
  }
  for (const [indicator, layers] of out) {
    if (units.get(indicator) === 'count') for (const a of layers.values()) addMonthSums(a)
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
      layers.set(n.parent_layer_id, { derivedFrom: n.child_layer_id, periods, fromMonths: new Set() })
    }
    for (const target of CROSSWALK_LAYERS) {
      if (layers.has(target) || units.get(indicator) === 'index') continue
      const from = CROSSWALK_LAYERS.find((s) => s !== target && layers.get(s)?.derivedFrom === null && !layers.get(s)?.crosswalkFrom)
      if (from) layers.set(target, { derivedFrom: null, crosswalkFrom: from, periods: new Set(layers.get(from)!.periods), fromMonths: new Set() })
    }
  }
  return out
}

const sortPeriods = (s: Iterable<string>) => [...s].sort(comparePeriods)

/**
 * Who the figures are for. `internal`: analysts and admins, who see every value and are told which would
 * be hidden outside; `outside`: everyone else, who get primary and secondary suppression.
 */
export type Viewer = 'internal' | 'outside'

/** Units whose counts add up over areas and periods, so a hidden cell could be recovered by subtraction. */
const ADDITIVE = new Set<IndicatorRow['unit']>(['count', 'rate_per_1000'])

// Secondary suppression looks at every cell of an indicator at once; it changes only with an import.
const cubeCache = versionedCache<DisclosureCube>()

async function cubeFor(db: Kysely<Database>, indicator: IndicatorRow, avail: Availability, version: number): Promise<DisclosureCube | null> {
  if (!ADDITIVE.has(indicator.unit)) return null
  return cubeCache(db, version, indicator.id, () => {
    const derived = new Map<string, string>()
    for (const [layer, a] of avail.get(indicator.id) ?? []) if (a.derivedFrom) derived.set(layer, a.derivedFrom)
    return buildDisclosureCube(db, indicator, derived)
  })
}

/** Why a cell would be hidden outside the analyst role, if it would: secondary suppression's verdict, or the primary rule. */
type HiddenOf = (area: number | typeof CITY, period: string, cell: Cell) => Hidden | null

function hiddenOf(indicator: IndicatorRow, cube: DisclosureCube | null): HiddenOf {
  return (area, period, cell) => {
    const verdict = cube?.hidden.get(`${area}|${period}`)
    if (verdict) return verdict
    return disclose(indicator.unit, indicator.min_publish_count, cell).suppressed ? 'primary' : null
  }
}

/** A cell as the viewer may see it: hidden outside, and marked with what would be hidden for analysts. */
function present(viewer: Viewer, indicator: IndicatorRow, why: Hidden | null, cell: Cell & { hidden?: boolean }): Disclosed & { hiddenOutside?: Hidden } {
  const plain: Cell = { value: cell.value, numerator: cell.numerator, denominator: cell.denominator, ciLow: cell.ciLow, ciHigh: cell.ciHigh }
  if (viewer === 'internal') return { ...plain, suppressed: false, ...(why ? { hiddenOutside: why } : {}) }
  return disclose(indicator.unit, indicator.min_publish_count, plain, why !== null || Boolean(cell.hidden))
}

/** Counts stored per month can be shown per quarter, half-year and year once every month of it is there. */
function addMonthSums(a: LayerAvailability) {
  const months = [...a.periods].filter((p) => parsePeriod(p)?.kind === 'month')
  if (months.length < 3) return
  const have = new Set(months)
  const years = new Set(months.map((m) => Number(m.slice(0, 4))))
  for (const y of years) {
    const m = (i: number) => `${y}-${String(i).padStart(2, '0')}`
    const all = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => m(from + i)).every((x) => have.has(x))
    const candidates: Array<[string, number, number]> = [
      [`${y}-Q1`, 1, 3], [`${y}-Q2`, 4, 6], [`${y}-Q3`, 7, 9], [`${y}-Q4`, 10, 12],
      [`${y}-H1`, 1, 6], [`${y}-H2`, 7, 12], [String(y), 1, 12],
    ]
    for (const [p, from, to] of candidates) {
      if (!a.periods.has(p) && all(from, to)) {
        a.periods.add(p)
        a.fromMonths.add(p)
      }
    }
  }
}

function toDto(i: IndicatorRow, layers: Map<string, LayerAvailability> | undefined): IndicatorDto {
  const all = new Set<string>()
  const layerList = [...(layers ?? new Map<string, LayerAvailability>()).entries()].map(([layer, a]) => {
    for (const p of a.periods) all.add(p)
    return { layer, derivedFrom: a.derivedFrom ?? a.crosswalkFrom ?? null, estimated: Boolean(a.crosswalkFrom), periods: sortPeriods(a.periods) }
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
  const avail = await availability(db, await dataVersion(db))
  return indicators.map((i) => toDto(i, avail.get(i.id)))
}

interface RawValue extends Cell {
  areaId: number
  code: string
  name: string
  /** Hidden because what it is built on is hidden (crosswalk estimates). */
  hidden?: boolean
}

// Building blocks of a crosswalk change only with boundary imports: cached per data version.
const blockCache = versionedCache<Block[]>()

function blocksFor(db: Kysely<Database>, source: string, target: string, version: number): Promise<Block[]> {
  return blockCache(db, version, `${source}|${target}`, async () =>
    (await crosswalkAtoms(db, source, target)).map((r) => ({ sourceId: r.source_id, targetId: r.target_id, population: r.population, area: r.area })),
  )
}

/** Values of one indicator on one layer and period, before disclosure control. */
async function rawValues(
  db: Kysely<Database>,
  indicator: IndicatorRow,
  layerId: string,
  period: string,
  avail: LayerAvailability | undefined,
  version: number,
  /** Outside the analyst role an estimate is built only from what may be shown. */
  hide: HiddenOf | null,
): Promise<RawValue[]> {
  if (avail?.crosswalkFrom) {
    const from = avail.crosswalkFrom
    const sourceRows = await rawValues(db, indicator, from, period, { derivedFrom: null, periods: new Set([period]), fromMonths: new Set() }, version, null)
    const source = new Map(
      sourceRows.map((r) => {
        const hidden = hide?.(r.areaId, period, r) ?? null
        return [r.areaId, { value: hidden ? null : r.value, suppressed: hidden !== null }]
      }),
    )
    const { estimates } = crosswalk(await blocksFor(db, from, layerId, version), source, indicator.unit === 'count' ? 'count' : 'share')
    const targets = await currentAreas(db, layerId)
    return targets.map((t) => {
      const e = estimates.get(t.id)
      return { areaId: t.id, code: t.code, name: t.name, value: e?.value ?? null, numerator: null, denominator: null, ciLow: null, ciHigh: null, hidden: e?.suppressed ?? false }
    })
  }
  if (avail?.fromMonths.has(period)) {
    const p = parsePeriod(period)!
    const months = (Number(p.end.slice(0, 4)) - Number(p.start.slice(0, 4))) * 12 + Number(p.end.slice(5, 7)) - Number(p.start.slice(5, 7))
    const rows = await monthSums(db, indicator.id, layerId, p.start, p.end)
    // A grid cell stores only months where something happened; the rest are zero.
    const complete = (n: number) => n === months || Boolean(avail.grid)
    const summed = rows.map((r) => ({
      areaId: r.id,
      code: r.code,
      name: r.name,
      value: complete(r.n) ? r.value_sum : null,
      numerator: complete(r.n) && r.n_numerator === r.n ? r.numerator_sum : null,
      denominator: null,
      ciLow: null,
      ciHigh: null,
    }))
    return avail.grid ? withGridZeros(db, layerId, summed) : summed
  }
  if (!avail || avail.derivedFrom === null) {
    const rows = await storedValues(db, indicator.id, layerId, period)
    const stored = rows.map((r) => ({
      areaId: r.id,
      code: r.code,
      name: r.name,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      ciLow: r.ci_low,
      ciHigh: r.ci_high,
    }))
    return avail?.grid && indicator.unit === 'count' ? withGridZeros(db, layerId, stored) : stored
  }
  const rows = await summedValues(db, indicator.id, avail.derivedFrom, layerId, period)
  return rows.map((r) => {
    // A partial sum is not the area's value: it would understate it without saying so.
    const complete = r.n === r.children
    const numerator = r.n_numerator === r.n ? r.numerator_sum : null
    const denominator = r.n_denominator === r.n ? r.denominator_sum : null
    return { areaId: r.id, code: r.code, name: r.name, ...combine(indicator.unit, complete, r.value_sum, numerator, denominator) }
  })
}

/** Every current cell of a grid, zero where nothing is stored: an absent cell would say "none" all the same. */
async function withGridZeros(db: Kysely<Database>, layerId: string, values: RawValue[]): Promise<RawValue[]> {
  const have = new Set(values.map((v) => v.areaId))
  const zeros = (await currentAreas(db, layerId))
    .filter((a) => !have.has(a.id))
    .map((a) => ({ areaId: a.id, code: a.code, name: a.name, value: 0, numerator: 0, denominator: null, ciLow: null, ciHigh: null }))
  return [...values, ...zeros].sort((a, b) => a.code.localeCompare(b.code))
}

/** Rates and shares of a union come from summed numerators and denominators — never an average of rates. */
function combine(unit: IndicatorRow['unit'], complete: boolean, valueSum: number, numerator: number | null, denominator: number | null): Cell {
  let value: number | null = null
  if (complete && unit === 'count') value = valueSum
  else if (complete && (unit === 'percent' || unit === 'rate_per_1000') && numerator !== null && denominator) {
    value = (SCALE[unit] * numerator) / denominator
  }
  return { value, numerator, denominator, ciLow: null, ciHigh: null }
}

// The city's value is the same for every layer of a view: cached per data version like availability.
const cityCache = versionedCache<Cell | null>()

async function cityValue(db: Kysely<Database>, viewer: Viewer, indicator: IndicatorRow, period: string, avail: Availability, version: number, hide: HiddenOf): Promise<CityValueDto | null> {
  const cell = await cityCell(db, indicator, period, avail, version)
  if (!cell) return null
  const { hiddenOutside: _, ...shown } = present(viewer, indicator, hide(CITY, period, cell), cell)
  return { period, ...shown }
}

function cityCell(db: Kysely<Database>, indicator: IndicatorRow, period: string, avail: Availability, version: number): Promise<Cell | null> {
  return cityCache(db, version, `${indicator.id}|${period}`, () => computeCityValue(db, indicator, period, avail, version))
}

/** The city as a whole: the sum over the layer that partitions it, disclosed like any other cell. */
async function computeCityValue(db: Kysely<Database>, indicator: IndicatorRow, period: string, avail: Availability, version: number): Promise<Cell | null> {
  const layerAvail = avail.get(indicator.id)?.get(CITY_LAYER)
  if (!layerAvail?.periods.has(period) || indicator.unit === 'index') return null
  const parts = await rawValues(db, indicator, CITY_LAYER, period, layerAvail, version, null)
  if (parts.length === 0 || parts.some((p) => p.value === null)) return null
  const sum = (f: (c: Cell) => number | null) => (parts.every((p) => f(p) !== null) ? parts.reduce((s, p) => s + f(p)!, 0) : null)
  return combine(indicator.unit, true, sum((c) => c.value)!, sum((c) => c.numerator), sum((c) => c.denominator))
}

async function lookup(db: Kysely<Database>, indicatorId: string) {
  const indicator = await findIndicator(db, indicatorId)
  if (!indicator) throw AppError.notFound(`Unknown indicator: ${indicatorId}`, [{ field: 'id', message: 'no such indicator' }])
  return indicator
}

async function methodOf(db: Kysely<Database>, layerId: string, avail: LayerAvailability | undefined, unit: IndicatorRow['unit'], period: string, version: number): Promise<ValuesDto['method']> {
  if (avail?.crosswalkFrom) {
    const weighting = weightingOf(await blocksFor(db, avail.crosswalkFrom, layerId, version))
    return {
      kind: 'crosswalk',
      fromLayer: avail.crosswalkFrom,
      weighting,
      note: `Uppskattning: värdena finns för ${avail.crosswalkFrom}, som inte sammanfaller med ${layerId}; de har förts över via primärområdena, viktat med ${weighting === 'population' ? 'befolkning' : 'yta'}`,
    }
  }
  if (avail?.fromMonths.has(period)) return { kind: 'summed', fromLayer: 'månader', note: 'Summerat från månadsvärden' }
  if (!avail || avail.derivedFrom === null) return { kind: 'stored' }
  return {
    kind: 'summed',
    fromLayer: avail.derivedFrom,
    note:
      unit === 'count'
        ? `Summerat från ${avail.derivedFrom}`
        : `Beräknat från summerade täljare och nämnare i ${avail.derivedFrom} (inga medelvärden av andelar)`,
  }
}

export async function getValues(
  db: Kysely<Database>,
  viewer: Viewer,
  indicatorId: string,
  layerId: string,
  requestedPeriod: string | undefined,
): Promise<ValuesDto> {
  const indicator = await lookup(db, indicatorId)
  const layer = await findLayer(db, layerId)
  if (!layer) throw AppError.notFound(`Unknown layer: ${layerId}`, [{ field: 'layer', message: 'no such layer' }])

  const version = await dataVersion(db)
  const all = await availability(db, version)
  const avail = all.get(indicatorId)?.get(layerId)
  const period = requestedPeriod ?? (avail ? sortPeriods(avail.periods).at(-1) : undefined)
  if (!period) {
    throw AppError.notFound(`Indicator ${indicatorId} has no values on layer ${layerId}`, [
      { field: 'layer', message: 'no values for this indicator on this layer' },
    ])
  }
  const p = parsePeriod(period)!
  const hide = hiddenOf(indicator, await cubeFor(db, indicator, all, version))
  const raw = await rawValues(db, indicator, layerId, period, avail, version, viewer === 'outside' ? hide : null)
  return {
    indicator: indicatorId,
    layer: layerId,
    period,
    periodStart: p.start,
    periodEnd: p.end,
    unit: indicator.unit,
    demo: indicator.is_demo,
    source: indicator.source,
    method: await methodOf(db, layerId, avail, indicator.unit, period, version),
    approximate: layer.approximate,
    approximateReason: layer.approximate_reason,
    availablePeriods: avail ? sortPeriods(avail.periods) : [],
    suppression: { threshold: indicator.min_publish_count, internal: viewer === 'internal' },
    city: await cityValue(db, viewer, indicator, period, all, version, hide),
    values: raw.map((v) => ({ areaId: v.areaId, code: v.code, name: v.name, ...present(viewer, indicator, hide(v.areaId, period, v), v) })),
  }
}

/** Every period of an indicator for some areas (of any layers), with the city's value beside them. */
export async function getSeries(db: Kysely<Database>, viewer: Viewer, indicatorId: string, areaIds: number[], periodKind?: PeriodKind): Promise<SeriesDto> {
  const indicator = await lookup(db, indicatorId)
  const areas = await findAreas(db, areaIds)
  const missing = areaIds.filter((id) => !areas.some((a) => a.id === id))
  if (missing.length) {
    throw AppError.notFound(`Unknown area: ${missing.join(', ')}`, missing.map((id) => ({ field: 'areas', message: `no area with id ${id}` })))
  }
  const version = await dataVersion(db)
  const all = await availability(db, version)
  const byLayer = all.get(indicatorId) ?? new Map<string, LayerAvailability>()
  const hide = hiddenOf(indicator, await cubeFor(db, indicator, all, version))
  const points = new Map<number, SeriesDto['series'][number]['points']>(areaIds.map((id) => [id, []]))
  const layerIds = [...new Set(areas.map((a) => a.layer_id))]
  const held = layerIds.flatMap((l) => [...(byLayer.get(l)?.periods ?? [])])
  const kind = periodKind ?? defaultPeriodKind(held)
  for (const layerId of layerIds) {
    const avail = byLayer.get(layerId)
    if (!avail) continue
    for (const period of sortPeriods(avail.periods)) {
      if (parsePeriod(period)!.kind !== kind) continue
      for (const v of await rawValues(db, indicator, layerId, period, avail, version, viewer === 'outside' ? hide : null)) {
        const list = points.get(v.areaId)
        if (list) list.push({ period, ...present(viewer, indicator, hide(v.areaId, period, v), v) })
      }
    }
  }
  const periods = sortPeriods(new Set([...points.values()].flat().map((p) => p.period)))
  const city: CityValueDto[] = []
  for (const period of periods) {
    const c = await cityValue(db, viewer, indicator, period, all, version, hide)
    if (c) city.push(c)
  }
  return {
    indicator: indicatorId,
    unit: indicator.unit,
    demo: indicator.is_demo,
    source: indicator.source,
    suppression: { threshold: indicator.min_publish_count, internal: viewer === 'internal' },
    periodKind: kind,
    periodKinds: periodKindsOf(held),
    periods,
    city,
    series: areaIds.map((id) => {
      const a = areas.find((x) => x.id === id)!
      return { areaId: id, layer: a.layer_id, code: a.code, name: a.name, approximate: a.approximate, points: points.get(id)! }
    }),
  }
}
