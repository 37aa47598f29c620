/**
 * The linear-programming attacker as an audit (as tau-Argus and sdcTable audit suppression patterns): for
 * every hidden cell, the least and the greatest value it can take given every published value, every
 * additive relation between cells at once, and that counts are ≥ 0. Interval propagation (secondary.ts)
 * looks at one relation at a time; an LP combines them (the classic 2×3 table where three sums together
 * pin a cell that each alone leaves open). Pure: the solver is passed in, no db, no http.
 *
 * ## The protection rule
 *
 * A hidden cell is protected when the attacker's upper bound is at least the threshold (it cannot be shown
 * to be a small count) and the interval [lo, hi] is at least `protection` wide (it cannot be narrowed to a
 * near-exact value). The rule is checked for the cells in `audit`: the caller passes the sensitive ones
 * (primary cells, as tau-Argus applies protection levels to sensitive cells only); a secondary cell holds a
 * count at or above the threshold, and what the attacker learns of it discloses no small count.
 *
 * ## How it is proved without one LP per bound
 *
 * The true values are a feasible point, so every feasible point the solver returns is a witness: a cell
 * that reaches value a in one and b in another has lo ≤ min(a, b) and hi ≥ max(a, b). Rounds of one LP
 * each push all unproven cells up (each bounded above by what it still needs, and by no less than its true
 * value, so the truth stays feasible) or down, with random weights, warm-started, and a cell is proven as
 * soon as its witnesses span the rule. Cells the rounds cannot prove get an exact LP of their own (maximise
 * x_c, minimise x_c): those are the violations. Before it, a near witness: a small LP around the cell, with
 * what the last witness moved free and everything else at its true value (sparse blocks, where a few
 * incidents could be in any of hundreds of cells and each needs a point of its own). After it, its duals:
 * a bound short of the threshold often holds a whole group (zeros a shown total pins), which then needs no
 * LP each. Witnesses only ever show bounds that hold, so a cell proven this way is protected against the
 * full LP attacker.
 *
 * The system falls apart into blocks that share no hidden cell (a year's cells, a week's); each is solved
 * on its own, which is far cheaper than one LP over all. Inequalities between layers that do not nest can join a year's
 * weeks across every layer into one block of thousands of variables; there the witnesses are first sought
 * piece by piece (what the sums alone join, the rest held at its true values), and only what they leave
 * open goes to the whole block. A budget bounds the whole audit, each solve
 * included; what it does not reach is reported as unfinished, never as proven.
 *
 * Cells that are interchangeable for the attacker share one variable (the caller's `merge`: e.g. the
 * fully hidden areas of a layer under the same parents, whose sum is all that any relation sees); for
 * such a cell lo = 0, since the others can hold its whole share.
 */
import { attackIntervals, type Inequality, type Relation } from './secondary'

/** The part of a HiGHS model (the `highs` package's persistent API) the audit uses. */
export interface LpModel {
  run(): unknown
  getModelStatus(): number
  getSolution(): { colValue: ArrayLike<number>; rowDual?: ArrayLike<number> }
  getObjectiveValue(): number
  changeColsCost(sel: { kind: 'set'; indices: Int32Array }, costs: Float64Array): unknown
  changeColCost(col: number, cost: number): unknown
  changeColsBounds(sel: { kind: 'set'; indices: Int32Array }, lower: Float64Array, upper: Float64Array): unknown
  options: { set(name: string, value: boolean | number | string): unknown }
  zeroAllClocks?(): unknown
  dispose?(): void
}

export interface LpSolver {
  createModel(data: unknown): LpModel
  constants: { objectiveSense: { maximize: never }; modelStatus: { optimal: number; unbounded: number } }
}

export type { Inequality }

export interface LpAuditInput {
  values: Float64Array
  suppressed: Uint8Array
  relations: ReadonlyArray<Relation>
  /** Inequalities an attacker also knows: Σ values[lesser] ≤ Σ values[greater] (containment between layers). */
  inequalities?: ReadonlyArray<Inequality>
  threshold: number
  protection: number
  /** Per cell: the variable of a group of interchangeable hidden cells it belongs to, or -1. */
  merge?: Int32Array
  /**
   * Cells to audit (1); the others are taken as proven. Hiding more cells only widens what an attacker must
   * allow, so a cell proven protected stays protected when the pattern grows: after adding suppressions,
   * only the cells that failed and the newly hidden ones need auditing again.
   */
  audit?: Uint8Array
  /** Wall-clock budget for the whole audit (ms); cells not proven by then are reported as unfinished. */
  budgetMs?: number
  /**
   * Per cell, targets of its own (NaN: none), for a correction between releases: the upper bound must reach
   * `atLeast` (in place of the threshold) and the lower bound must reach down to `atMost`, so that the
   * difference from a published value cannot be shown to be small.
   */
  atLeast?: Float64Array
  atMost?: Float64Array
  /**
   * Corrections between releases where both values are hidden: the cell now and the cell a release held.
   * Their difference is audited as a cell of its own: for an addition smaller than the threshold, the
   * attacker's greatest (now − then) must reach the threshold; for a removal, the least must reach down to
   * minus the threshold. A violation is reported on `now`. Neither cell may be merged.
   */
  differences?: ReadonlyArray<{ now: number; then: number }>
  /** Blocks of more variables than this that inequalities join are first proven piece by piece (default 1 500). */
  localFrom?: number
}

export interface LpAuditResult {
  /**
   * Hidden cells the LP attacker narrows beyond the rule, with the bounds it proves (a difference's, for one;
   * where the upper bound already falls short, lo is the least value a witness reached, not the exact bound,
   * and hi may be one another cell's LP proves, at least the exact one),
   * and the shown cells of the rows that bind those bounds (where the solver gives duals): hiding one of them
   * loosens what holds the cell. Where the upper bound falls short, `gain` says per near cell how far hiding
   * it can lift that bound at most (the same duals still bound the cell, the shown value now free; Infinity
   * where they no longer do): a cell of gain 0 there cannot help, whatever its value.
   */
  violations: Array<{ cell: number; lo: number; hi: number; near?: number[]; gain?: number[] }>
  /** Hidden cells whose audit did not finish within the budget (to be treated as unprotected). */
  unfinished: number[]
  variables: number
  rows: number
  rounds: number
  exactLps: number
  /** Cells proven by a near witness (a small LP around the cell) instead of an exact LP over the block. */
  nearWitnesses: number
}

const EPS = 1e-6

/** One LP variable per hidden cell, or per group of merged cells. */
function variables(input: LpAuditInput, merge: Int32Array | undefined) {
  const n = input.values.length
  const varOf = new Int32Array(n).fill(-1)
  const merged: boolean[] = []
  const mergeVar = new Map<number, number>()
  let m = 0
  for (let c = 0; c < n; c++) {
    if (!input.suppressed[c]) continue
    const g = merge?.[c] ?? -1
    if (g >= 0) {
      let v = mergeVar.get(g)
      if (v === undefined) {
        mergeVar.set(g, (v = m++))
        merged.push(true)
      }
      varOf[c] = v
    } else {
      varOf[c] = m++
      merged.push(false)
    }
  }
  return { varOf, merged, m }
}

/**
 * The caller's merge, without the groups whose cells are not interchangeable in the relations given. A
 * merged variable stands for the sum of its cells; that is exact when every relation holds either all of a
 * group's cells (a parent's sum) or one of them, with each of the others in a relation of the same shape
 * (each area's year and its months: one area's cells only, in the same place in every group). Then any
 * solution of the merged system splits back into cells (each area a fixed share of every group), and a
 * witness there is a witness for the cells. A relation that holds for one area and not for its sibling (one
 * that does not hold in the data is not given) would otherwise become a row the sum violates.
 */
function soundMerge(input: LpAuditInput): Int32Array | undefined {
  if (!input.merge) return undefined
  const merge = Int32Array.from(input.merge)
  for (;;) {
    const { varOf, merged } = variables(input, merge)
    const size = new Map<number, number>()
    // A cell's place in its group (groups list their cells in cell order: the same areas in the same order).
    const slot = new Int32Array(merge.length).fill(-1)
    for (let c = 0; c < merge.length; c++) {
      const v = varOf[c]!
      if (v >= 0 && merged[v]) {
        slot[c] = size.get(v) ?? 0
        size.set(v, slot[c]! + 1)
      }
    }
    const bad = new Set<number>()
    // Per group and row shape: the group's cells that appear alone in a relation of that shape.
    const alone = new Map<string, Set<number>>()
    // Sums (=) and the overlay's inequalities (≤) alike: a row's kind is part of its shape.
    const rows: Array<{ kind: string; terms: Array<[number, number]> }> = [
      ...input.relations.map((r) => ({ kind: '=', terms: [[r.total, -1], ...r.parts.map((p): [number, number] => [p, 1])] as Array<[number, number]> })),
      ...(input.inequalities ?? []).map((q) => ({ kind: '≤', terms: [...q.lesser.map((c): [number, number] => [c, 1]), ...q.greater.map((c): [number, number] => [c, -1])] })),
    ]
    for (const { kind, terms } of rows) {
      const inRow = new Map<number, Array<[number, number]>>()
      // Anything in the row but whole groups and one cell of each other group in the same place: a shown
      // cell, a hidden cell of no group, or cells of different places (they would not lift back to cells).
      let foreign = false
      for (const t of terms) {
        const v = varOf[t[0]]!
        if (v < 0 || !merged[v]) foreign = true
        else (inRow.get(v) ?? inRow.set(v, []).get(v)!).push(t)
      }
      if (inRow.size === 0) continue
      const places = new Set<number>()
      for (const [v, members] of inRow) if (members.length !== size.get(v)) for (const [c] of members) places.add(slot[c]!)
      if (places.size > 1) foreign = true
      const shape = kind + [...new Set(terms.filter(([c]) => varOf[c]! >= 0).map(([c, s]) => `${varOf[c]}:${s}`))].sort().join(',')
      for (const [v, members] of inRow) {
        if (members.some(([, s]) => s !== members[0]![1])) bad.add(v)
        else if (members.length === size.get(v)) continue
        else if (members.length > 1 || foreign) bad.add(v)
        else {
          const k = `${v}|${shape}`
          ;(alone.get(k) ?? alone.set(k, new Set()).get(k)!).add(members[0]![0])
        }
      }
    }
    for (const [k, members] of alone) {
      const v = Number(k.slice(0, k.indexOf('|')))
      if (members.size !== size.get(v)) bad.add(v)
    }
    if (bad.size === 0) return merge
    for (let c = 0; c < merge.length; c++) if (varOf[c]! >= 0 && bad.has(varOf[c]!)) merge[c] = -1
  }
}

/** A row of the attacker's system over the variables: lo ≤ Σ coef · x ≤ hi. */
interface Row {
  vars: number[]
  coefs: number[]
  lo: number
  hi: number
  /** An overlay inequality (a row that joins layers), not a sum. */
  ineq?: boolean
  /** The shown cells the row holds (their values are in lo and hi), and their coefficients in it. */
  shown?: number[]
  shownCoefs?: number[]
}

/**
 * The inequalities the sums do not already imply. Interval propagation over the sums gives bounds every
 * solution of them lies within (over the reals, as the LP); where the greatest Σ lesser − Σ greater those
 * bounds allow is ≤ 0, the inequality holds for every solution, so as a row it would only cost: it would join
 * blocks and split merge groups and narrow nothing.
 */
function bindingInequalities(input: LpAuditInput): Inequality[] {
  const all = input.inequalities ?? []
  if (all.length === 0) return []
  const { lo, hi } = attackIntervals(input.values, input.suppressed, input.relations, false)
  return all.filter((q) => q.lesser.reduce((a, c) => a + hi[c]!, 0) - q.greater.reduce((a, c) => a + lo[c]!, 0) > EPS)
}

/** Audits a suppression pattern against the LP attacker (see the module comment). */
export function lpAudit(solver: LpSolver, given: LpAuditInput): LpAuditResult {
  const input = given.inequalities?.length ? { ...given, inequalities: bindingInequalities(given) } : given
  const { values, suppressed, threshold, protection } = input
  const n = values.length
  const started = Date.now()
  const remainingMs = () => (input.budgetMs === undefined ? Infinity : input.budgetMs - (Date.now() - started))
  const overBudget = () => remainingMs() < 0
  // Variables: one per hidden cell, or per merged group.
  const { varOf, merged, m } = variables(input, soundMerge(input))
  const truth = new Float64Array(m)
  for (let c = 0; c < n; c++) if (varOf[c]! >= 0) truth[varOf[c]!]! += values[c]!
  const result: LpAuditResult = { violations: [], unfinished: [], variables: m, rows: 0, rounds: 0, exactLps: 0, nearWitnesses: 0 }
  if (m === 0) return result

  // Rows over the variables; shown cells move to the right-hand side. Duplicates (the same sum seen from two
  // layers) are dropped.
  const rows: Row[] = []
  const seen = new Set<string>()
  const addRow = (terms: Array<[number, number]>, lo: (rhs: number) => number, hi: (rhs: number) => number, ineq = false) => {
    let rhs = 0
    const e = new Map<number, number>()
    const shown: number[] = []
    const shownCoefs: number[] = []
    for (const [c, s] of terms) {
      const v = varOf[c]!
      if (v < 0) {
        rhs -= s * values[c]!
        shown.push(c)
        shownCoefs.push(s)
      }
      // A merged variable is the sum of its cells: a relation that holds them all holds it once.
      else if (merged[v]) e.set(v, s)
      else e.set(v, (e.get(v) ?? 0) + s)
    }
    const entries = [...e].filter(([, s]) => s !== 0).sort((a, b) => a[0] - b[0])
    if (entries.length === 0) return
    const row: Row = { vars: entries.map(([v]) => v), coefs: entries.map(([, s]) => s), lo: lo(rhs), hi: hi(rhs), ...(ineq ? { ineq } : {}), ...(shown.length ? { shown, shownCoefs } : {}) }
    const key = `${entries.map(([v, s]) => `${v}:${s}`).join(',')}|${row.lo}|${row.hi}`
    if (seen.has(key)) return
    seen.add(key)
    // The true values satisfy every row the attacker knows; a row they violate is a defect in the rows, and
    // an audit on it would prove nothing.
    let at = 0
    for (let k = 0; k < row.vars.length; k++) at += row.coefs[k]! * truth[row.vars[k]!]!
    if (at < row.lo - EPS || at > row.hi + EPS) throw new Error(`LP audit: a relation the true values violate (${key})`)
    rows.push(row)
  }
  for (const r of input.relations) addRow([[r.total, -1], ...r.parts.map((p): [number, number] => [p, 1])], (b) => b, (b) => b)
  for (const q of input.inequalities ?? []) {
    addRow([...q.lesser.map((c): [number, number] => [c, 1]), ...q.greater.map((c): [number, number] => [c, -1])], () => -Infinity, (b) => b, true)
  }
  result.rows = rows.length

  // What the witnesses have shown so far. A merged variable's cells have lo = 0 (the group can hold all).
  const hiSeen = Float64Array.from(truth)
  const loSeen = Float64Array.from(truth, (t, j) => (merged[j] ? 0 : t))
  const wanted = new Uint8Array(m)
  for (let c = 0; c < n; c++) if (varOf[c]! >= 0 && (!input.audit || input.audit[c])) wanted[varOf[c]!] = 1
  // What each variable's bounds must reach: the threshold above, and a cell's own targets where it has them.
  const needHi = new Float64Array(m).fill(threshold)
  const needLo = new Float64Array(m).fill(Infinity)
  for (let c = 0; c < n; c++) {
    const j = varOf[c]!
    if (j < 0) continue
    const up = input.atLeast?.[c], down = input.atMost?.[c]
    if (up !== undefined && !Number.isNaN(up)) needHi[j] = Math.max(needHi[j]!, up)
    if (down !== undefined && !Number.isNaN(down)) needLo[j] = Math.min(needLo[j]!, down)
  }
  const protects = (j: number, lo: number, hi: number) => hi >= needHi[j]! - EPS && hi - lo >= protection - EPS && lo <= needLo[j]! + EPS
  const proven = (j: number) => !wanted[j] || protects(j, loSeen[j]!, hiSeen[j]!)
  const pairProven = (p: Pair) => (p.up ? p.hiSeen >= threshold - EPS : p.loSeen <= -threshold + EPS)
  const cellsOf: number[][] = Array.from({ length: m }, () => [])
  for (let c = 0; c < n; c++) if (varOf[c]! >= 0) cellsOf[varOf[c]!]!.push(c)
  const pairs = differencePairs(input, varOf, merged, truth, result)

  // The system falls apart into independent blocks (rows only join hidden cells): one small LP per block
  // is far cheaper than one LP over all, and a block whose cells are all proven stops. Small blocks first:
  // within a budget, the most cells get their verdict.
  for (const block of blocks(m, rows, pairs).sort((a, b) => a.vars.length - b.vars.length)) {
    if (block.vars.every(proven) && block.pairs.every(pairProven)) continue
    if (overBudget()) {
      for (const j of block.vars) if (!proven(j)) result.unfinished.push(...cellsOf[j]!)
      for (const p of block.pairs) if (!pairProven(p)) result.unfinished.push(p.now)
      continue
    }
    const st: AuditState = { truth, values, merged, hiSeen, loSeen, proven, protects, pairProven, needHi, needLo, protection, overBudget, remainingMs }
    if (block.vars.length > (input.localFrom ?? LOCAL_FROM) && block.rows.some((r) => r.ineq)) localWitnesses(solver, block, st, result, cellsOf)
    auditBlock(solver, block, st, result, cellsOf)
  }
  return result
}

/**
 * A difference to audit (LpAuditInput.differences) over the variables: the witnesses' greatest and least
 * (now − then) so far, and which of them the rule needs (up: an addition).
 */
interface Pair {
  now: number
  vNow: number
  vThen: number
  up: boolean
  hiSeen: number
  loSeen: number
}

/** The differences to audit: both hidden, wanted, and smaller than the threshold (a larger one needs nothing). */
function differencePairs(input: LpAuditInput, varOf: Int32Array, merged: boolean[], truth: Float64Array, result: LpAuditResult): Pair[] {
  const out: Pair[] = []
  for (const { now, then } of input.differences ?? []) {
    const vNow = varOf[now]!, vThen = varOf[then]!
    if (vNow < 0 || vThen < 0 || vNow === vThen) continue
    if (input.audit && !input.audit[now] && !input.audit[then]) continue
    const d = input.values[now]! - input.values[then]!
    if (Math.abs(d) < EPS || Math.abs(d) >= input.threshold) continue
    // A merged variable is a group's sum, not the cell: its difference proves nothing (the caller merges neither).
    if (merged[vNow] || merged[vThen]) {
      result.unfinished.push(now)
      continue
    }
    const truthD = truth[vNow]! - truth[vThen]!
    out.push({ now, vNow, vThen, up: d > 0, hiSeen: truthD, loSeen: truthD })
  }
  return out
}

/** Connected blocks of the system: variables joined by rows (and by the differences audited). */
function blocks(m: number, rows: readonly Row[], pairs: readonly Pair[]): Array<{ vars: number[]; rows: Row[]; pairs: Pair[] }> {
  const parent = Int32Array.from({ length: m }, (_, j) => j)
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!
    return x
  }
  for (const r of rows) for (let k = 1; k < r.vars.length; k++) parent[find(r.vars[k]!)] = find(r.vars[0]!)
  for (const p of pairs) parent[find(p.vThen)] = find(p.vNow)
  const byRoot = new Map<number, { vars: number[]; rows: Row[]; pairs: Pair[] }>()
  const of = (j: number) => {
    const root = find(j)
    return byRoot.get(root) ?? byRoot.set(root, { vars: [], rows: [], pairs: [] }).get(root)!
  }
  for (let j = 0; j < m; j++) of(j).vars.push(j)
  for (const r of rows) of(r.vars[0]!).rows.push(r)
  for (const p of pairs) of(p.vNow).pairs.push(p)
  return [...byRoot.values()]
}

/** A block larger than this that inequalities join is first proven piece by piece (localWitnesses). */
const LOCAL_FROM = 1500
/**
 * Over a system of more than LOCAL_FROM variables that inequalities join, what a witness round must prove to
 * be worth another. A round there changes every cost and bound (about 14 ms over the 5 700 variables of a
 * year of weeks the overlay joins); an exact LP changes one cost and goes on from the last basis (about
 * 5 ms), and its point proves other cells too. The first audit round of such a cube, by this figure:
 * 2 → 34 s, 20 → 29 s, 60 → 21 s, 120 → 23 s.
 */
const PROVES_LARGE = 60
/**
 * A near witness (auditBlock) starts from a point that moved at most MOVED_AT_MOST cells from the truth and
 * frees the cell's neighbours HOPS rows out through rows of at most NARROW hidden cells. On the sparsest cube
 * measured (2 325 variables, 450 of 2 295 open cells violations), the first audit round's exact LPs by HOPS:
 * none 1 198, 1 876, 2 753, 3 310, 4 223, 6 226 (each near LP larger).
 */
const MOVED_AT_MOST = 200
const NARROW = 40
const HOPS = 4

/**
 * The rows that hold a free variable, restricted to the free ones: every other variable is held at its true
 * value, moved into the row's bounds. The truth is feasible, so a point of this smaller system, the rest at
 * the truth, is a point of the whole one: its values are witnesses all the same.
 */
function restrict(rows: Iterable<Row>, free: (v: number) => boolean, truth: Float64Array): Row[] {
  const out: Row[] = []
  for (const r of rows) {
    let fixed = 0
    const keep: number[] = [], coefs: number[] = []
    r.vars.forEach((v, k) => {
      if (free(v)) {
        keep.push(v)
        coefs.push(r.coefs[k]!)
      } else fixed += r.coefs[k]! * truth[v]!
    })
    if (keep.length > 0) out.push({ vars: keep, coefs, lo: r.lo - fixed, hi: r.hi - fixed, ...(r.ineq ? { ineq: true } : {}) })
  }
  return out
}

/** A HiGHS model (maximise, x ≥ 0, no costs) over `vars` and `rows`; `local` maps a variable to its column. */
function lpModel(solver: LpSolver, vars: readonly number[], rows: readonly Row[]): { model: LpModel; local: Map<number, number> } {
  const k = vars.length
  const local = new Map(vars.map((j, i) => [j, i]))
  const starts = [0]
  const index: number[] = []
  const coef: number[] = []
  for (const r of rows) {
    r.vars.forEach((v, t) => {
      index.push(local.get(v)!)
      coef.push(r.coefs[t]!)
    })
    starts.push(index.length)
  }
  const model = solver.createModel({
    numCols: k,
    numRows: rows.length,
    sense: solver.constants.objectiveSense.maximize,
    colCost: new Float64Array(k),
    colLower: new Float64Array(k),
    colUpper: new Float64Array(k).fill(Infinity),
    rowLower: Float64Array.from(rows, (r) => r.lo),
    rowUpper: Float64Array.from(rows, (r) => r.hi),
    matrix: { format: 'csr', numRows: rows.length, numCols: k, starts: Int32Array.from(starts), indices: Int32Array.from(index), values: Float64Array.from(coef) },
  })
  model.options.set('output_flag', false)
  return { model, local }
}

/**
 * Witnesses found piece by piece in a block the overlay's inequalities join (each year's weeks across every
 * layer: thousands of variables, where a round over the whole block costs seconds and proves few cells).
 * The pieces are what the sums alone join; each is pushed with the pieces its inequalities reach free beside
 * it and every other variable held at its true value. The true values are feasible, so a point of that
 * smaller system is a point of the whole one: a witness all the same. Only bounds that hold are ever shown;
 * what the pieces cannot prove goes to the whole block (auditBlock), which alone can show a violation.
 */
function localWitnesses(solver: LpSolver, block: { vars: number[]; rows: Row[]; pairs: Pair[] }, st: AuditState, result: LpAuditResult, cellsOf: number[][]): void {
  const parent = new Map(block.vars.map((j) => [j, j]))
  const find = (x: number): number => {
    for (let p = parent.get(x)!; p !== x; p = parent.get(x)!) {
      parent.set(x, parent.get(p)!)
      x = p
    }
    return x
  }
  const eq = block.rows.filter((r) => !r.ineq)
  const ineq = block.rows.filter((r) => r.ineq)
  for (const r of eq) for (let k = 1; k < r.vars.length; k++) parent.set(find(r.vars[k]!), find(r.vars[0]!))
  for (const p of block.pairs) parent.set(find(p.vThen), find(p.vNow))
  const pieces = new Map<number, number[]>()
  for (const j of block.vars) (pieces.get(find(j)) ?? pieces.set(find(j), []).get(find(j))!).push(j)
  const rowsOf = new Map<number, Row[]>()
  for (const r of block.rows) for (const p of new Set(r.vars.map(find))) (rowsOf.get(p) ?? rowsOf.set(p, []).get(p)!).push(r)
  const reach = new Map<number, Set<number>>()
  for (const r of ineq) {
    const touched = new Set(r.vars.map(find))
    for (const a of touched) for (const b of touched) if (a !== b) (reach.get(a) ?? reach.set(a, new Set()).get(a)!).add(b)
  }
  for (const [root, own] of [...pieces].sort((a, b) => a[1].length - b[1].length)) {
    if (st.overBudget()) return
    if (own.every(st.proven)) continue
    const inPiece = new Set([root, ...(reach.get(root) ?? [])])
    const vars = [...inPiece].flatMap((r) => pieces.get(r)!)
    // A piece whose system is the whole block: its rounds are the block's own, on the model its exact LPs
    // go on from (auditBlock), not on one built for them alone.
    if (vars.length === block.vars.length) continue
    const inside = new Set(vars)
    const rows = restrict(new Set([...inPiece].flatMap((p) => rowsOf.get(p) ?? [])), (v) => inside.has(v), st.truth)
    const pairs = block.pairs.filter((p) => inside.has(p.vNow) && inside.has(p.vThen))
    auditBlock(solver, { vars, rows, pairs }, st, result, cellsOf, new Set(own))
  }
}

interface AuditState {
  truth: Float64Array
  /** Per cell (not variable): its true value, for the shown cells the rows hold. */
  values: Float64Array
  merged: boolean[]
  hiSeen: Float64Array
  loSeen: Float64Array
  proven(j: number): boolean
  /** Whether bounds [lo, hi] of variable j meet its rule. */
  protects(j: number, lo: number, hi: number): boolean
  pairProven(p: Pair): boolean
  needHi: Float64Array
  needLo: Float64Array
  protection: number
  overBudget(): boolean
  remainingMs(): number
}

/** Witness rounds, then exact bounds, on one block; verdicts go into `result`. */
function auditBlock(solver: LpSolver, block: { vars: number[]; rows: Row[]; pairs: Pair[] }, st: AuditState, result: LpAuditResult, cellsOf: number[][], only?: ReadonlySet<number>) {
  const { truth, merged, hiSeen, loSeen, proven, protects, pairProven, needHi, needLo, protection } = st
  const vars = block.vars
  const k = vars.length
  const { model, local } = lpModel(solver, vars, block.rows)
  const all = Int32Array.from({ length: k }, (_, i) => i)
  const { optimal, unbounded } = solver.constants.modelStatus
  try {
    // HiGHS's presolve can take minutes on a row of a thousand hidden cells that the simplex alone solves in
    // a fraction of a second; later runs start from the last basis and would skip it anyway.
    model.options.set('presolve', 'off')
    // Devex pricing: the rounds change every cost and bound, and steepest edge's weights cost more to keep
    // up than they save (a third of the time on a year of weekly and monthly cells).
    model.options.set('simplex_dual_edge_weight_strategy', 1)
    // One solve stops at the budget too: a single hard LP can take minutes.
    const large = k > LOCAL_FROM && block.rows.some((r) => r.ineq)
    // The first solve of a large system starts from no basis: there the interior point method (with
    // crossover, which leaves a basis for the simplex runs after it) takes a third of the simplex's time
    // (0.8–1.2 s against 2–3.6 s over 6 300 variables the overlay joins).
    let cold = large
    const solve = (m = model) => {
      const left = st.remainingMs()
      if (left !== Infinity) {
        m.zeroAllClocks?.()
        m.options.set('time_limit', Math.max(0.001, left / 1000))
      }
      const ipm = cold && m === model
      if (ipm) m.options.set('solver', 'ipm')
      m.run()
      if (ipm) {
        m.options.set('solver', 'simplex')
        cold = false
      }
    }
    /** Block variable i takes value v in a feasible point. */
    const see = (i: number, v: number) => {
      const j = vars[i]!
      if (v > hiSeen[j]!) hiSeen[j] = v
      if (!merged[j] && v < loSeen[j]!) loSeen[j] = v
    }
    const witness = () => {
      const x = model.getSolution().colValue
      for (let i = 0; i < k; i++) see(i, x[i]!)
      for (const p of block.pairs) {
        const d = x[local.get(p.vNow)!]! - x[local.get(p.vThen)!]!
        if (d > p.hiSeen) p.hiSeen = d
        if (d < p.loSeen) p.loSeen = d
      }
    }
    const open = () => all.filter((i) => !proven(vars[i]!) && (!only || only.has(vars[i]!)))
    // A seeded generator: the rounds' weights vary, the verdicts do not depend on the run.
    let seed = 0x9e3779b9 ^ vars[0]!
    const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32)
    let rounds = 0
    let idle = 0
    /** How far up a cell need be pushed: what its rule needs, and no less than its truth (which stays feasible). */
    const capOf = (j: number) => Math.max(truth[j]!, needHi[j]!, loSeen[j]! + protection)
    // In a large system every bound a round changes sends the dual simplex far (2 s a round over 5 000
    // variables): there the open cells are capped at what they need once, and the rounds change only the
    // costs, so the primal simplex goes on from the last basis. The caps only shrink the system and the truth
    // stays within them: every point is still a witness. Rounds there go on only while each proves
    // PROVES_LARGE cells, so not where few are open (the LP rounds after the first re-audit a few dozen).
    const rounding = open().length > (large ? 2 * PROVES_LARGE : 0)
    if (large && rounding) {
      const upper = new Float64Array(k).fill(Infinity)
      for (const i of open()) {
        const j = vars[i]!
        upper[i] = capOf(j)
      }
      model.changeColsBounds({ kind: 'set', indices: all }, new Float64Array(k), upper)
      model.options.set('simplex_strategy', 4)
    }
    for (let left = rounding ? open() : []; left.length > (large ? 2 * PROVES_LARGE : 0) && idle < 3 && rounds < 2000 && !st.overBudget(); ) {
      // Up: the open cells, each bounded by what it still needs (above its truth, so the truth stays
      // feasible), pulled up with random weights; down likewise. The others are free and cost nothing.
      // Down only helps a cell above 0 (one at 0 already has lo = 0): when none is, every round goes up.
      const up = rounds % 2 === 0 || !left.some((i) => loSeen[vars[i]!]! > EPS)
      rounds++
      const cost = new Float64Array(k)
      const lower = new Float64Array(k)
      const upper = new Float64Array(k).fill(Infinity)
      for (const i of left) {
        const j = vars[i]!
        const w = 0.5 + random()
        if (large) cost[i] = up ? w : -w
        else if (up) {
          upper[i] = capOf(j)
          cost[i] = w
        } else {
          lower[i] = Math.max(0, Math.min(truth[j]!, hiSeen[j]! - protection, needLo[j]!))
          cost[i] = -w
        }
      }
      model.changeColsCost({ kind: 'set', indices: all }, cost)
      if (!large) model.changeColsBounds({ kind: 'set', indices: all }, lower, upper)
      solve()
      if (model.getModelStatus() !== optimal) break // the solver failing: what is left goes to the exact LPs
      witness()
      const next = open()
      // A round costs about what an exact LP costs: worth it while it proves more than one cell. In a large
      // system the overlay joins it costs about three, and an exact LP's point proves others too (PROVES_LARGE).
      idle = left.length - next.length >= (large ? PROVES_LARGE : 2) ? 0 : idle + 1
      left = next
    }
    result.rounds += rounds
    if (only) return // witnesses only (localWitnesses): verdicts need the whole block
    // The rest: exact bounds, one LP each way, over the attacker's whole system of this block.
    model.changeColsCost({ kind: 'set', indices: all }, new Float64Array(k))
    model.changeColsBounds({ kind: 'set', indices: all }, new Float64Array(k), new Float64Array(k).fill(Infinity))
    // From here on only the objective changes: the last basis stays feasible, and the primal simplex goes on
    // from it where the dual would start over (six times faster on a year of weeks the overlay joins).
    model.options.set('simplex_strategy', 4)
    /** Per bound just found: the shown cells of the rows with a dual (those that hold it). */
    const binding = new Map<number, number[]>()
    /**
     * Per variable: an upper bound some exact LP's dual proves for it too, with that LP's binding cells. The
     * duals y of max x_i combine the rows into Σ r_j x_j ≤ B (r = Aᵀy ≥ 0, B the rows' bounds weighed by y);
     * with x ≥ 0 that gives x_d ≤ B / r_d for every d with r_d > 0. One LP thus shows a whole group short of
     * the threshold at once (the zeros a shown total and its shown parts pin): their own LPs would only repeat it.
     */
    const capped = new Float64Array(k).fill(Infinity)
    const cappedBy = new Map<number, { near: number[]; gain: number[] }>()
    /**
     * The certificate of a bound short of the threshold: caps the other cells it holds, and gives per near
     * shown cell c how far hiding c can lift the bound. Hidden, c enters the rows it is in with its
     * coefficients s_q and their bounds move by s_q v_c; with r_c = Σ y_q s_q ≥ 0 the same duals still hold,
     * now with B + r_c v_c. Returns the gains for cell i, or null where the duals are not its certificate.
     */
    const certify = (duals: ArrayLike<number>, i: number, value: number, near: number[]): number[] | null => {
      const r = new Float64Array(k)
      const rShown = new Map<number, number>()
      let B = 0
      for (let q = 0; q < block.rows.length; q++) {
        const y = duals[q]!
        if (Math.abs(y) <= EPS) continue
        const row = block.rows[q]!
        const side = y > 0 ? row.hi : row.lo
        if (!Number.isFinite(side)) return null
        B += y * side
        for (let t = 0; t < row.vars.length; t++) r[local.get(row.vars[t]!)!]! += y * row.coefs[t]!
        row.shown?.forEach((c, t) => rShown.set(c, (rShown.get(c) ?? 0) + y * row.shownCoefs![t]!))
      }
      // Not the certificate of this bound (another sign convention, or the solver's tolerances): prove nothing.
      if (Math.abs(r[i]! - 1) > 1e-7 || Math.abs(B - value) > 1e-6 * Math.max(1, Math.abs(value))) return null
      for (let d = 0; d < k; d++) if (r[d]! < -1e-9) return null
      // Lifted by r_c v_c on x_i, so by r_c v_c / r_d on another cell d it caps.
      const lift = near.map((c) => {
        const rc = rShown.get(c) ?? 0
        return rc < -1e-9 ? Infinity : Math.max(0, rc) * st.values[c]!
      })
      for (let d = 0; d < k; d++) {
        if (r[d]! <= 1e-9 || d === i) continue
        const cap = B / r[d]!
        if (cap < capped[d]!) {
          capped[d] = cap
          cappedBy.set(d, { near, gain: lift.map((g) => g / r[d]!) })
        }
      }
      return lift
    }
    /** Per variable whose upper bound fell short: the gains of its near cells (certify). */
    const gains = new Map<number, number[]>()
    /**
     * Witnesses that cost far less than an exact LP. In a sparse block most open cells are zeros that the
     * same few incidents could move to (a dozen hidden somewhere within reach of hundreds of cells): each
     * needs a point of its own, and an exact LP over the block takes hundreds of pivots to find one. The
     * last point that reached its cell moved only a few cells from the truth (`moved`); a small LP over those,
     * the cell and its neighbours in narrow rows, everything else held at its true value, finds the move
     * for a sibling. A point of that restriction is a point of the whole system (the truth is feasible), so
     * it is a witness all the same; where it does not reach, the exact LP decides.
     */
    const rowsOf: number[][] = Array.from({ length: k }, () => [])
    block.rows.forEach((r, q) => r.vars.forEach((v) => rowsOf[local.get(v)!]!.push(q)))
    let moved: number[] = []
    const movedFrom = (x: ArrayLike<number>) => {
      const out: number[] = []
      for (let t = 0; t < k; t++) if (Math.abs(x[t]! - truth[vars[t]!]!) > EPS && out.push(t) > MOVED_AT_MOST) return []
      return out
    }
    const nearWitness = (i: number): void => {
      const free = new Set([i, ...moved])
      // The cell's neighbourhood, HOPS rows out through rows of at most NARROW cells: a row of every DeSO of
      // a month is left out (held at its truth, it lets the move pass only between cells already free).
      for (let hop = 0, ring = [i]; hop < HOPS; hop++) {
        const next: number[] = []
        for (const u of ring) {
          for (const q of rowsOf[u]!) {
            if (block.rows[q]!.vars.length > NARROW) continue
            for (const v of block.rows[q]!.vars) {
              const t = local.get(v)!
              if (free.has(t)) continue
              free.add(t)
              next.push(t)
            }
          }
        }
        ring = next
      }
      // Past half a large block it is no longer small: the exact LP, from its last basis, costs about the
      // same and decides (a near LP has no basis to start from).
      if (free.size > Math.max(k / 2, MOVED_AT_MOST)) return
      const F = [...free].map((t) => vars[t]!)
      const inF = new Set(F)
      const rows = new Set(F.flatMap((v) => rowsOf[local.get(v)!]!.map((q) => block.rows[q]!)))
      const { model: near } = lpModel(solver, F, restrict(rows, (v) => inF.has(v), truth))
      try {
        // The cell is column 0 (first in `free`), pulled up to what it needs.
        const j = vars[i]!
        near.changeColsBounds({ kind: 'set', indices: Int32Array.of(0) }, Float64Array.of(0), Float64Array.of(capOf(j)))
        near.changeColCost(0, 1)
        solve(near)
        if (near.getModelStatus() !== optimal) return
        const x = near.getSolution().colValue
        F.forEach((v, f) => see(local.get(v)!, x[f]!))
      } finally {
        near.dispose?.()
      }
    }
    /** The attacker's bound on x_i: a number, Infinity, or null where the solver did not finish. */
    const bound = (i: number, sense: 1 | -1): number | null => {
      result.exactLps++
      model.changeColCost(i, sense)
      solve()
      const status = model.getModelStatus()
      let value: number | null = null
      if (status === optimal) {
        value = sense * model.getObjectiveValue()
        witness() // before the model changes again, which discards the solution
        if (sense === 1 && value >= needHi[vars[i]!]! - EPS) moved = movedFrom(model.getSolution().colValue)
        const duals = model.getSolution().rowDual
        if (duals) {
          const near: number[] = []
          block.rows.forEach((r, k) => Math.abs(duals[k]!) > EPS && r.shown && near.push(...r.shown))
          binding.set(sense * (i + 1), near)
          // Only a bound short of the threshold can show others short of it.
          if (sense === 1 && value < needHi[vars[i]!]! - EPS) {
            const lift = certify(duals, i, value, near)
            if (lift) gains.set(i, lift)
          }
        }
      } else if (status === unbounded && sense === 1) value = Infinity
      model.changeColCost(i, 0)
      return value
    }
    for (const i of open()) {
      const j = vars[i]!
      if (proven(j)) continue // a witness from an earlier exact LP
      if (st.overBudget()) {
        result.unfinished.push(...cellsOf[j]!)
        continue
      }
      // Already shown short of the threshold by another cell's LP: a violation without an LP of its own.
      if (capped[i]! < needHi[j]! - EPS) {
        const by = cappedBy.get(i)
        for (const c of cellsOf[j]!) result.violations.push({ cell: c, lo: loSeen[j]!, hi: capped[i]!, ...(by?.near.length ? by : {}) })
        continue
      }
      if (moved.length > 0) {
        nearWitness(i)
        if (proven(j)) {
          result.nearWitnesses++
          continue
        }
      }
      const hi = bound(i, 1)
      // An upper bound short of what the cell needs is a violation whatever the lower bound: that exact LP
      // would only sharpen the report (a third of them on a cube the overlay joins).
      const short = hi !== null && hi < needHi[j]! - EPS
      const lo = hi === null ? null : merged[j] ? 0 : short || protects(j, loSeen[j]!, hi) ? loSeen[j]! : bound(i, -1)
      if (hi === null || lo === null) result.unfinished.push(...cellsOf[j]!)
      else if (!protects(j, lo, hi)) {
        // Short above: the upper bound's certificate says what can lift it. Otherwise both bounds' rows.
        const lift = short ? gains.get(i) : undefined
        const near = lift ? binding.get(i + 1)! : [...new Set([...(binding.get(i + 1) ?? []), ...(binding.get(-(i + 1)) ?? [])])]
        for (const c of cellsOf[j]!) result.violations.push({ cell: c, lo, hi, ...(near.length ? { near } : {}), ...(lift && near.length ? { gain: lift } : {}) })
      }
    }
    // The differences the witnesses have not shown to reach the threshold: one exact LP each, the way the
    // rule needs (greatest now − then for an addition, least for a removal).
    for (const p of block.pairs) {
      if (pairProven(p)) continue
      if (st.overBudget()) {
        result.unfinished.push(p.now)
        continue
      }
      const sense = p.up ? 1 : -1
      const [a, b] = [local.get(p.vNow)!, local.get(p.vThen)!]
      result.exactLps++
      model.changeColCost(a, sense)
      model.changeColCost(b, -sense)
      solve()
      const status = model.getModelStatus()
      if (status === optimal) witness()
      else if (status === unbounded && p.up) p.hiSeen = Infinity
      else if (status === unbounded) p.loSeen = -Infinity
      model.changeColCost(a, 0)
      model.changeColCost(b, 0)
      if (status !== optimal && status !== unbounded) result.unfinished.push(p.now)
      else if (!pairProven(p)) result.violations.push({ cell: p.now, lo: p.loSeen, hi: p.hiSeen })
    }
  } finally {
    model.dispose?.()
  }
}
