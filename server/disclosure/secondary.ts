/**
 * Secondary cell suppression: hides further cells so that no primary-suppressed cell (a count below the
 * threshold, see primary.ts) can be recovered — or even shown to be below the threshold — by subtracting
 * published cells from published totals. Pure: no db, no http.
 *
 * ## The attacker (protection criterion)
 *
 * The attacker knows every shown value exactly, every suppressed value only as ≥ 0 (not which
 * suppressed cells are primary) and every additive relation `total = Σ parts`. They narrow an interval
 * [lo, hi] per cell by interval propagation to a fixpoint: per relation, each part
 * x ≤ hi(total) − Σ lo(other parts) and x ≥ lo(total) − Σ hi(other parts), and
 * Σ lo(parts) ≤ total ≤ Σ hi(parts); with integer data lo is rounded up and hi down. Repeated exact
 * subtraction ("one unknown left in a relation") is a special case of this.
 * Given inequalities Σ lesser ≤ Σ greater (containment between layers that do not nest), the attacker
 * narrows over them too: each lesser x ≤ Σ hi(greater) − Σ lo(other lesser), each greater
 * y ≥ Σ lo(lesser) − Σ hi(other greater); the audit loosens those that bind, as it does the sums.
 *
 * After secondarySuppression every suppressed cell has hi ≥ threshold and an interval at least the
 * protection interval wide (and lo < hi): no suppressed cell can be proven small or narrowed to near its
 * value, and no secondary cell is hidden in name only. A secondary cell holds a value ≥ threshold, so
 * for it hi ≥ threshold follows from soundness; the width is what it needs.
 * This attacker is weaker than one solving linear programs over all relations at once (who can
 * sometimes combine relations more tightly than interval propagation; lp-audit.ts), as is usual for audit-based
 * suppression; it is the model the tests check against.
 *
 * ## Algorithm
 *
 * 1. Local rule, to a fixpoint over a worklist of relations: in a relation with a shown total, never
 *    exactly one suppressed part, and the suppressed parts must sum to ≥ threshold (else the attacker
 *    bounds each of them by that sum); a suppressed total needs at least one suppressed part (else it is
 *    the sum of shown parts). Fixes suppress the cheapest shown part (see pickPart: the smallest value
 *    that closes the gap, preferring one that also mends another relation, so that relations pair up
 *    on shared cells instead of each pulling in cells of its own), or the total when no shown part
 *    helps; every suppression re-queues the relations of that cell.
 * 2. Audit and fix: run the attacker (propagate) on the current pattern. Relations overlap (area
 *    hierarchies × period hierarchies), so propagation can raise lower bounds that lower other cells'
 *    upper bounds below what the local rule sees. For each violating cell, every relation that binds its
 *    bound gets one more suppressed part (or its total); when no such relation can help, the nearest
 *    shown cell in the relation graph is suppressed. Step 1 then runs again on what changed, and the
 *    audit repeats until it passes.
 *
 * Cells are never un-suppressed and every audit round that finds a violation suppresses at least one
 * new cell, so the loop ends (at worst with every cell of a connected component suppressed, where the
 * attacker learns nothing but lo = 0, hi = ∞). The result is a heuristic, not a minimum-cost pattern.
 *
 * ## Limits
 *
 * Propagation stops after MAX_SWEEPS sweeps, each over the relations that changed in the previous one.
 * Integer bounds only move in steps of ≥ 1; on area × period cubes (tests, tests/bench/suppression.ts)
 * it settles within 10 sweeps. A pathological system could need more than the cap, and then an attacker
 * who keeps going could narrow further than the audit checked.
 *
 * Relations need not hold exactly in the data: only their structure and the cells' own values are used.
 * Where they do not hold, the attacker's bounds can cross; they are clamped to a single value, which the
 * audit treats as pinned, so inconsistent data are protected by suppressing more.
 */

export interface SuppressionProblem {
  /** Count basis of every cell, >= 0 (usually integers). */
  values: Float64Array
  /** 1 where the cell is primary-suppressed (value below the threshold). */
  primary: Uint8Array
  /**
   * Additive relations: values[total] === sum(values[parts]) (the algorithm does not assume equality
   * holds exactly; it uses the structure). A cell may be a total in several relations and a part in many.
   */
  relations: ReadonlyArray<Relation>
  threshold: number
  /**
   * Protection interval: the attacker's interval of every suppressed cell must be at least this wide
   * (tau-Argus's sliding protection range). Default: any width (lo < hi), the least that is not exact.
   */
  protection?: number
  /**
   * Inequalities the attacker also knows (containment between layers that do not nest). The attacker
   * propagates over them as over the sums, and the audit loosens those that bind; the local rule is for sums.
   */
  inequalities?: ReadonlyArray<Inequality>
}

export interface Relation {
  total: number
  parts: readonly number[]
}

/** Σ values[lesser] ≤ Σ values[greater]: what an attacker reads off boundaries that do not nest. */
export interface Inequality {
  lesser: readonly number[]
  greater: readonly number[]
}

export interface SuppressionResult {
  /** 1 = suppressed (primary or secondary). */
  suppressed: Uint8Array
  /** 1 = suppressed by this algorithm although not primary. */
  secondary: Uint8Array
  /** Audit rounds that found a violation and suppressed more (0: the local rule was enough). */
  rounds: number
}

/** Cap on propagation sweeps (see Limits above). */
export const MAX_SWEEPS = 200

// Slack for comparisons of non-integer data; integer data are summed exactly in doubles.
const EPS = 1e-9

/** Relations flattened into typed arrays (CSR), plus the index cell → relations it takes part in. */
interface Graph {
  cells: number
  relCount: number
  /** Total cell per relation. */
  total: Int32Array
  /** parts[partStart[r] .. partStart[r + 1]) are the parts of relation r. */
  partStart: Int32Array
  parts: Int32Array
  /** cellRels[cellStart[c] .. cellStart[c + 1]) are the relations cell c is a total or a part of. */
  cellStart: Int32Array
  cellRels: Int32Array
}

function buildGraph(cells: number, relations: ReadonlyArray<Relation>): Graph {
  const relCount = relations.length
  const total = new Int32Array(relCount)
  const partStart = new Int32Array(relCount + 1)
  for (let r = 0; r < relCount; r++) partStart[r + 1] = partStart[r]! + relations[r]!.parts.length
  const parts = new Int32Array(partStart[relCount]!)
  const check = (c: number) => {
    if (!Number.isInteger(c) || c < 0 || c >= cells) throw new RangeError(`relation refers to cell ${c}, outside 0..${cells - 1}`)
    return c
  }
  for (let r = 0; r < relCount; r++) {
    const rel = relations[r]!
    total[r] = check(rel.total)
    let k = partStart[r]!
    for (const p of rel.parts) parts[k++] = check(p)
  }
  // A cell listed twice in one relation is listed twice here, which only costs a duplicate queue check.
  const { cellStart, index: cellRels } = byCell(cells, relCount, (r, visit) => {
    visit(total[r]!)
    for (let k = partStart[r]!; k < partStart[r + 1]!; k++) visit(parts[k]!)
  })
  return { cells, relCount, total, partStart, parts, cellStart, cellRels }
}

/** The rows each cell is in, by a counting sort of (cell, row) pairs: index[cellStart[c] .. cellStart[c + 1]). */
function byCell(cells: number, rows: number, membersOf: (r: number, visit: (c: number) => void) => void) {
  const cellStart = new Int32Array(cells + 1)
  for (let r = 0; r < rows; r++) membersOf(r, (c) => cellStart[c + 1]!++)
  for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!
  const fill = cellStart.slice(0, cells)
  const index = new Int32Array(cellStart[cells]!)
  for (let r = 0; r < rows; r++) membersOf(r, (c) => (index[fill[c]!++] = r))
  return { cellStart, index }
}

/** Inequalities flattened like the relations: members[start[q] .. start[q + 1]) with sign +1 (lesser) or −1 (greater). */
interface IneqGraph {
  count: number
  start: Int32Array
  members: Int32Array
  sign: Int8Array
  /** cellIneqs[cellStart[c] .. cellStart[c + 1]) are the inequalities cell c is in. */
  cellStart: Int32Array
  cellIneqs: Int32Array
}

function buildIneqs(cells: number, inequalities: ReadonlyArray<Inequality>): IneqGraph {
  const count = inequalities.length
  const start = new Int32Array(count + 1)
  inequalities.forEach((q, i) => (start[i + 1] = start[i]! + q.lesser.length + q.greater.length))
  const members = new Int32Array(start[count]!)
  const sign = new Int8Array(start[count]!)
  inequalities.forEach((q, i) => {
    let k = start[i]!
    for (const [list, s] of [[q.lesser, 1], [q.greater, -1]] as const) {
      for (const c of list) {
        if (!Number.isInteger(c) || c < 0 || c >= cells) throw new RangeError(`inequality refers to cell ${c}, outside 0..${cells - 1}`)
        members[k] = c
        sign[k++] = s
      }
    }
  })
  const { cellStart, index: cellIneqs } = byCell(cells, count, (i, visit) => {
    for (let k = start[i]!; k < start[i + 1]!; k++) visit(members[k]!)
  })
  return { count, start, members, sign, cellStart, cellIneqs }
}

/** The greatest Σ greater and least Σ lesser an inequality's members allow, infinite members counted apart. */
function ineqSums(q: IneqGraph, i: number, lo: Float64Array, hi: Float64Array) {
  let lessLo = 0, greatHi = 0, infinite = 0
  for (let k = q.start[i]!; k < q.start[i + 1]!; k++) {
    const c = q.members[k]!
    if (q.sign[k]! > 0) lessLo += lo[c]!
    else if (hi[c] === Infinity) infinite++
    else greatHi += hi[c]!
  }
  return { lessLo, greatHi, infinite }
}

/**
 * The attacker's bound on member k of inequality i: the upper bound of a lesser cell
 * (Σ hi(greater) − Σ lo(other lesser)), or the lower bound of a greater one (Σ lo(lesser) − Σ hi(other greater)).
 */
function ineqBound(q: IneqGraph, i: number, k: number, lo: Float64Array, hi: Float64Array): number {
  const { lessLo, greatHi, infinite } = ineqSums(q, i, lo, hi)
  const c = q.members[k]!
  if (q.sign[k]! > 0) return infinite ? Infinity : greatHi - (lessLo - lo[c]!)
  const others = hi[c] === Infinity ? (infinite === 1 ? greatHi : Infinity) : infinite ? Infinity : greatHi - hi[c]!
  return lessLo - others
}

const roundHi = (x: number) => Math.floor(x + EPS)
const roundLo = (x: number) => Math.ceil(x - EPS)
// With non-integer data, changes within rounding error are ignored: they are noise, and chasing them
// would only creep towards the fixpoint until the sweep cap.
const raises = (next: number, cur: number, integer: boolean) =>
  next > cur && (integer || next - cur > EPS * (1 + Math.abs(cur)))
const lowers = (next: number, cur: number, integer: boolean) =>
  next < cur && (integer || cur === Infinity || cur - next > EPS * (1 + Math.abs(cur)))

/**
 * The attacker: interval propagation over a worklist of relations, in sweeps (all relations queued by
 * the previous sweep), until nothing changes or MAX_SWEEPS. Fills lo and hi; returns the sweeps used.
 */
function propagate(g: Graph, values: Float64Array, suppressed: Uint8Array, integer: boolean, lo: Float64Array, hi: Float64Array, q?: IneqGraph): number {
  const { total, partStart, parts, cellStart, cellRels } = g
  for (let c = 0; c < g.cells; c++) {
    if (suppressed[c]) {
      lo[c] = 0
      hi[c] = Infinity
    } else {
      lo[c] = hi[c] = values[c]!
    }
  }
  let queue = new Int32Array(g.relCount)
  let next = new Int32Array(g.relCount)
  const queued = new Uint8Array(g.relCount)
  let size = 0
  // Only relations with a suppressed member can tell the attacker anything new.
  for (let r = 0; r < g.relCount; r++) {
    let any = suppressed[total[r]!]
    for (let k = partStart[r]!; !any && k < partStart[r + 1]!; k++) any = suppressed[parts[k]!]
    if (any) queue[size++] = r
  }
  let nextSize = 0
  /**
   * Narrows a hidden cell's interval and re-queues its relations if that changed anything. Shown cells
   * are known exactly and stay as they are. Where the data do not satisfy the relations exactly, the
   * bounds could cross; they are clamped to meet instead (the attacker then sees a single value, which
   * the audit treats as a disclosure), which also keeps every bound monotone and the loop finite.
   */
  const narrow = (c: number, nLo: number, nHi: number) => {
    if (!suppressed[c]) return
    if (integer) {
      nLo = roundLo(nLo)
      nHi = roundHi(nHi)
    }
    const cLo = lo[c]!, cHi = hi[c]!
    const down = lowers(nHi, cHi, integer)
    const newHi = down ? Math.max(nHi, cLo) : cHi
    const up = raises(nLo, cLo, integer)
    const newLo = up ? Math.min(nLo, newHi) : cLo
    if (newLo === cLo && newHi === cHi) return
    lo[c] = newLo
    hi[c] = newHi
    for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) {
      const r = cellRels[k]!
      if (!queued[r]) {
        queued[r] = 1
        next[nextSize++] = r
      }
    }
    if (q) {
      for (let k = q.cellStart[c]!; k < q.cellStart[c + 1]!; k++) {
        const i = q.cellIneqs[k]!
        if (!ineqQueued[i]) {
          ineqQueued[i] = 1
          ineqPending++
        }
      }
    }
  }
  // Inequalities: queued by flag, all looked at once per sweep (far fewer than the sums where they matter).
  const ineqQueued = new Uint8Array(q?.count ?? 0)
  let ineqPending = 0
  if (q) {
    for (let i = 0; i < q.count; i++) {
      for (let k = q.start[i]!; !ineqQueued[i] && k < q.start[i + 1]!; k++) if (suppressed[q.members[k]!]) ineqQueued[i] = 1
      ineqPending += ineqQueued[i]!
    }
  }
  const sweepIneqs = () => {
    if (!q) return
    const todo: number[] = []
    for (let i = 0; i < q.count; i++) if (ineqQueued[i]) todo.push(i)
    ineqQueued.fill(0)
    ineqPending = 0
    for (const i of todo) {
      for (let k = q.start[i]!; k < q.start[i + 1]!; k++) {
        const c = q.members[k]!
        if (!suppressed[c]) continue
        const b = ineqBound(q, i, k, lo, hi)
        if (q.sign[k]! > 0) narrow(c, lo[c]!, b)
        else narrow(c, b, hi[c]!)
      }
    }
  }

  let sweeps = 0
  while ((size > 0 || ineqPending > 0) && sweeps < MAX_SWEEPS) {
    sweeps++
    nextSize = 0
    sweepIneqs()
    for (let q = 0; q < size; q++) {
      const r = queue[q]!
      const start = partStart[r]!, end = partStart[r + 1]!
      // Sums over the parts; infinite upper bounds are counted apart so that "all but one part bounded"
      // still yields a lower bound for the unbounded one.
      let sumLo = 0, sumHi = 0, infinite = 0
      for (let k = start; k < end; k++) {
        const p = parts[k]!
        sumLo += lo[p]!
        const h = hi[p]!
        if (h === Infinity) infinite++
        else sumHi += h
      }
      const t = total[r]!
      narrow(t, sumLo, infinite ? Infinity : sumHi)
      const tLo = lo[t]!, tHi = hi[t]!
      // Stale sums (parts narrowed earlier in this loop) only give looser, still valid, bounds; the
      // relation is re-queued when anything changed, so the fixpoint is the same.
      for (let k = start; k < end; k++) {
        const p = parts[k]!
        if (!suppressed[p]) continue
        const pLo = lo[p]!, pHi = hi[p]!
        const otherHi = pHi === Infinity ? (infinite === 1 ? sumHi : Infinity) : infinite === 0 ? sumHi - pHi : Infinity
        narrow(p, tLo - otherHi, tHi - (sumLo - pLo))
      }
    }
    ;[queue, next] = [next, queue]
    size = nextSize
    for (let q = 0; q < size; q++) queued[queue[q]!] = 0
  }
  return sweeps
}

function suppressedCount(suppressed: Uint8Array): number {
  let k = 0
  for (let c = 0; c < suppressed.length; c++) k += suppressed[c]!
  return k
}

function allIntegers(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i]!)) return false
  return true
}

/**
 * The attacker's intervals for every cell (shown cells get [value, value]), e.g. to explain why a cell
 * is hidden. `integer` rounds the bounds inwards, as an attacker may when all counts are integers.
 */
export function attackIntervals(
  values: Float64Array,
  suppressed: Uint8Array,
  relations: ReadonlyArray<Relation>,
  integer = true,
  inequalities: ReadonlyArray<Inequality> = [],
): { lo: Float64Array; hi: Float64Array } {
  const g = buildGraph(values.length, relations)
  const lo = new Float64Array(values.length), hi = new Float64Array(values.length)
  propagate(g, values, suppressed, integer, lo, hi, inequalities.length ? buildIneqs(values.length, inequalities) : undefined)
  return { lo, hi }
}

export function secondarySuppression(p: SuppressionProblem): SuppressionResult {
  const { values, primary, threshold } = p
  const n = values.length
  if (primary.length !== n) throw new RangeError(`primary has ${primary.length} cells, values ${n}`)
  const g = buildGraph(n, p.relations)
  const q = p.inequalities?.length ? buildIneqs(n, p.inequalities) : undefined
  const { total, partStart, parts, cellStart, cellRels } = g
  const integer = allIntegers(values)
  const suppressed = Uint8Array.from(primary)

  // Worklist of relations for the local rule.
  const work = new Int32Array(g.relCount)
  const inWork = new Uint8Array(g.relCount)
  let head = 0, tail = 0, pending = 0
  const enqueue = (r: number) => {
    if (inWork[r]) return
    inWork[r] = 1
    work[tail] = r
    tail = tail + 1 === g.relCount ? 0 : tail + 1
    pending++
  }
  // Per relation: how many parts are hidden, and their sum. (A cell that is a part of its own relation's
  // total is degenerate and not counted; a part listed twice counts twice.)
  const hiddenParts = new Int32Array(g.relCount)
  const hiddenSum = new Float64Array(g.relCount)
  const countHidden = (r: number, c: number) => {
    hiddenParts[r] = hiddenParts[r]! + 1
    hiddenSum[r] = hiddenSum[r]! + values[c]!
  }
  for (let r = 0; r < g.relCount; r++) {
    for (let k = partStart[r]!; k < partStart[r + 1]!; k++) {
      const c = parts[k]!
      if (suppressed[c] && c !== total[r]) countHidden(r, c)
    }
  }
  // Relation → the audit round in which a member was last hidden (0: before the audit).
  const changedIn = new Int32Array(g.relCount)
  let rounds = 0
  const suppress = (c: number) => {
    suppressed[c] = 1
    for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) {
      const r = cellRels[k]!
      changedIn[r] = rounds
      if (total[r] !== c) countHidden(r, c)
      enqueue(r)
    }
  }
  /** Does relation r break the local rule (shown total, and one hidden part or a hidden sum < threshold)? */
  const deficient = (r: number) =>
    !suppressed[total[r]!] && hiddenParts[r]! > 0 && (hiddenParts[r] === 1 || hiddenSum[r]! < threshold - EPS)
  /** How many relations other than r, which c is a part of, break the local rule and c would mend. */
  const mends = (c: number, r: number): number => {
    let m = 0
    const v = values[c]!
    for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) {
      const q = cellRels[k]!
      if (q === r || total[q] === c || !deficient(q)) continue
      // A zero cannot raise a hidden sum, only end "one hidden part".
      if (v > 0 || hiddenSum[q]! >= threshold - EPS) m++
    }
    return m
  }

  /**
   * The shown part of relation r (other than `except`) that is cheapest to suppress: the smallest
   * positive value ≥ need (it closes the gap alone), else the largest positive one (closest to it); a
   * zero only when allowZero (it adds nothing to a sum but ends "one hidden part"). Within each class a
   * part that also mends another relation comes first: two relations pair up on it, where a part
   * elsewhere would need partners of its own (in a table this finds the rectangle). -1: none.
   */
  const pickPart = (r: number, except: number, need: number, allowZero: boolean): number => {
    let enough = -1, enoughMends = -1, largest = -1, largestMends = -1, zero = -1, zeroMends = -1
    for (let k = partStart[r]!; k < partStart[r + 1]!; k++) {
      const c = parts[k]!
      if (suppressed[c] || c === except) continue
      const v = values[c]!
      const m = mends(c, r)
      if (v > 0 && v >= need - EPS) {
        if (m > enoughMends || (m === enoughMends && v < values[enough]!)) enough = c, enoughMends = m
      } else if (v > 0) {
        if (m > largestMends || (m === largestMends && v > values[largest]!)) largest = c, largestMends = m
      } else if (m > zeroMends) zero = c, zeroMends = m
    }
    if (enough >= 0) return enough
    if (largest >= 0) return largest
    return allowZero ? zero : -1
  }

  /** Step 1 for one relation: suppresses until the local rule holds. */
  const enforceLocal = (r: number) => {
    const t = total[r]!
    const start = partStart[r]!, end = partStart[r + 1]!
    if (suppressed[t]) {
      // A hidden total with only shown parts is their sum.
      for (let k = start; k < end; k++) if (suppressed[parts[k]!]) return
      const c = pickPart(r, -1, 0, true)
      if (c >= 0) suppress(c)
      return
    }
    for (;;) {
      const count = hiddenParts[r]!, sum = hiddenSum[r]!
      if (count === 0 || (count >= 2 && sum >= threshold - EPS)) return
      // The attacker bounds each suppressed part by the suppressed sum (known: total − shown parts).
      const c = pickPart(r, -1, threshold - sum, sum >= threshold - EPS)
      if (c < 0) {
        // No shown part can help: hiding the total removes the relation's information.
        suppress(t)
        return
      }
      suppress(c)
    }
  }

  const runLocal = () => {
    while (pending > 0) {
      const r = work[head]!
      head = head + 1 === g.relCount ? 0 : head + 1
      pending--
      inWork[r] = 0
      enforceLocal(r)
    }
  }

  // Nothing to protect without primary cells.
  let anyPrimary = false
  for (let c = 0; c < n && !anyPrimary; c++) anyPrimary = primary[c] === 1
  if (!anyPrimary || g.relCount === 0) return { suppressed, secondary: new Uint8Array(n), rounds: 0 }

  for (let r = 0; r < g.relCount; r++) enqueue(r)
  runLocal()

  const lo = new Float64Array(n), hi = new Float64Array(n)
  // Relation → the audit round in which it last got a new suppression (0: never).
  const fixedIn = new Int32Array(g.relCount)
  // For the breadth-first fallback: cell → number of the search that visited it last.
  const visited = new Int32Array(n)
  let searches = 0
  const changedNear = (c: number) => {
    for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) if (rounds > 0 && changedIn[cellRels[k]!] === rounds) return true
    return false
  }

  // What the audit demands of a suppressed cell c: hi ≥ threshold, and lo < hi.
  const protection = p.protection ?? 0
  const gap = (c: number) => Math.max(protection, integer ? 1 : 2 * EPS * (1 + Math.abs(lo[c]!)))
  const tooLow = (c: number) => hi[c]! < threshold - EPS
  const pinned = (c: number) => hi[c]! - lo[c]! < gap(c) - EPS / 2

  /** The attacker's upper bound for cell c from relation r alone, at the current intervals. */
  const boundIn = (r: number, c: number): number => {
    const t = total[r]!
    let b = 0
    if (t === c) {
      for (let k = partStart[r]!; k < partStart[r + 1]!; k++) b += hi[parts[k]!]!
    } else {
      let self = false
      for (let k = partStart[r]!; k < partStart[r + 1]!; k++) {
        const q = parts[k]!
        // c is "itself" once, even if listed twice.
        if (q === c && !self) self = true
        else b -= lo[q]!
      }
      b += hi[t]!
    }
    return integer ? roundHi(b) : b
  }

  /** Suppresses the shown cell nearest to c in the relation graph, the smallest positive value first. */
  const suppressNearest = (c: number): boolean => {
    const stamp = ++searches
    visited[c] = stamp
    let frontier = [c]
    while (frontier.length > 0) {
      const reached: number[] = []
      let best = -1
      const visit = (y: number) => {
        if (visited[y] === stamp) return
        visited[y] = stamp
        reached.push(y)
        if (suppressed[y]) return
        const v = values[y]!, b = best < 0 ? NaN : values[best]!
        if (best < 0 || (v > 0 && (b <= 0 || v < b))) best = y
      }
      for (const x of frontier) {
        for (let k = cellStart[x]!; k < cellStart[x + 1]!; k++) {
          const r = cellRels[k]!
          visit(total[r]!)
          for (let j = partStart[r]!; j < partStart[r + 1]!; j++) visit(parts[j]!)
        }
        if (q) for (let k = q.cellStart[x]!; k < q.cellStart[x + 1]!; k++) for (let j = q.start[q.cellIneqs[k]!]!; j < q.start[q.cellIneqs[k]! + 1]!; j++) visit(q.members[j]!)
      }
      if (best >= 0) {
        suppress(best)
        return true
      }
      frontier = reached
    }
    return false
  }

  /**
   * Loosens every relation that holds c's upper bound below the target. One more suppressed part lowers
   * Σ lo(other parts) (or, where c is the total, raises Σ hi(parts)) by up to its value; where no shown
   * part is left, hiding a shown total removes the bound. Returns whether anything was (or, by another
   * cell this round, had already been) suppressed for c.
   */
  const loosen = (c: number, target: number): boolean => {
    let acted = false
    for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) {
      const r = cellRels[k]!
      const b = boundIn(r, c)
      if (b >= target - EPS) continue // not binding
      if (fixedIn[r] === rounds) {
        // Already loosened this round; the next audit shows whether that was enough.
        acted = true
        continue
      }
      let x = pickPart(r, c, target - b, false)
      if (x < 0 && total[r] !== c && !suppressed[total[r]!]) x = total[r]!
      if (x < 0) continue
      suppress(x)
      fixedIn[r] = rounds
      acted = true
    }
    if (q) acted = loosenIneqs(c, target) || acted
    return acted
  }

  // Inequality → the audit round in which it last got a new suppression (0: never).
  const ineqFixedIn = new Int32Array(q?.count ?? 0)
  /**
   * Loosens every inequality that holds c (on its lesser side) below the target: hides a shown lesser cell
   * that closes the gap alone (the smallest), else a shown greater cell (the smallest: its bound then comes
   * from its own sums), else the largest shown lesser cell.
   */
  const loosenIneqs = (c: number, target: number): boolean => {
    let acted = false
    for (let k = q!.cellStart[c]!; k < q!.cellStart[c + 1]!; k++) {
      const i = q!.cellIneqs[k]!
      for (let m = q!.start[i]!; m < q!.start[i + 1]!; m++) {
        if (q!.members[m] !== c || q!.sign[m]! < 0) continue
        const b = ineqBound(q!, i, m, lo, hi)
        if ((integer ? roundHi(b) : b) >= target - EPS) continue
        if (ineqFixedIn[i] === rounds) {
          acted = true
          continue
        }
        const need = target - b
        let enough = -1, greater = -1, largest = -1
        for (let j = q!.start[i]!; j < q!.start[i + 1]!; j++) {
          const x = q!.members[j]!, v = values[x]!
          if (suppressed[x] || x === c) continue
          if (q!.sign[j]! < 0) {
            if (greater < 0 || v < values[greater]!) greater = x
          } else if (v > 0 && v >= need - EPS) {
            if (enough < 0 || v < values[enough]!) enough = x
          } else if (v > 0 && (largest < 0 || v > values[largest]!)) largest = x
        }
        const x = enough >= 0 ? enough : greater >= 0 ? greater : largest
        if (x < 0) continue
        suppress(x)
        ineqFixedIn[i] = rounds
        acted = true
      }
    }
    return acted
  }

  for (;;) {
    propagate(g, values, suppressed, integer, lo, hi, q)
    const violating: number[] = []
    for (let c = 0; c < n; c++) if (suppressed[c] && (tooLow(c) || pinned(c))) violating.push(c)
    if (violating.length === 0) break
    rounds++
    const before = suppressedCount(suppressed)
    for (const c of violating) {
      // A bound below the threshold must be lifted to it; a pinned cell needs the protection interval.
      const target = tooLow(c) ? threshold : lo[c]! + gap(c)
      // The search is the last resort, and costly where much is hidden: not when a neighbour changed.
      if (!loosen(c, target) && !changedNear(c)) suppressNearest(c)
    }
    // Every round must suppress something, or the loop would not end. The relation-based fixes do
    // while propagation converges; the nearest-cell search covers the rest (sweep cap hit).
    if (suppressedCount(suppressed) === before) {
      for (const c of violating) if (suppressNearest(c)) break
      // Nothing left to hide next to any violating cell; cannot happen, as the attacker learns nothing
      // about a connected set of cells that are all hidden.
      if (suppressedCount(suppressed) === before) break
    }
    runLocal()
  }

  const secondary = new Uint8Array(n)
  for (let c = 0; c < n; c++) secondary[c] = suppressed[c]! & (primary[c] ? 0 : 1)
  return { suppressed, secondary, rounds }
}
