/**
 * Secondary suppression over one additive indicator's whole cube: every cell an outsider can see (every
 * area of every layer, every period, the city) as derived once by core/derivation, tied together by the
 * sums an attacker knows. A cell hidden on one page must not be recoverable from another. Pure: no db,
 * no http.
 */
import { cellKey, CITY, periodPartitions, type AreaKey, type DerivedCell, type DerivedCells, type Unit } from '../core/derivation'
import { comparePeriods } from '../core/period'
import { needsSuppression, zerosHoldNobody } from './primary'
import { lpAudit, type Inequality, type LpSolver } from './lp-audit'
import { secondarySuppression, type Relation } from './secondary'
import { withoutTables } from './unpublished'

/**
 * Why a cell is hidden outside the analyst role: too small (primary), to protect another (secondary), to
 * keep what a published release hid hidden or a small correction of what it showed unreadable (release), or
 * withheld because the LP audit of its part of the cube has not finished within its budget (unaudited), or
 * in a table not published at all because nearly all of it would be hidden (unpublished; see unpublished.ts).
 */
export type Hidden = 'primary' | 'secondary' | 'release' | 'unaudited' | 'unpublished'

export interface DisclosureCube {
  /** Hidden cells by cellKey(area | CITY, period); absent means shown. */
  hidden: Map<string, Hidden>
  cells: number
  relations: number
  /** Cells hidden that are not small themselves ('secondary' and 'release'). */
  secondary: number
  /** Cells hidden only because their part of the cube is not yet audited (reason 'unaudited'). */
  withheld: number
  /** Cells of tables not published (reason 'unpublished'): not part of the problem. */
  unpublished: number
  /** Containment inequalities between layers that do not nest that the audit held (CubeInput.overlay). */
  inequalities: number
  /** Whether the LP audit took a zero as safe (CubeProblem.zerosSafe). */
  zerosSafe: boolean
  audit: CubeAudit
}

/**
 * Which attacker the pattern was audited against. `unfinished`: hidden cells whose LP audit ran out of
 * budget; the parts of the cube they are in are withheld (`DisclosureCube.withheld`). `disclosed`: hidden
 * cells an earlier release already gave away (their bounds follow from its figures alone), left as they are.
 */
export type CubeAudit = { kind: 'interval' } | { kind: 'lp'; rounds: number; added: number; unfinished: number; disclosed?: number }

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
  /**
   * Areas of layers that do not nest in each other (DeSO, RegSO, hexagons, utsatta områden against
   * primärområden), as anyone can read them off the boundaries: per area and other layer, that layer's
   * areas lying within it and those it meets. Its count is at least theirs within and at most theirs it
   * meets: inequalities an LP attacker adds to the sums.
   */
  overlay?: ReadonlyArray<Overlay>
  /** Earlier published releases (snapshots) of these figures, oldest first: audited together with this one. */
  releases?: ReadonlyArray<Release>
  /**
   * Tables (`${layer}|${period}`) not published outside the analyst role (unpublished.ts's unpublishedTables):
   * their cells are hidden whole and left out of the problem with every sum and inequality holding one.
   */
  unpublished?: ReadonlySet<string>
  /** The indicator's category: whether a zero holds nobody follows from it and the unit (CubeProblem.zerosSafe). */
  category?: string
}

/** What a published release told the public: each cell it held, whether shown, and the true figures behind it then. */
export interface Release {
  cells: ReadonlyArray<{ key: string; shown: boolean; basis: Pick<DerivedCell, 'value' | 'numerator' | 'denominator'> }>
}

/**
 * Earlier releases as part of the suppression problem. A cell whose figures have not changed since a
 * release keeps its state (carried: stays hidden; known: public, stays shown and protects nothing). A cell
 * whose figures have changed is a problem cell of its own past n · tables, with its value then, hidden as
 * it was, in the sums of that release: an attacker holds both releases at once.
 */
export interface ReleaseLinks {
  carried: Uint8Array
  known: Uint8Array
  /** Per cell: its figures have changed since a release (so an old value of it is a cell of its own). */
  changed: Uint8Array
  /**
   * Per problem cell (n · tables; NaN: none): a correction of a value a release showed, by less than the
   * threshold, must not be published as it is: the cell is hidden and the attacker's bounds must allow a
   * difference of the threshold, up (atLeast = old + T) for an addition, down (atMost = old − T, at least 0)
   * for a removal.
   */
  atLeast: Float64Array
  atMost: Float64Array
  /**
   * A correction by less than the threshold of a value a release hid: the cell now and its old value (past
   * n · tables), whose difference the audit protects as a cell of its own (LpAuditInput.differences).
   */
  differences: Array<{ now: number; then: number }>
  /** Per problem cell: a small correction of what a release showed or hid, so hidden from the start. */
  corrected: Uint8Array
  values: Float64Array
  hidden: Uint8Array
  primary: Uint8Array
  relations: Relation[]
}

export interface Overlay {
  area: number
  within: readonly number[]
  meets: readonly number[]
}

/** Within this share of its land an area counts as lying inside another (boundaries drawn apart leave slivers). */
const WITHIN = 0.999

/**
 * The overlay between the primärområden and one layer that does not nest with them, from the land shares
 * the population derivation uses: `shares` as db/population.ts gives them for (that layer, primärområde)
 * (target: the layer's area, source: a primärområde, share: of the primärområde's land lying in it), `land`
 * each primärområde's area. Both ways: an area holds the primärområden within it and lies within those it
 * meets, and a primärområde likewise with the layer's areas (their land follows from the pieces).
 */
export function overlayOf(shares: ReadonlyArray<{ target: number; source: number; share: number }>, land: ReadonlyMap<number, number>): Overlay[] {
  const of = new Map<number, { within: number[]; meets: number[] }>()
  const entry = (area: number) => of.get(area) ?? of.set(area, { within: [], meets: [] }).get(area)!
  const areaLand = new Map<number, number>()
  for (const s of shares) areaLand.set(s.target, (areaLand.get(s.target) ?? 0) + s.share * (land.get(s.source) ?? 0))
  for (const s of shares) {
    if (!(s.share > 0)) continue
    const area = entry(s.target), prim = entry(s.source)
    area.meets.push(s.source)
    prim.meets.push(s.target)
    if (s.share >= WITHIN) area.within.push(s.source)
    const piece = s.share * (land.get(s.source) ?? 0)
    if (piece > 0 && piece >= WITHIN * areaLand.get(s.target)!) prim.within.push(s.target)
  }
  return [...of].map(([area, o]) => ({ area, within: o.within, meets: o.meets }))
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

/** The cube as a suppression problem: cell i of table t is problem cell t * n + i (n = keys.length). */
export interface CubeProblem {
  /** cellKey of every cell, in canonical order. */
  keys: string[]
  /** How many tables the unit is suppressed on (1, or 3 for a share). */
  tables: number
  values: Float64Array
  /** Per cell (not per table): 1 where the primary rule hides it. */
  primary: Uint8Array
  relations: Relation[]
  /** Σ values[lesser] ≤ Σ values[greater], from the overlay of layers that do not nest (only where it holds in the data). */
  inequalities?: Inequality[]
  /** Earlier published releases, where there are any. */
  releases?: ReleaseLinks
  /**
   * Per cell (not per table): a key shared by the cells an LP attacker cannot tell apart once all of their
   * areas' cells are hidden (leaf areas of one layer under the same parents, over the same periods), or ''.
   */
  mergeKey: string[]
  /** Per cell: index of its area in the cube (cells of one area share it). */
  cellArea: Int32Array
  /** cellKeys of the tables not published (unpublished.ts): hidden, and outside the problem. */
  unpublished?: string[]
  /**
   * Whether a zero is safe: the LP audit's rule is then for counts from 1 to the threshold − 1. A count of
   * events (crimes, incidents; a rate's numerator) that is 0 holds nobody, so showing that it is 0 discloses
   * no one (primary.ts's zerosHoldNobody). Never for a share's tables: 0 with the attribute says it of
   * everyone in the group. Zeros are still hidden, and kept from being exact under interval propagation by
   * the heuristic.
   */
  zerosSafe?: boolean
}

/**
 * Relations are taken only where they hold exactly in the data: one that does not hold tells an outsider
 * nothing exact either. A share's three tables are suppressed as one problem, and a cell hidden in any of
 * them is hidden in all (a hidden share hides its numerator and its denominator), repeated until the
 * pattern is the same in every table and passes the audit in each.
 */
export function cubeProblem(input: CubeInput): CubeProblem {
  const { unit, threshold } = input
  // Tables not published: out of the problem before anything is built on them. The overlay's inequalities
  // then fall on the longer periods still published (a quarter whose months are not).
  const { derived, removed: unpublished } = withoutTables(input.derived, input.unpublished ?? new Set())
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
  // Each area's periods in order, and each period's partitions, computed once: sorting periods parses
  // them, and a cube has tens of thousands of cells over a few dozen periods (20 s → 1 s after a 100 k-row
  // import).
  const sortedPeriods = new Map<AreaKey, string[]>()
  const periodsOf = (area: AreaKey) => {
    let out = sortedPeriods.get(area)
    if (!out) sortedPeriods.set(area, (out = [...(derived.periodsOf.get(area) ?? [])].sort(comparePeriods)))
    return out
  }
  const partitions = new Map<string, string[][]>()
  const partitionsOf = (period: string) => partitions.get(period) ?? partitions.set(period, periodPartitions(period)).get(period)!
  // One pass over the sums an attacker knows, for each table in turn.
  const relateAll = (relate: (totalKey: string, partKeys: readonly string[]) => void) => {
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
    // Identical areas (stadsområde and lokalpolisområde Hisingen: the same primärområden) are one cell: the
    // relation twin = twin makes a cell hidden in one hidden in the other.
    const byChildren = new Map<string, number[]>()
    for (const g of sortedGroups) {
      const k = `${g.layer}|${g.children.join(',')}`
      const same = byChildren.get(k) ?? byChildren.set(k, []).get(k)!
      for (const twin of same) {
        if (input.layerOf.get(twin) === input.layerOf.get(g.parent)) continue
        for (const period of periodsOf(g.parent)) relate(cellKey(g.parent, period), [cellKey(twin, period)])
      }
      same.push(g.parent)
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
        for (const parts of partitionsOf(period)) if (parts.every((p) => periods.has(p))) relate(cellKey(area, period), parts.map((p) => cellKey(area, p)))
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

  // Containment between layers that do not nest, per period the area and the areas it is bounded by have no
  // finer periods for together (longer periods follow from those and the period sums; where a finer period
  // is missing on either side, as for a table not published, the longer period's inequality is its own):
  // within ≤ area ≤ meets.
  const inequalities: Inequality[] = []
  tables.forEach((basis, t) => {
    const cellOf = (area: number, period: string) => {
      const k = cellKey(area, period)
      const i = index.get(k)
      return i === undefined || basis(derived.cells.get(k)!) === null ? -1 : t * n + i
    }
    const holds = (q: Inequality) => q.lesser.reduce((a, c) => a + values[c]!, 0) <= q.greater.reduce((a, c) => a + values[c]!, 0) + 1e-6
    for (const o of input.overlay ?? []) {
      const own = derived.periodsOf.get(o.area)
      if (!own) continue
      for (const period of periodsOf(o.area)) {
        const finer = (parts: readonly string[]) =>
          parts.every((q) => own.has(q) && o.within.every((a) => derived.periodsOf.get(a)?.has(q)) && o.meets.every((a) => derived.periodsOf.get(a)?.has(q)))
        if (partitionsOf(period).some(finer)) continue
        const x = cellOf(o.area, period)
        if (x < 0) continue
        const within = o.within.map((a) => cellOf(a, period))
        const meets = o.meets.map((a) => cellOf(a, period))
        const lower = { lesser: within, greater: [x] }
        if (within.length > 0 && !within.includes(-1) && holds(lower)) inequalities.push(lower)
        const upper = { lesser: [x], greater: meets }
        if (meets.length > 0 && !meets.includes(-1) && holds(upper)) inequalities.push(upper)
      }
    }
  })

  const releases = input.releases?.length ? releaseLinks(input.releases, { unit, threshold, index, n, tables, values, relations }) : undefined

  // Leaf areas (no children, no twin) of one layer under the same parents over the same periods are
  // interchangeable for an attacker when all their cells are hidden (lp-audit.ts merges them).
  const parentsOf = new Map<number, number[]>()
  const notLeaf = new Set<number>()
  for (const l of input.links) {
    ;(parentsOf.get(l.child) ?? parentsOf.set(l.child, []).get(l.child)!).push(l.parent)
    notLeaf.add(l.parent)
  }
  const areaIndex = new Map<AreaKey, number>()
  const cellArea = new Int32Array(n)
  const mergeKey: string[] = new Array<string>(n).fill('')
  keys.forEach((k, i) => {
    const c = derived.cells.get(k)!
    let a = areaIndex.get(c.area)
    if (a === undefined) areaIndex.set(c.area, (a = areaIndex.size))
    cellArea[i] = a
    if (c.area === CITY || notLeaf.has(c.area)) return
    const periods = periodsOf(c.area).join(',')
    mergeKey[i] = `${c.layer}|${(parentsOf.get(c.area) ?? []).sort((x, y) => x - y).join(',')}|${periods}|${c.period}`
  })
  return { keys, tables: tables.length, values, primary, relations, inequalities, ...(releases ? { releases } : {}), mergeKey, cellArea, unpublished, zerosSafe: input.category !== undefined && zerosHoldNobody(unit, input.category) }
}

/** Earlier releases against this cube (see ReleaseLinks): which cells are unchanged, and the old sums of those that are not. */
function releaseLinks(
  releases: ReadonlyArray<Release>,
  cube: { unit: Unit; threshold: number; index: ReadonlyMap<string, number>; n: number; tables: Basis[]; values: Float64Array; relations: readonly Relation[] },
): ReleaseLinks {
  const { n, tables, values } = cube
  const N = n * tables.length
  const carried = new Uint8Array(n)
  const known = new Uint8Array(n)
  const changed = new Uint8Array(n)
  const atLeast = new Float64Array(N).fill(NaN)
  const atMost = new Float64Array(N).fill(NaN)
  const differences: ReleaseLinks['differences'] = []
  const corrected = new Uint8Array(N)
  const small = (d: number) => Math.abs(d) > 1e-9 && Math.abs(d) < cube.threshold
  const slotValues: number[] = []
  const slotHidden: number[] = []
  const slotPrimary: number[] = []
  const out: Relation[] = []
  for (const release of releases) {
    // Problem cell → the cell it was in this release: itself where unchanged, a new cell where changed.
    const then = new Map<number, number>()
    for (const c of release.cells) {
      const i = cube.index.get(c.key)
      if (i === undefined) continue
      const cell = { ...c.basis } as DerivedCell
      const old = tables.map((basis) => basis(cell) ?? 0)
      if (old.every((v, t) => Math.abs(v - values[t * n + i]!) < 1e-9)) {
        if (c.shown) known[i] = 1
        else carried[i] = 1
        old.forEach((_, t) => then.set(t * n + i, t * n + i))
        continue
      }
      changed[i] = 1
      const wasSmall = needsSuppression(cube.unit, cube.threshold, cell) ? 1 : 0
      old.forEach((v, t) => {
        const now = t * n + i, d = values[now]! - v
        if (small(d)) corrected[now] = 1
        if (c.shown) {
          if (small(d) && d > 0) atLeast[now] = Math.max(Number.isNaN(atLeast[now]!) ? -Infinity : atLeast[now]!, v + cube.threshold)
          if (small(d) && d < 0) atMost[now] = Math.min(Number.isNaN(atMost[now]!) ? Infinity : atMost[now]!, Math.max(0, v - cube.threshold))
        } else if (small(d)) differences.push({ now, then: N + slotValues.length })
        then.set(now, N + slotValues.length)
        slotValues.push(v)
        slotHidden.push(c.shown ? 0 : 1)
        slotPrimary.push(wasSmall)
      })
    }
    const valueOf = (c: number) => (c < N ? values[c]! : slotValues[c - N]!)
    // The release's sums: this cube's, over the cells it held, where they held then. Those over unchanged
    // cells only are this cube's own.
    for (const r of cube.relations) {
      const total = then.get(r.total)
      const parts: number[] = []
      for (const p of r.parts) {
        const q = then.get(p)
        if (q === undefined) break
        parts.push(q)
      }
      if (total === undefined || parts.length < r.parts.length) continue
      if (total < N && parts.every((p) => p < N)) continue
      if (Math.abs(valueOf(total) - parts.reduce((a, p) => a + valueOf(p), 0)) > 1e-6) continue
      out.push({ total, parts })
    }
  }
  // A cell one release showed is public, whatever another hid.
  for (let i = 0; i < n; i++) if (known[i]) carried[i] = 0
  return { carried, known, changed, atLeast, atMost, differences, corrected, values: Float64Array.from(slotValues), hidden: Uint8Array.from(slotHidden), primary: Uint8Array.from(slotPrimary), relations: out }
}

export interface LpOptions {
  solver: LpSolver
  /** Budget for the whole LP audit (ms); cells it does not reach keep the interval heuristic's verdict. */
  budgetMs?: number
}

export function disclosureCube(input: CubeInput, lp?: LpOptions): DisclosureCube {
  return protectCube(cubeProblem(input), input.threshold, lp)
}

/** Why problem cell i, hidden, is hidden: small, for an earlier release (carried or corrected), or to protect another. */
export function hiddenReason(problem: CubeProblem, i: number): Exclude<Hidden, 'unaudited' | 'unpublished'> {
  if (problem.primary[i]) return 'primary'
  const rel = problem.releases
  if (rel?.carried[i]) return 'release'
  const n = problem.keys.length
  for (let t = 0; t < problem.tables; t++) if (rel?.corrected[t * n + i]) return 'release'
  return 'secondary'
}

/**
 * Suppression of a cube problem: the interval heuristic (secondary.ts) on every table, coupled across a
 * share's tables, then the LP audit (lp-audit.ts) where a solver is given; each cell the LP attacker
 * narrows beyond the rule gets one more shown cell next to it hidden, and both run again until the audit
 * passes. Cells are only ever added, so this ends (at worst with everything connected hidden). With earlier
 * releases (ReleaseLinks), their unchanged hidden cells start hidden, their unchanged shown ones stay shown
 * and are never hidden to protect another, and the audit runs over all releases at once.
 */
export function protectCube(problem: CubeProblem, threshold: number, lp?: LpOptions): DisclosureCube {
  const { keys, tables, values, primary, relations } = problem
  const inequalities = problem.inequalities ?? []
  const n = keys.length
  const protection = threshold
  const couple = (suppressed: Uint8Array) => {
    const out = new Uint8Array(n * tables)
    for (let i = 0; i < n; i++) {
      let any = 0
      for (let t = 0; t < tables; t++) any |= suppressed[t * n + i]!
      for (let t = 0; t < tables; t++) out[t * n + i] = any
    }
    return out
  }
  /** The heuristic from a forced pattern, until it is the same in every table. */
  const heuristic = (forced: Uint8Array) => {
    let pattern = forced
    for (;;) {
      const { suppressed } = secondarySuppression({ values, primary: pattern, relations, inequalities, threshold, protection })
      const coupled = couple(suppressed)
      const stable = coupled.every((v, j) => v === suppressed[j])
      pattern = coupled
      if (stable) return pattern
    }
  }
  const N = n * tables
  const rel = problem.releases
  const start = new Uint8Array(N)
  for (let t = 0; t < tables; t++) {
    start.set(primary, t * n)
    // Hidden in an earlier release and unchanged since: hidden now too.
    if (rel) for (let i = 0; i < n; i++) start[t * n + i]! |= rel.carried[i]!
  }
  // A small correction of a published value, shown or hidden then: hidden, in every table of the cell (and
  // audited for it below: its bounds against the old value, or the difference of the two hidden values).
  const corrected = (c: number) => Boolean(rel?.corrected[c])
  if (rel) for (let c = 0; c < N; c++) if (corrected(c)) for (let t = 0; t < tables; t++) start[t * n + (c % n)] = 1
  // Shown in an earlier release and unchanged since: public, so hiding it would protect nothing. The LP audit
  // (which alone knows the releases) decides what else to hide; without it the heuristic's pattern stands.
  const settle = (p: Uint8Array) => {
    if (rel && lp) for (let c = 0; c < N; c++) if (rel.known[c % n] && !primary[c % n]) p[c] = 0
    return p
  }
  let pattern = settle(heuristic(start))

  let audit: CubeAudit = { kind: 'interval' }
  let withheld: Uint8Array | null = null
  if (lp) {
    // The problem with the earlier releases' changed cells past N (see ReleaseLinks).
    const S = rel?.values.length ?? 0
    const allValues = S ? Float64Array.from([...values, ...rel!.values]) : values
    const allRelations = S ? [...relations, ...rel!.relations] : relations
    // Where to look for a cell to hide next to a violation: its sums, and the overlay's inequalities (a cell
    // bounded by the areas it lies within or meets is widened only by hiding one of those).
    const neighbours = inequalities.length ? [...allRelations, ...inequalities.map((q) => ({ total: q.greater[0]!, parts: [...q.lesser, ...q.greater.slice(1)] }))] : allRelations
    const byCell = membersOf(N + S, neighbours)
    const merge = new Int32Array(N + S).fill(-1)
    const suppressedOf = (p: Uint8Array) => {
      const out = new Uint8Array(N + S)
      out.set(p)
      // Public through an earlier release, whatever this one hides: shown to the attacker.
      if (rel) for (let c = 0; c < N; c++) if (rel.known[c % n]) out[c] = 0
      if (S) out.set(rel!.hidden, N)
      return out
    }
    let lpRounds = 0, added = 0
    // Per violating cell, its upper bound in the last round and for how many rounds it has not risen: one
    // that has not for two is stalled.
    let lastHi = new Map<number, { hi: number; still: number }>()
    const stillOf = (v: { cell: number; hi: number }) => {
      const last = lastHi.get(v.cell)
      return last && v.hi <= last.hi + 1e-9 ? last.still + 1 : 0
    }
    let unfinished: number[] = []
    const disclosed = new Set<number>()
    // The rule is for the sensitive cells (tau-Argus's protection levels): a primary cell, in every table of
    // a share, and one an earlier release hid as a small count. A secondary cell holds a count at or above
    // the threshold, so pinning it discloses no small count; the heuristic still keeps it from being exact
    // under interval propagation.
    let toAudit = new Uint8Array(N + S)
    const sensitive = (v: number) => !problem.zerosSafe || v > 0
    for (let t = 0; t < tables; t++) for (let i = 0; i < n; i++) toAudit[t * n + i] = primary[i]! && !rel?.known[i] && sensitive(values[t * n + i]!) ? 1 : 0
    for (let j = 0; j < S; j++) toAudit[N + j] = rel!.hidden[j]! & rel!.primary[j]! & Number(sensitive(rel!.values[j]!))
    for (let c = 0; c < N; c++) if (corrected(c)) toAudit[c] = 1
    const targets = rel ? { atLeast: padded(rel.atLeast, N + S), atMost: padded(rel.atMost, N + S), differences: rel.differences } : {}
    const started = Date.now()
    for (;;) {
      lpRounds++
      // Merge only groups whose areas are hidden throughout.
      mergeGroups(problem, pattern, merge)
      const budgetMs = lp.budgetMs === undefined ? undefined : Math.max(0, lp.budgetMs - (Date.now() - started))
      let result: ReturnType<typeof lpAudit>
      const suppressed = suppressedOf(pattern)
      try {
        result = lpAudit(lp.solver, { values: allValues, suppressed, relations: allRelations, inequalities, threshold, protection, merge, audit: toAudit, ...targets, ...(budgetMs !== undefined ? { budgetMs } : {}) })
      } catch {
        // A solver failure proves nothing: every hidden cell counts as not reached.
        unfinished = []
        suppressed.forEach((v, c) => v && unfinished.push(c))
        break
      }
      unfinished = [...result.unfinished]
      if (result.violations.length === 0) break
      const forced = Uint8Array.from(pattern)
      // What may still be hidden: this release's shown cells that are not public already.
      const open = new Uint8Array(N + S)
      for (let c = 0; c < N; c++) open[c] = forced[c] || rel?.known[c % n] ? 0 : 1
      let grew = false
      // One more hidden cell per violation, unless one was just hidden in a relation of it: the next audit
      // shows whether that was enough (hiding one per violation at once would hide far more than needed).
      const touched = new Uint8Array(neighbours.length)
      for (const v of result.violations) {
        // Every shown cell of the rows that hold the bound is public already (an earlier release showed it):
        // the bound follows from what is public alone, so nothing this release hides or withholds changes it,
        // and hiding cells further out only hides in vain (69 rounds and 965 cells for four denominators a
        // release audited without the overlay left pinned). Counted, not fixed.
        if (v.near?.length && v.near.every((c) => c >= N || rel?.known[c % n])) {
          disclosed.add(v.cell)
          continue
        }
        // First a shown cell of a row that holds the bound (the solver's duals say which): hiding it loosens
        // that row, where the nearest shown cell may lie in one that does not bind.
        // Where the audit says how far hiding each can lift the bound (gain), only those that can close the
        // gap are worth it: most shown cells of the binding rows lift it by 0 (their duals cancel).
        const gap = Math.max(threshold - v.hi, protection - (v.hi - v.lo), 1)
        const lifts = new Map<number, number>()
        v.near?.forEach((c, x) => c < N && lifts.set(c, Math.max(lifts.get(c) ?? 0, v.gain?.[x] ?? Infinity)))
        const near = [...lifts.keys()].filter((c) => lifts.get(c)! > 1e-9)
        // Stalled: what was hidden for it in the last two rounds did not lift it. Then it gets a cell of its
        // own, of its own area first (a month pinned by its year and the other months' lower bounds: the year).
        const stalled = stillOf(v) >= 2
        if (near.length) {
          // Hidden for another violation just now, and able to lift this one: the next audit tells.
          if (!stalled && near.some((c) => forced[c] && !pattern[c] && (!v.gain || lifts.get(c)! >= gap))) continue
          const candidates = near.filter((c) => open[c])
          if (candidates.length > 0) {
            const own = (c: number) => (stalled && c < N && v.cell < N && problem.cellArea[c % n] === problem.cellArea[v.cell % n] ? 0 : 1)
            const enough = candidates.filter((c) => allValues[c]! >= gap && lifts.get(c)! >= gap).sort((a, b) => own(a) - own(b) || allValues[a]! - allValues[b]!)
            const c = enough[0] ?? candidates.sort((a, b) => lifts.get(b)! - lifts.get(a)! || allValues[b]! - allValues[a]!)[0]!
            forced[c] = 1
            open[c] = 0
            for (const k of byCell[c]!) touched[k] = 1
            grew = true
            added++
            continue
          }
        }
        if (byCell[v.cell]!.some((k) => touched[k])) continue
        for (const c of nearestShown(v.cell, byCell, neighbours, open, allValues)) {
          forced[c] = 1
          open[c] = 0
          for (const k of byCell[c]!) touched[k] = 1
          grew = true
          added++
        }
      }
      lastHi = new Map(result.violations.map((v) => [v.cell, { hi: v.hi, still: stillOf(v) }]))
      if (!grew) {
        // Nothing shown is left next to the violations: they are not protected, so they are withheld.
        for (const v of result.violations) if (!disclosed.has(v.cell)) unfinished.push(v.cell)
        break
      }
      pattern = settle(heuristic(couple(forced)))
      // Proven cells stay proven as the pattern grows (lp-audit.ts): audit the failed ones again, and those
      // not reached this round (hiding more cannot have proven them). Newly hidden cells are secondary.
      toAudit = new Uint8Array(N + S)
      for (const v of result.violations) toAudit[v.cell] = 1
      for (const c of result.unfinished) toAudit[c] = 1
    }
    audit = { kind: 'lp', rounds: lpRounds, added, unfinished: unfinished.length, ...(disclosed.size ? { disclosed: disclosed.size } : {}) }
    withheld = withheldCells(n, N, allRelations, inequalities, unfinished)
  }

  const hidden = new Map<string, Hidden>()
  let secondary = 0, withheldCount = 0
  keys.forEach((k, i) => {
    let hide = false
    for (let t = 0; t < tables; t++) hide ||= pattern[t * n + i] === 1
    if (hide) {
      hidden.set(k, hiddenReason(problem, i))
      if (!primary[i]) secondary++
    } else if (withheld?.[i] && !problem.releases?.known[i]) {
      // (A cell an earlier release showed is public: withholding it would protect nothing.)
      hidden.set(k, 'unaudited')
      withheldCount++
    }
  })
  return { hidden: withUnpublished(problem, hidden), cells: n, relations: relations.length, secondary, withheld: withheldCount, unpublished: problem.unpublished?.length ?? 0, inequalities: inequalities.length, zerosSafe: Boolean(problem.zerosSafe), audit }
}

/** The verdicts with the unpublished tables' cells hidden: a cell absent from `hidden` is shown. */
export function withUnpublished(problem: CubeProblem, hidden: Map<string, Hidden>): Map<string, Hidden> {
  for (const k of problem.unpublished ?? []) hidden.set(k, 'unpublished')
  return hidden
}

/**
 * Per cell (not per table): 1 where it must be withheld because a hidden cell its figures are tied to has
 * not been proven against the LP attacker. That is every cell of each connected part of the relations
 * holding an unproven one: with all of a part withheld an attacker knows nothing of it but that its cells are
 * ≥ 0, and the other parts share no sum with it, so their proofs stand as they are (a part is, say, one year
 * of the area hierarchy with its months and weeks). Coarser than the unproven cells' neighbours, but sound.
 */
function withheldCells(n: number, N: number, relations: readonly Relation[], inequalities: readonly Inequality[], unfinished: readonly number[]): Uint8Array | null {
  if (unfinished.length === 0) return null
  // Cell i of every table is node i; an earlier release's changed cell (past N) is a node of its own.
  let extra = 0
  for (const r of relations) for (const c of [r.total, ...r.parts]) extra = Math.max(extra, c - N + 1)
  for (const c of unfinished) extra = Math.max(extra, c - N + 1)
  const node = (c: number) => (c < N ? c % n : n + c - N)
  const parent = Int32Array.from({ length: n + extra }, (_, i) => i)
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!
    return x
  }
  const join = (cells: readonly number[]) => {
    const a = find(node(cells[0]!))
    for (const c of cells) {
      const b = find(node(c))
      if (a !== b) parent[b] = a
    }
  }
  for (const r of relations) join([r.total, ...r.parts])
  // An inequality ties its cells as a sum does: a withheld cell bounded by shown ones would say something.
  for (const q of inequalities) join([...q.lesser, ...q.greater])
  const open = new Set(unfinished.map((c) => find(node(c))))
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) if (open.has(find(i))) out[i] = 1
  return out
}

/** Relations each cell is a member of. */
function membersOf(cells: number, relations: readonly Relation[]): number[][] {
  const out: number[][] = Array.from({ length: cells }, () => [])
  relations.forEach((r, k) => {
    out[r.total]!.push(k)
    for (const p of r.parts) out[p]!.push(k)
  })
  return out
}

/** How many shown cells to hide at once around a violating cell whose own sums hold no shown cell. */
const FAR_BATCH = 8

/**
 * The shown cells to hide next to a violating one. In its own relations: the one with the smallest positive
 * value. Where all of those are hidden already, the LP pins it through a longer chain of sums, and one cell
 * further out at a time took dozens of audit rounds for one such cell (a stadsområde's half-year after a
 * 100 k-row import: 70): then the nearest shown cells of that distance, up to FAR_BATCH, smallest first.
 */
/** `open`: 1 where a cell may be hidden now (shown, and not public through an earlier release). */
function nearestShown(cell: number, byCell: number[][], relations: readonly Relation[], open: Uint8Array, values: Float64Array): number[] {
  let frontier = [cell]
  const seen = new Set(frontier)
  const rank = (y: number) => (values[y]! > 0 ? values[y]! : Infinity)
  for (let distance = 1; frontier.length > 0; distance++) {
    const shown: number[] = []
    const next: number[] = []
    for (const x of frontier) {
      for (const k of byCell[x]!) {
        const r = relations[k]!
        for (const y of [r.total, ...r.parts]) {
          if (seen.has(y)) continue
          seen.add(y)
          next.push(y)
          if (open[y]) shown.push(y)
        }
      }
    }
    if (shown.length > 0) {
      // Smallest positive first, ties (and zeros) in the order met: a stable sort keeps it canonical.
      shown.sort((a, b) => rank(a) - rank(b))
      return shown.slice(0, distance === 1 ? 1 : FAR_BATCH)
    }
    frontier = next
  }
  return []
}

/** `a` followed by NaN up to `length`. */
function padded(a: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN)
  out.set(a)
  return out
}

/** Merge groups (lp-audit.ts) of the current pattern: per merge key, only if every cell of every area in it is hidden. */
function mergeGroups(problem: CubeProblem, pattern: Uint8Array, merge: Int32Array) {
  const n = problem.keys.length
  const areaHidden = new Map<number, boolean>()
  for (let i = 0; i < n; i++) {
    const a = problem.cellArea[i]!
    // An area with a changed cell is in an earlier release's sums on its own (its old value is a cell of
    // its own there), so it is not interchangeable with its siblings; the others still are.
    let all = (areaHidden.get(a) ?? true) && !problem.releases?.changed[i]
    for (let t = 0; t < problem.tables; t++) all &&= pattern[t * n + i] === 1
    areaHidden.set(a, all)
  }
  const members = new Map<string, number[]>()
  for (let i = 0; i < n; i++) {
    const k = problem.mergeKey[i]!
    if (k && areaHidden.get(problem.cellArea[i]!)) (members.get(k) ?? members.set(k, []).get(k)!).push(i)
  }
  merge.fill(-1)
  let id = 0
  for (const cells of members.values()) {
    if (cells.length < 2) continue
    for (let t = 0; t < problem.tables; t++, id++) for (const i of cells) merge[t * n + i] = id
  }
}

/** The city first, then areas by id. */
function areaOrder(a: AreaKey, b: AreaKey): number {
  if (a === b) return 0
  if (a === CITY) return -1
  if (b === CITY) return 1
  return a - b
}
