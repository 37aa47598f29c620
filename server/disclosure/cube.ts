/**
 * Secondary suppression over one additive indicator's whole cube: every cell an outsider can see (every
 * area of every layer, every period, the city) as derived once by core/derivation, tied together by the
 * sums an attacker knows. A cell hidden on one page must not be recoverable from another. Pure: no db,
 * no http.
 */
import { cellKey, CITY, periodPartitions, type AreaKey, type DerivedCell, type DerivedCells, type Unit } from '../core/derivation'
import { comparePeriods } from '../core/period'
import { needsSuppression } from './primary'
import { secondarySuppression, type Relation } from './secondary'

/** Why a cell is hidden outside the analyst role. */
export type Hidden = 'primary' | 'secondary'

export interface DisclosureCube {
  /** Hidden cells by cellKey(area | CITY, period); absent means shown. */
  hidden: Map<string, Hidden>
  cells: number
  relations: number
  secondary: number
}

export interface CubeInput {
  unit: Unit
  threshold: number
  derived: DerivedCells
  /** Area links (child in parent) of every layer pair: each gives a sum an attacker may know. */
  links: ReadonlyArray<{ child: number; parent: number }>
  /** Layer of every area that appears in links. */
  layerOf: ReadonlyMap<number, string>
  /** Layers whose areas together make up the whole city: each one's cells add up to the city's. */
  partitionLayers: readonly string[]
}

/**
 * Relations are taken only where they hold exactly in the data: one that does not hold tells an outsider
 * nothing exact either.
 */
export function disclosureCube(input: CubeInput): DisclosureCube {
  const { unit, threshold, derived } = input
  // Suppression's choices depend on the order it meets cells and relations in: a canonical order (not the
  // order rows came from the database) makes the verdicts a function of the figures alone, so cells an
  // import does not touch keep their verdicts.
  const order = (a: DerivedCell, b: DerivedCell) =>
    a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : areaOrder(a.area, b.area) || comparePeriods(a.period, b.period)
  const keys = [...derived.cells.values()].sort(order).map((c) => cellKey(c.area, c.period))
  const index = new Map(keys.map((k, i) => [k, i]))
  // The count each cell is built on: the value of a count, the numerator of a rate.
  const basis = (c: DerivedCell) => (unit === 'count' ? (c.numerator ?? c.value) : c.numerator)
  const values = new Float64Array(keys.length)
  const primary = new Uint8Array(keys.length)
  keys.forEach((k, i) => {
    const c = derived.cells.get(k)!
    values[i] = basis(c) ?? 0
    primary[i] = needsSuppression(unit, threshold, c) ? 1 : 0
  })

  const relations: Relation[] = []
  const relate = (totalKey: string, partKeys: readonly string[]) => {
    const t = index.get(totalKey)
    if (t === undefined || partKeys.length === 0 || basis(derived.cells.get(totalKey)!) === null) return
    const parts: number[] = []
    for (const k of partKeys) {
      const i = index.get(k)
      if (i === undefined || basis(derived.cells.get(k)!) === null) return
      parts.push(i)
    }
    let total = 0
    for (const i of parts) total += values[i]!
    if (Math.abs(total - values[t]!) > 1e-6) return // does not hold: nothing exact to learn from it
    relations.push({ total: t, parts })
  }

  const periodsOf = (area: AreaKey) => [...(derived.periodsOf.get(area) ?? [])].sort(comparePeriods)
  // Areas and their children in each layer, per period.
  const groups = new Map<string, { parent: number; layer: string; children: number[] }>()
  for (const l of input.links) {
    const layer = input.layerOf.get(l.child) ?? ''
    const k = `${l.parent}|${layer}`
    const g = groups.get(k) ?? groups.set(k, { parent: l.parent, layer, children: [] }).get(k)!
    g.children.push(l.child)
  }
  const sortedGroups = [...groups.values()].sort((a, b) => a.parent - b.parent || (a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : 0))
  for (const g of sortedGroups) {
    g.children.sort((a, b) => a - b)
    for (const period of periodsOf(g.parent)) relate(cellKey(g.parent, period), g.children.map((id) => cellKey(id, period)))
  }
  // The city and every layer that covers it.
  for (const period of periodsOf(CITY)) {
    for (const layer of input.partitionLayers) {
      const parts = (derived.byLayerPeriod.get(`${layer}|${period}`) ?? []).map((c) => c.area as number).sort((a, b) => a - b)
      relate(cellKey(CITY, period), parts.map((a) => cellKey(a, period)))
    }
  }
  // Longer periods and the shorter ones they are made of, per area and for the city.
  const areas = [...derived.periodsOf.keys()].sort(areaOrder)
  for (const area of areas) {
    const periods = derived.periodsOf.get(area)!
    for (const period of periodsOf(area)) {
      for (const parts of periodPartitions(period)) if (parts.every((p) => periods.has(p))) relate(cellKey(area, period), parts.map((p) => cellKey(area, p)))
    }
  }

  const result = secondarySuppression({ values, primary, relations, threshold })
  const hidden = new Map<string, Hidden>()
  keys.forEach((k, i) => {
    if (result.suppressed[i]) hidden.set(k, primary[i] ? 'primary' : 'secondary')
  })
  return { hidden, cells: keys.length, relations: relations.length, secondary: result.secondary.reduce((s, v) => s + v, 0) }
}

/** The city first, then areas by id. */
function areaOrder(a: AreaKey, b: AreaKey): number {
  if (a === b) return 0
  if (a === CITY) return -1
  if (b === CITY) return 1
  return a - b
}
