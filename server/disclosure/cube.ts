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

/** A count a cell holds in one of the tables its unit is suppressed on; null where it has none. */
type Basis = (c: DerivedCell) => number | null

/**
 * The tables a unit is suppressed on. A count: its value. A rate: its numerator (the denominator is the
 * public population). A share: the two groups its numerator and denominator count, those with the
 * attribute and those without, and their sum, the denominator; each adds up over areas like a count, so
 * each is a table an attacker can subtract in, and each cell ties the three together (d = n + c).
 */
function tablesOf(unit: Unit): Basis[] {
  if (unit === 'count') return [(c) => c.numerator ?? c.value]
  if (unit === 'percent') {
    return [(c) => c.numerator, (c) => (c.numerator !== null && c.denominator !== null ? c.denominator - c.numerator : null), (c) => c.denominator]
  }
  return [(c) => c.numerator]
}

/**
 * Relations are taken only where they hold exactly in the data: one that does not hold tells an outsider
 * nothing exact either. A share's three tables are suppressed as one problem, and a cell hidden in any of
 * them is hidden in all (a hidden share hides its numerator and its denominator), repeated until the
 * pattern is the same in every table and passes the audit in each.
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
  const n = keys.length
  const tables = tablesOf(unit)
  // Cell i of table t is problem cell t * n + i.
  const values = new Float64Array(n * tables.length)
  const primary = new Uint8Array(n)
  keys.forEach((k, i) => {
    const c = derived.cells.get(k)!
    tables.forEach((basis, t) => (values[t * n + i] = basis(c) ?? 0))
    primary[i] = needsSuppression(unit, threshold, c) ? 1 : 0
  })

  const relations: Relation[] = []
  // One pass over the sums an attacker knows, for each table in turn.
  const relateAll = (relate: (totalKey: string, partKeys: readonly string[]) => void) => {
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
  }
  tables.forEach((basis, t) => {
    relateAll((totalKey, partKeys) => {
      const ti = index.get(totalKey)
      if (ti === undefined || partKeys.length === 0 || basis(derived.cells.get(totalKey)!) === null) return
      const parts: number[] = []
      for (const k of partKeys) {
        const i = index.get(k)
        if (i === undefined || basis(derived.cells.get(k)!) === null) return
        parts.push(t * n + i)
      }
      let total = 0
      for (const i of parts) total += values[i]!
      if (Math.abs(total - values[t * n + ti]!) > 1e-6) return // does not hold: nothing exact to learn from it
      relations.push({ total: t * n + ti, parts })
    })
  })
  // A share's own cell: its denominator is its two groups.
  if (tables.length === 3) {
    keys.forEach((k, i) => {
      const c = derived.cells.get(k)!
      if (c.numerator !== null && c.denominator !== null) relations.push({ total: 2 * n + i, parts: [i, n + i] })
    })
  }

  // Hidden in one table, hidden in all: suppress again on the joint pattern until no table adds a cell.
  let pattern = new Uint8Array(n * tables.length)
  const couple = (suppressed: Uint8Array) => {
    const out = new Uint8Array(n * tables.length)
    for (let i = 0; i < n; i++) {
      let any = 0
      for (let t = 0; t < tables.length; t++) any |= suppressed[t * n + i]!
      for (let t = 0; t < tables.length; t++) out[t * n + i] = any
    }
    return out
  }
  for (let t = 0; t < tables.length; t++) pattern.set(primary, t * n)
  for (;;) {
    const { suppressed } = secondarySuppression({ values, primary: pattern, relations, threshold })
    const coupled = couple(suppressed)
    if (coupled.every((v, j) => v === suppressed[j])) {
      pattern = coupled
      break
    }
    pattern = coupled
  }

  const hidden = new Map<string, Hidden>()
  let secondary = 0
  keys.forEach((k, i) => {
    if (!pattern[i]) return
    hidden.set(k, primary[i] ? 'primary' : 'secondary')
    if (!primary[i]) secondary++
  })
  return { hidden, cells: n, relations: relations.length, secondary }
}

/** The city first, then areas by id. */
function areaOrder(a: AreaKey, b: AreaKey): number {
  if (a === b) return 0
  if (a === CITY) return -1
  if (b === CITY) return 1
  return a - b
}
