/**
 * The one derivation of an area's population in a year: every figure that needs a population (a count's
 * denominator in values and series, the city, analysis rates and change, crosswalk weights, the meeting
 * pack, the layer population API) asks here. Pure: the store that reads the database is handed in.
 *
 * Per area and year, in this order:
 *   (a) stored: imported (or first-start) population of the area and year;
 *   (b) parts: the sum over its children in a layer that wholly nests in it, when every child has an exact
 *       figure that year (primärområden → stadsområden, lokalpolisområden; DeSO → RegSO);
 *   (c) overlap: interpolated by area, Σ pop(source) · area(source ∩ area ∩ land) / area(source ∩ land),
 *       from DeSO, or from primärområden where DeSO has no population that year — marked estimated. The
 *       land is the city's primärområden: SCB's DeSO reach over the sea, where nobody lives.
 * Year rule: a period uses its calendar year; without population that year, the nearest earlier year with
 * any; without an earlier one, the nearest later.
 */
import { parsePeriod } from './period'

/** The city as a whole (as in derivation.ts). */
export const CITY_POPULATION = 'city'
export type PopulationArea = number | typeof CITY_POPULATION

/** The layers population is interpolated from, most detailed first. */
export const POPULATION_SOURCES = ['deso', 'primaromrade'] as const

export interface PopulationBase {
  stored: ReadonlyArray<{ area: number; year: number; population: number }>
  areas: ReadonlyArray<{ id: number; layer: string; current: boolean }>
  /** Layer pairs where each child area lies wholly in one parent area. */
  nesting: ReadonlyArray<{ child: string; parent: string }>
  /** Area links (child area in parent area). */
  links: ReadonlyArray<{ child: number; parent: number }>
  /** The layer whose current areas partition the city. */
  cityLayer: string
}

/** Share of a source area's land lying in a target area (0–1). */
export interface Overlap {
  target: number
  source: number
  share: number
}

export interface PopulationInput extends PopulationBase {
  /** Overlaps by `${targetLayer}|${sourceLayer}`, for the pairs `overlapNeeds` named. */
  overlaps: ReadonlyMap<string, readonly Overlap[]>
}

export interface PopulationFigure {
  population: number
  estimated: boolean
  how: 'stored' | 'parts' | 'overlap'
}

export interface PopulationYear {
  year: number
  /** The period's own year had no population: this is the nearest. */
  nearest: boolean
}

/** Reads what the derivation needs; the database's store caches it per data version. */
export interface PopulationStore {
  base(): Promise<PopulationBase>
  overlaps(targetLayer: string, sourceLayer: string): Promise<readonly Overlap[]>
}

const yearsOf = (base: PopulationBase) => [...new Set(base.stored.map((s) => s.year))].sort((a, b) => a - b)

/** The year a period's figures use (see the module's comment); null when there is no population at all. */
export function populationYear(years: readonly number[], period: string | number): PopulationYear | null {
  const y = typeof period === 'number' ? period : parsePeriod(period)?.year
  if (y === undefined || years.length === 0) return null
  if (years.includes(y)) return { year: y, nearest: false }
  const earlier = years.filter((x) => x < y)
  return { year: earlier.length ? earlier.at(-1)! : years.find((x) => x > y)!, nearest: true }
}

/** The note beside a figure: which year's population, and whether it is an estimate. */
export function populationNote(year: PopulationYear, estimated: boolean): string {
  return (
    `Befolkning ${year.year}${year.nearest ? ' (närmaste år med befolkningsuppgift)' : ''}` +
    (estimated ? ', uppskattad: fördelad efter yta från DeSO eller primärområden' : '')
  )
}

/** The exact figures (stored, or summed from exact children): what (b) and (c) build on. */
function exactFigures(base: PopulationBase) {
  const layerOf = new Map(base.areas.map((a) => [a.id, a.layer]))
  const current = new Map(base.areas.map((a) => [a.id, a.current]))
  const stored = new Map<string, number>()
  for (const s of base.stored) stored.set(`${s.area}|${s.year}`, s.population)
  const nestedFrom = new Map<string, string[]>()
  for (const n of base.nesting) (nestedFrom.get(n.parent) ?? nestedFrom.set(n.parent, []).get(n.parent)!).push(n.child)
  const childrenOf = new Map<string, number[]>() // `${parent}|${childLayer}`
  for (const l of base.links) {
    const cl = layerOf.get(l.child)
    // A current area is made of current children; an old version of the children linked to it.
    if (cl === undefined || (current.get(l.parent) && !current.get(l.child))) continue
    const k = `${l.parent}|${cl}`
    ;(childrenOf.get(k) ?? childrenOf.set(k, []).get(k)!).push(l.child)
  }
  const memo = new Map<string, PopulationFigure | null>()
  const exact = (area: number, year: number, depth = 0): PopulationFigure | null => {
    const key = `${area}|${year}`
    if (memo.has(key)) return memo.get(key)!
    let out: PopulationFigure | null = null
    const own = stored.get(key)
    if (own !== undefined) out = { population: own, estimated: false, how: 'stored' }
    else if (depth < 8) {
      for (const childLayer of nestedFrom.get(layerOf.get(area) ?? '') ?? []) {
        const children = childrenOf.get(`${area}|${childLayer}`)
        if (!children?.length) continue
        let sum = 0
        let complete = true
        for (const c of children) {
          const f = exact(c, year, depth + 1)
          if (!f) {
            complete = false
            break
          }
          sum += f.population
        }
        if (complete) {
          out = { population: sum, estimated: false, how: 'parts' }
          break
        }
      }
    }
    memo.set(key, out)
    return out
  }
  return { exact, layerOf }
}

/**
 * The overlaps the derivation needs for these layers: a target layer, for each year with population, whose
 * current areas are not all exact, from each source layer with population that year (never from itself).
 */
export function overlapNeeds(base: PopulationBase, layers: Iterable<string>): Array<{ target: string; source: string }> {
  const { exact } = exactFigures(base)
  const years = yearsOf(base)
  const sourceYears = new Map<string, Set<number>>()
  const layerOf = new Map(base.areas.map((a) => [a.id, a.layer]))
  for (const s of base.stored) {
    const l = layerOf.get(s.area)
    if (l) (sourceYears.get(l) ?? sourceYears.set(l, new Set()).get(l)!).add(s.year)
  }
  const out: Array<{ target: string; source: string }> = []
  for (const target of new Set(layers)) {
    const ids = base.areas.filter((a) => a.layer === target && a.current).map((a) => a.id)
    const short = years.filter((y) => ids.some((id) => !exact(id, y)))
    for (const source of POPULATION_SOURCES) {
      if (source !== target && short.some((y) => sourceYears.get(source)?.has(y))) out.push({ target, source })
    }
  }
  return out
}

export interface PopulationModel {
  /** Years with any stored population, oldest first. */
  years: readonly number[]
  yearOf(period: string | number): PopulationYear | null
  /** An area's (or the city's) population in a year, or null where none can be formed. */
  of(area: PopulationArea, year: number): PopulationFigure | null
  /** The population a period's figures use: the year by the year rule. */
  forPeriod(area: PopulationArea, period: string): (PopulationFigure & PopulationYear) | null
}

export function populationModel(input: PopulationInput): PopulationModel {
  const { exact, layerOf } = exactFigures(input)
  const years = yearsOf(input)
  const overlapsOf = new Map<string, Overlap[]>() // `${target}|${sourceLayer}`
  for (const [k, rows] of input.overlaps) {
    const source = k.slice(k.indexOf('|') + 1)
    for (const r of rows) (overlapsOf.get(`${r.target}|${source}`) ?? overlapsOf.set(`${r.target}|${source}`, []).get(`${r.target}|${source}`)!).push(r)
  }
  const cityAreas = input.areas.filter((a) => a.layer === input.cityLayer && a.current).map((a) => a.id)

  const byOverlap = (area: number, year: number): PopulationFigure | null => {
    const layer = layerOf.get(area)
    for (const source of POPULATION_SOURCES) {
      if (source === layer) continue
      const rows = overlapsOf.get(`${area}|${source}`)
      if (!rows?.length) continue
      let sum = 0
      let complete = true
      for (const r of rows) {
        const f = exact(r.source, year)
        if (!f) {
          complete = false
          break
        }
        sum += f.population * r.share
      }
      if (complete) return { population: sum, estimated: true, how: 'overlap' }
    }
    return null
  }
  const memo = new Map<string, PopulationFigure | null>()
  const of = (area: PopulationArea, year: number): PopulationFigure | null => {
    const key = `${area}|${year}`
    if (memo.has(key)) return memo.get(key)!
    let out: PopulationFigure | null
    if (area === CITY_POPULATION) {
      out = null
      if (cityAreas.length) {
        let sum = 0
        let estimated = false
        for (const id of cityAreas) {
          const f = of(id, year)
          if (!f) {
            sum = NaN
            break
          }
          sum += f.population
          estimated ||= f.estimated
        }
        if (!Number.isNaN(sum)) out = { population: sum, estimated, how: 'parts' }
      }
    } else out = exact(area, year) ?? byOverlap(area, year)
    memo.set(key, out)
    return out
  }
  const yearOf = (period: string | number) => populationYear(years, period)
  return {
    years,
    yearOf,
    of,
    forPeriod(area, period) {
      const y = yearOf(period)
      const f = y ? of(area, y.year) : null
      return f && y ? { ...f, ...y } : null
    },
  }
}

/** The model for these layers (and the city): the base, and only the overlaps it lacks. */
export async function populationFor(store: PopulationStore, layers: Iterable<string>): Promise<PopulationModel> {
  const base = await store.base()
  const needs = overlapNeeds(base, [...layers, base.cityLayer])
  const overlaps = new Map<string, readonly Overlap[]>()
  await Promise.all(needs.map(async (n) => overlaps.set(`${n.target}|${n.source}`, await store.overlaps(n.target, n.source))))
  return populationModel({ ...base, overlaps })
}
