/**
 * The one derivation of every figure of an indicator: which cells (area × period, and the city × period)
 * exist, and what each holds. The values API, the series API, the disclosure cube, snapshots and meeting
 * packs all read these cells; nothing else sums observations. Pure: no db, no http.
 *
 * Decided per cell, never per layer, in this order of precedence:
 *   1. stored: an observation of the area and period;
 *   2. parts: the sum over the area's children in a layer that nests in it, when every child has the
 *      period (rates and shares from summed numerators and denominators, never averaged);
 *   3. shorter periods (counts only): a quarter from its 3 months, a half-year from its 2 quarters, a year
 *      from its 2 halves — only from complete parts.
 * A grid layer covering the city holds zero in a cell without a stored count in a period the grid has.
 * The city is the sum over the layer that partitions it, where every one of its current areas has a value.
 * A count's denominator is the population of its area in the period's year (server/core/population.ts),
 * never a stored one: one source of truth for every population.
 */
import { parsePeriod, weeksMakingUp } from './period'

export type Unit = 'count' | 'rate_per_1000' | 'percent' | 'index'

/** The city as a whole has no area id; its cells are keyed by this. */
export const CITY = 'city'
export type AreaKey = number | typeof CITY

export interface Figure {
  value: number | null
  numerator: number | null
  denominator: number | null
  ciLow: number | null
  ciHigh: number | null
}

export interface StoredCell extends Figure {
  area: number
  period: string
}

export type Derivation =
  | { kind: 'stored' }
  /** Summed over the children in `fromLayer`. */
  | { kind: 'parts'; fromLayer: string }
  /** Summed from the shorter periods that make it up. */
  | { kind: 'periods' }
  /** A grid cell with nothing stored in a period the grid has. */
  | { kind: 'empty' }
  /** The city: the sum over `fromLayer`. */
  | { kind: 'city'; fromLayer: string }

export interface DerivedCell extends Figure {
  area: AreaKey
  /** The area's layer; the city's cells have layer CITY. */
  layer: string
  period: string
  how: Derivation
}

export interface DerivationInput {
  unit: Unit
  stored: readonly StoredCell[]
  /** Every area with its layer; `current`: valid today. */
  areas: ReadonlyArray<{ id: number; layer: string; current: boolean }>
  /** Layer pairs where each child area lies wholly in one parent area. */
  nesting: ReadonlyArray<{ child: string; parent: string }>
  /** Area links (child area in parent area) of any layer pair. */
  links: ReadonlyArray<{ child: number; parent: number }>
  /** Layers that are a grid over the whole city. */
  grids: ReadonlySet<string>
  /** The layer whose current areas partition the city. */
  cityLayer: string
  /** Counts: the population of an area (or the city) in a period, their denominator. */
  population?: (area: AreaKey, period: string) => number | null
}

const SCALE = { percent: 100, rate_per_1000: 1000 } as const

export const cellKey = (area: AreaKey, period: string) => `${area}|${period}`

/** A period's direct parts: a year's halves, a half's quarters, a quarter's months; a month has none. */
export function directParts(period: string): string[] {
  const p = parsePeriod(period)
  if (!p) return []
  const y = p.year
  if (p.kind === 'year') return [`${y}-H1`, `${y}-H2`]
  if (p.kind === 'half') return period.endsWith('H1') ? [`${y}-Q1`, `${y}-Q2`] : [`${y}-Q3`, `${y}-Q4`]
  if (p.kind === 'quarter') {
    const first = (Number(period.slice(-1)) - 1) * 3 + 1
    return [0, 1, 2].map((i) => `${y}-${String(first + i).padStart(2, '0')}`)
  }
  return []
}

/**
 * Every way a period splits into shorter ones that sum to it: a year into halves, quarters and months, and so
 * on; and into ISO weeks when it runs exactly Monday to Monday (2024-Q2 is weeks 14–26, 2027-02 weeks 5–8).
 * Values are never derived from weeks; the weeks only tie the figures together for disclosure control.
 */
export function periodPartitions(period: string): string[][] {
  const out: string[][] = []
  let level = directParts(period)
  while (level.length) {
    out.push(level)
    level = level.flatMap(directParts)
  }
  const p = parsePeriod(period)
  const weeks = p && weeksMakingUp(p)
  if (weeks) out.push(weeks)
  return out
}

/** The longer periods a period is part of, nearest first (a month's quarter, half-year and year). */
function enclosing(period: string): string[] {
  const p = parsePeriod(period)
  if (!p || p.kind === 'year' || p.kind === 'week') return []
  const y = String(p.year)
  const month = Number(p.start.slice(5, 7))
  const quarter = `${y}-Q${Math.floor((month - 1) / 3) + 1}`
  const half = `${y}-H${month <= 6 ? 1 : 2}`
  if (p.kind === 'month') return [quarter, half, y]
  if (p.kind === 'quarter') return [half, y]
  return [y]
}

/**
 * Sums figures: counts add; rates and shares come from summed numerators and denominators. A count's
 * denominator is the population at risk: it adds over areas, but not over periods (the same people).
 */
export function sumFigures(unit: Unit, parts: readonly Figure[], over: 'areas' | 'periods'): Figure | null {
  if (unit === 'index' || parts.length === 0) return null
  const total = (f: (c: Figure) => number | null) => {
    let s = 0
    for (const c of parts) {
      const v = f(c)
      if (v === null) return null
      s += v
    }
    return s
  }
  if (unit === 'count') {
    const value = total((c) => c.value)
    if (value === null) return null
    return { value, numerator: total((c) => c.numerator), denominator: over === 'areas' ? total((c) => c.denominator) : null, ciLow: null, ciHigh: null }
  }
  const numerator = total((c) => c.numerator)
  const denominator = total((c) => c.denominator)
  if (numerator === null || !denominator) return null
  return { value: (SCALE[unit] * numerator) / denominator, numerator, denominator, ciLow: null, ciHigh: null }
}

export interface DerivedCells {
  cells: Map<string, DerivedCell>
  /** Cells by `${layer}|${period}` (the city under CITY). */
  byLayerPeriod: Map<string, DerivedCell[]>
  /** Periods by area (the city under CITY). */
  periodsOf: Map<AreaKey, Set<string>>
}

/** Derives every cell of one indicator from its stored observations (see the module's comment for the rules). */
export function deriveCells(input: DerivationInput): DerivedCells {
  const { unit } = input
  const layerOf = new Map(input.areas.map((a) => [a.id, a.layer]))
  const cells = new Map<string, DerivedCell>()
  const periodsOf = new Map<AreaKey, Set<string>>()
  const put = (c: DerivedCell) => {
    cells.set(cellKey(c.area, c.period), c)
    const s = periodsOf.get(c.area) ?? periodsOf.set(c.area, new Set()).get(c.area)!
    s.add(c.period)
  }
  const has = (area: AreaKey, period: string) => cells.has(cellKey(area, period))

  const byLayer = new Map<string, number[]>()
  for (const a of input.areas) (byLayer.get(a.layer) ?? byLayer.set(a.layer, []).get(a.layer)!).push(a.id)
  for (const s of input.stored) {
    const layer = layerOf.get(s.area)
    if (layer === undefined) continue
    const { area, period, value, numerator, denominator, ciLow, ciHigh } = s
    put({ area, layer, period, value, numerator, denominator, ciLow, ciHigh, how: { kind: 'stored' } })
  }

  // Children of each parent area, per child layer, for the layer pairs that nest.
  const nestedFrom = new Map<string, string[]>() // parent layer → child layers
  for (const n of input.nesting) (nestedFrom.get(n.parent) ?? nestedFrom.set(n.parent, []).get(n.parent)!).push(n.child)
  const childrenOf = new Map<string, number[]>() // `${parent}|${childLayer}`
  for (const l of input.links) {
    const cl = layerOf.get(l.child)
    if (cl === undefined) continue
    const k = `${l.parent}|${cl}`
    ;(childrenOf.get(k) ?? childrenOf.set(k, []).get(k)!).push(l.child)
  }

  // Children before parents, so a parent sums cells its children derived.
  const order: string[] = []
  const visiting = new Set<string>()
  const visit = (layer: string) => {
    if (order.includes(layer) || visiting.has(layer)) return
    visiting.add(layer)
    for (const child of nestedFrom.get(layer) ?? []) visit(child)
    order.push(layer)
  }
  for (const layer of byLayer.keys()) visit(layer)

  for (const layer of order) {
    const ids = byLayer.get(layer) ?? []
    if (input.grids.has(layer) && unit === 'count') fillGrid(layer, ids)
    if (unit !== 'index') for (const child of nestedFrom.get(layer) ?? []) sumChildren(layer, ids, child)
    if (unit === 'count') for (const id of ids) sumPeriods(layer, id)
  }

  function fillGrid(layer: string, ids: number[]) {
    const current = input.areas.filter((a) => a.layer === layer && a.current).map((a) => a.id)
    const periods = new Set<string>()
    for (const id of ids) for (const p of periodsOf.get(id) ?? []) periods.add(p)
    for (const period of periods) {
      for (const id of current) {
        if (!has(id, period)) put({ area: id, layer, period, value: 0, numerator: 0, denominator: null, ciLow: null, ciHigh: null, how: { kind: 'empty' } })
      }
    }
  }

  function sumChildren(layer: string, ids: number[], childLayer: string) {
    for (const parent of ids) {
      const children = childrenOf.get(`${parent}|${childLayer}`)
      if (!children?.length) continue
      const periods = new Set<string>()
      for (const c of children) for (const p of periodsOf.get(c) ?? []) periods.add(p)
      for (const period of periods) {
        if (has(parent, period)) continue
        const parts = children.map((c) => cells.get(cellKey(c, period)))
        if (parts.some((c) => !c)) continue // a partial sum would understate the area without saying so
        const sum = sumFigures(unit, parts as DerivedCell[], 'areas')
        if (sum) put({ area: parent, layer, period, ...sum, how: { kind: 'parts', fromLayer: childLayer } })
      }
    }
  }

  function sumPeriods(layer: string, area: number) {
    const own = periodsOf.get(area)
    if (!own) return
    // Candidates nearest first (quarters, then halves, then years), so each builds on the one before.
    const candidates = new Set<string>()
    for (const p of own) for (const e of enclosing(p)) candidates.add(e)
    const ordered = [...candidates].sort((a, b) => rank(a) - rank(b))
    for (const period of ordered) {
      if (has(area, period)) continue
      const parts = directParts(period).map((p) => cells.get(cellKey(area, p)))
      if (parts.some((c) => !c)) continue
      const sum = sumFigures(unit, parts as DerivedCell[], 'periods')
      if (sum) put({ area, layer, period, ...sum, how: { kind: 'periods' } })
    }
  }

  // The city: the partitioning layer's current areas, every one with a value.
  const cityAreas = input.areas.filter((a) => a.layer === input.cityLayer && a.current).map((a) => a.id)
  if (unit !== 'index' && cityAreas.length) {
    const periods = new Set<string>()
    for (const id of cityAreas) for (const p of periodsOf.get(id) ?? []) periods.add(p)
    for (const period of periods) {
      const parts = cityAreas.map((id) => cells.get(cellKey(id, period)))
      if (parts.some((c) => !c)) continue
      const sum = sumFigures(unit, parts as DerivedCell[], 'areas')
      if (sum) put({ area: CITY, layer: CITY, period, ...sum, how: { kind: 'city', fromLayer: input.cityLayer } })
    }
  }

  // Counts carry the population as their denominator, whatever was stored or summed.
  if (unit === 'count' && input.population) for (const c of cells.values()) c.denominator = input.population(c.area, c.period)

  const byLayerPeriod = new Map<string, DerivedCell[]>()
  for (const c of cells.values()) {
    const k = `${c.layer}|${c.period}`
    ;(byLayerPeriod.get(k) ?? byLayerPeriod.set(k, []).get(k)!).push(c)
  }
  return { cells, byLayerPeriod, periodsOf }
}

const KIND_RANK = { week: -1, month: 0, quarter: 1, half: 2, year: 3 } as const
const rank = (period: string) => KIND_RANK[parsePeriod(period)!.kind]
