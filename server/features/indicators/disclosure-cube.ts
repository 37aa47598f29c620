import type { Kysely } from 'kysely'
import type { Database, IndicatorRow } from '../../../db/schema'
import { comparePeriods, parsePeriod } from '../../core/period'
import { needsSuppression, type Cell } from '../../disclosure/primary'
import { secondarySuppression, type Relation } from '../../disclosure/secondary'
import { allObservations, areaLinks, currentGridAreas, layerKinds } from './indicators.repository'

/** Why a cell is hidden outside the analyst role. */
export type Hidden = 'primary' | 'secondary'

/** The city as a whole has no area id; its cells are keyed by this. */
export const CITY = 'city'

/** Layers whose areas together make up the whole city: each one's cells add up to the city's. */
const PARTITION_KINDS = new Set(['admin', 'police', 'statistical', 'grid'])
/** The city's own value is the sum over this layer (as the values API forms it). */
const CITY_LAYER = 'stadsomrade'

export interface DisclosureCube {
  /** Hidden cells by `${areaId|CITY}|${period}`; absent means shown. */
  hidden: Map<string, Hidden>
  cells: number
  relations: number
  secondary: number
}

const key = (area: number | string, period: string) => `${area}|${period}`

interface Basis extends Cell {
  layer: string
}

/** A period's parts that sum to it: a year's halves, quarters and months; a half's quarters and months; a quarter's months. */
function partitionsOf(period: string): string[][] {
  const p = parsePeriod(period)
  if (!p) return []
  const y = p.year
  const months = (from: number, n: number) => Array.from({ length: n }, (_, i) => `${y}-${String(from + i).padStart(2, '0')}`)
  if (p.kind === 'year') return [[`${y}-H1`, `${y}-H2`], [`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`], months(1, 12)]
  if (p.kind === 'half') {
    const first = period.endsWith('H1') ? 1 : 7
    return [first === 1 ? [`${y}-Q1`, `${y}-Q2`] : [`${y}-Q3`, `${y}-Q4`], months(first, 6)]
  }
  if (p.kind === 'quarter') return [months((Number(period.slice(-1)) - 1) * 3 + 1, 3)]
  return []
}

/**
 * Builds every cell an outsider can see for one additive indicator — every area of every layer, every
 * period, the city — with the sums that tie them together, and runs secondary suppression over all of it
 * at once (a cell hidden on one page must not be recoverable from another). Relations are taken only
 * where they hold exactly in the data: one that does not hold tells an outsider nothing exact either.
 */
export async function buildDisclosureCube(db: Kysely<Database>, indicator: IndicatorRow, derived: Map<string, string>): Promise<DisclosureCube> {
  const [rows, links, kinds, grid] = await Promise.all([allObservations(db, indicator.id), areaLinks(db), layerKinds(db), currentGridAreas(db)])
  const cells = new Map<string, Basis>()
  const periodsOf = new Map<number | string, Set<string>>()
  const put = (area: number | string, period: string, c: Basis) => {
    cells.set(key(area, period), c)
    const s = periodsOf.get(area) ?? periodsOf.set(area, new Set()).get(area)!
    s.add(period)
  }
  for (const r of rows) put(r.area_id, r.period, { layer: r.layer_id, value: r.value, numerator: r.numerator, denominator: r.denominator, ciLow: null, ciHigh: null })

  // A grid stores only cells where something happened; the values API shows the others as zero, so they are cells too.
  const gridLayers = new Set(kinds.filter((k) => k.kind === 'grid').map((k) => k.id))
  if (indicator.unit === 'count' && gridLayers.size) {
    const gridPeriods = new Map<string, Set<string>>()
    for (const r of rows) if (gridLayers.has(r.layer_id)) (gridPeriods.get(r.layer_id) ?? gridPeriods.set(r.layer_id, new Set()).get(r.layer_id)!).add(r.period)
    for (const a of grid) {
      for (const period of gridPeriods.get(a.layer_id) ?? []) {
        if (!cells.has(key(a.id, period))) put(a.id, period, { layer: a.layer_id, value: 0, numerator: 0, denominator: null, ciLow: null, ciHigh: null })
      }
    }
  }

  // Counts stored per month are shown per quarter, half-year and year where every month is there.
  if (indicator.unit === 'count') {
    for (const [area, periods] of [...periodsOf]) {
      const years = new Set([...periods].filter((p) => parsePeriod(p)?.kind === 'month').map((p) => p.slice(0, 4)))
      for (const y of years) {
        for (const longer of [y, `${y}-H1`, `${y}-H2`, `${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`]) {
          if (periods.has(longer)) continue
          const months = partitionsOf(longer).at(-1)!
          const parts = months.map((m) => cells.get(key(area, m)))
          if (parts.some((c) => !c)) continue
          const numerators = parts.every((c) => c!.numerator !== null)
          put(area, longer, {
            layer: parts[0]!.layer,
            value: parts.reduce((s, c) => s + (c!.value ?? 0), 0),
            numerator: numerators ? parts.reduce((s, c) => s + c!.numerator!, 0) : null,
            denominator: null,
            ciLow: null,
            ciHigh: null,
          })
        }
      }
    }
  }

  // Layers summed from a layer nested in them (a stadsområde from its primärområden).
  const children = new Map<number, { layer: string; ids: number[] }[]>()
  for (const l of links) {
    const list = children.get(l.parent_id) ?? children.set(l.parent_id, []).get(l.parent_id)!
    let group = list.find((g) => g.layer === l.child_layer)
    if (!group) list.push((group = { layer: l.child_layer, ids: [] }))
    group.ids.push(l.child_id)
  }
  const parentsByLayer = new Map<string, number[]>()
  for (const l of links) {
    const list = parentsByLayer.get(l.parent_layer) ?? parentsByLayer.set(l.parent_layer, []).get(l.parent_layer)!
    if (!list.includes(l.parent_id)) list.push(l.parent_id)
  }
  for (const [layer, from] of derived) {
    for (const parent of parentsByLayer.get(layer) ?? []) {
      const group = children.get(parent)?.find((g) => g.layer === from)
      if (!group) continue
      const periods = new Set(group.ids.flatMap((id) => [...(periodsOf.get(id) ?? [])]))
      for (const period of periods) {
        const parts = group.ids.map((id) => cells.get(key(id, period)))
        if (parts.some((c) => !c)) continue
        const sum = (f: (c: Basis) => number | null) => (parts.every((c) => f(c!) !== null) ? parts.reduce((s, c) => s + f(c!)!, 0) : null)
        const numerator = sum((c) => c.numerator)
        const denominator = sum((c) => c.denominator)
        const value = indicator.unit === 'count' ? sum((c) => c.value) : numerator !== null && denominator ? numerator : null
        put(parent, period, { layer, value, numerator, denominator, ciLow: null, ciHigh: null })
      }
    }
  }

  // The city per period: the sum over the stadsområden, as the values API shows it.
  const byLayerPeriod = new Map<string, string[]>()
  for (const [k, c] of cells) {
    const lp = `${c.layer}|${k.slice(k.indexOf('|') + 1)}`
    const list = byLayerPeriod.get(lp) ?? byLayerPeriod.set(lp, []).get(lp)!
    list.push(k)
  }
  const allPeriods = new Set([...cells.keys()].map((k) => k.slice(k.indexOf('|') + 1)))
  for (const period of allPeriods) {
    const parts = (byLayerPeriod.get(`${CITY_LAYER}|${period}`) ?? []).map((k) => cells.get(k)!)
    if (parts.length === 0 || parts.some((c) => c.value === null)) continue
    const sum = (f: (c: Basis) => number | null) => (parts.every((c) => f(c) !== null) ? parts.reduce((s, c) => s + f(c)!, 0) : null)
    put(CITY, period, { layer: CITY, value: sum((c) => c.value), numerator: sum((c) => c.numerator), denominator: sum((c) => c.denominator), ciLow: null, ciHigh: null })
  }

  // The count each cell is built on: the value of a count, the numerator of a rate.
  const keys = [...cells.keys()]
  const index = new Map(keys.map((k, i) => [k, i]))
  const basis = (c: Basis) => (indicator.unit === 'count' ? (c.numerator ?? c.value) : c.numerator)
  const values = new Float64Array(keys.length)
  const primary = new Uint8Array(keys.length)
  keys.forEach((k, i) => {
    const c = cells.get(k)!
    values[i] = basis(c) ?? 0
    primary[i] = needsSuppression(indicator.unit, indicator.min_publish_count, c) ? 1 : 0
  })
  const relations: Relation[] = []
  const relate = (totalKey: string, partKeys: string[]) => {
    const t = index.get(totalKey)
    const parts: number[] = []
    for (const k of partKeys) {
      const i = index.get(k)
      if (i === undefined || basis(cells.get(k)!) === null) return
      parts.push(i)
    }
    if (t === undefined || parts.length === 0 || basis(cells.get(totalKey)!) === null) return
    let total = 0
    for (const i of parts) total += values[i]!
    if (Math.abs(total - values[t]!) > 1e-6) return // does not hold: nothing exact to learn from it
    relations.push({ total: t, parts })
  }
  // Areas and their children, per period.
  for (const [parent, groups] of children) {
    for (const period of periodsOf.get(parent) ?? []) {
      for (const g of groups) relate(key(parent, period), g.ids.map((id) => key(id, period)))
    }
  }
  // The city and every layer that covers it (a hexagon absent from a period holds nothing).
  const partitionLayers = kinds.filter((k) => PARTITION_KINDS.has(k.kind)).map((k) => k.id)
  for (const period of periodsOf.get(CITY) ?? []) {
    for (const layer of partitionLayers) relate(key(CITY, period), byLayerPeriod.get(`${layer}|${period}`) ?? [])
  }
  // Longer periods and the shorter ones they are made of, per area and for the city.
  for (const [area, periods] of periodsOf) {
    for (const period of periods) for (const parts of partitionsOf(period)) if (parts.every((p) => periods.has(p))) relate(key(area, period), parts.map((p) => key(area, p)))
  }

  const result = secondarySuppression({ values, primary, relations, threshold: indicator.min_publish_count })
  const hidden = new Map<string, Hidden>()
  keys.forEach((k, i) => {
    if (result.suppressed[i]) hidden.set(k, primary[i] ? 'primary' : 'secondary')
  })
  return { hidden, cells: keys.length, relations: relations.length, secondary: result.secondary.reduce((s, v) => s + v, 0) }
}

export const sortedPeriods = (s: Iterable<string>) => [...s].sort(comparePeriods)
