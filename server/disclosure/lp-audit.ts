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
 * near-exact value, whatever its size).
 *
 * ## How it is proved without one LP per bound
 *
 * The true values are a feasible point, so every feasible point the solver returns is a witness: a cell
 * that reaches value a in one and b in another has lo ≤ min(a, b) and hi ≥ max(a, b). Rounds of one LP
 * each push all unproven cells up (maximise Σ min(x_c, target_c)) or down, warm-started, and a cell is
 * proven as soon as its witnesses span the rule. Cells the rounds cannot prove get an exact LP of their
 * own (maximise x_c, minimise x_c): those are the violations. Witnesses only ever show bounds that hold,
 * so a cell proven this way is protected against the full LP attacker.
 *
 * Cells that are interchangeable for the attacker share one variable (the caller's `merge`: e.g. the
 * fully hidden areas of a layer under the same parents, whose sum is all that any relation sees); for
 * such a cell lo = 0, since the others can hold its whole share.
 */
import type { Relation } from './secondary'

/** The part of a HiGHS model (the `highs` package's persistent API) the audit uses. */
export interface LpModel {
  run(): unknown
  getModelStatus(): number
  getSolution(): { colValue: ArrayLike<number> }
  getObjectiveValue(): number
  changeColsCost(sel: { kind: 'set'; indices: Int32Array }, costs: Float64Array): unknown
  changeColCost(col: number, cost: number): unknown
  changeColsBounds(sel: { kind: 'set'; indices: Int32Array }, lower: Float64Array, upper: Float64Array): unknown
  changeObjectiveSense(sense: never): unknown
  options: { set(name: string, value: boolean | number | string): unknown }
  dispose?(): void
}

export interface LpSolver {
  createModel(data: unknown): LpModel
  constants: { objectiveSense: { minimize: never; maximize: never }; modelStatus: { optimal: number } }
}

export interface LpAuditInput {
  values: Float64Array
  suppressed: Uint8Array
  relations: ReadonlyArray<Relation>
  /** Inequalities an attacker also knows: Σ values[lesser] ≤ Σ values[greater] (containment between layers). */
  inequalities?: ReadonlyArray<{ lesser: readonly number[]; greater: readonly number[] }>
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
}

export interface LpAuditResult {
  /** Hidden cells the LP attacker narrows beyond the rule, with the bounds it proves. */
  violations: Array<{ cell: number; lo: number; hi: number }>
  /** Hidden cells whose audit did not finish within the budget (to be treated as unprotected). */
  unfinished: number[]
  variables: number
  rows: number
  rounds: number
  exactLps: number
}

const EPS = 1e-6

/** Audits a suppression pattern against the LP attacker (see the module comment). */
export function lpAudit(solver: LpSolver, input: LpAuditInput): LpAuditResult {
  const { values, suppressed, threshold, protection } = input
  const n = values.length
  const started = Date.now()
  const overBudget = () => input.budgetMs !== undefined && Date.now() - started > input.budgetMs
  // Variables: one per hidden cell, or per merged group.
  const varOf = new Int32Array(n).fill(-1)
  const merged: boolean[] = []
  const mergeVar = new Map<number, number>()
  let m = 0
  for (let c = 0; c < n; c++) {
    if (!suppressed[c]) continue
    const g = input.merge?.[c] ?? -1
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
  const truth = new Float64Array(m)
  for (let c = 0; c < n; c++) if (varOf[c]! >= 0) truth[varOf[c]!]! += values[c]!
  const empty: LpAuditResult = { violations: [], unfinished: [], variables: m, rows: 0, rounds: 0, exactLps: 0 }
  if (m === 0) return empty

  // Rows over the variables; shown cells move to the right-hand side. Duplicates (the same sum seen from two
  // layers) are dropped.
  const starts = [0]
  const index: number[] = []
  const coef: number[] = []
  const lower: number[] = []
  const upper: number[] = []
  const seen = new Set<string>()
  const addRow = (terms: Array<[number, number]>, lo: (rhs: number) => number, hi: (rhs: number) => number) => {
    let rhs = 0
    const e = new Map<number, number>()
    for (const [c, s] of terms) {
      const v = varOf[c]!
      if (v < 0) rhs -= s * values[c]!
      // A merged variable is the sum of its cells: a relation that holds them all holds it once.
      else if (merged[v]) e.set(v, s)
      else e.set(v, (e.get(v) ?? 0) + s)
    }
    const entries = [...e].filter(([, s]) => s !== 0).sort((a, b) => a[0] - b[0])
    if (entries.length === 0) return
    const key = `${entries.map(([v, s]) => `${v}:${s}`).join(',')}|${lo(rhs)}|${hi(rhs)}`
    if (seen.has(key)) return
    seen.add(key)
    for (const [v, s] of entries) {
      index.push(v)
      coef.push(s)
    }
    starts.push(index.length)
    lower.push(lo(rhs))
    upper.push(hi(rhs))
  }
  for (const r of input.relations) addRow([[r.total, -1], ...r.parts.map((p): [number, number] => [p, 1])], (b) => b, (b) => b)
  for (const q of input.inequalities ?? []) {
    addRow([...q.lesser.map((c): [number, number] => [c, 1]), ...q.greater.map((c): [number, number] => [c, -1])], () => -Infinity, (b) => b)
  }
  const baseRows = lower.length
  // Witness columns: y_j ≤ x_j (how far up), z_j ≤ truth_j − x_j (how far down), each capped per round.
  for (let j = 0; j < m; j++) {
    index.push(j, m + j)
    coef.push(-1, 1)
    starts.push(index.length)
    lower.push(-Infinity)
    upper.push(0)
  }
  for (let j = 0; j < m; j++) {
    index.push(j, 2 * m + j)
    coef.push(1, 1)
    starts.push(index.length)
    lower.push(-Infinity)
    upper.push(truth[j]!)
  }
  const rows = lower.length
  const cols = 3 * m
  const model = solver.createModel({
    numCols: cols,
    numRows: rows,
    sense: solver.constants.objectiveSense.maximize,
    colCost: new Float64Array(cols),
    // z is free below: x_j + z_j ≤ truth_j must not bound x.
    colLower: Float64Array.from({ length: cols }, (_, k) => (k >= 2 * m ? -Infinity : 0)),
    colUpper: new Float64Array(cols).fill(Infinity),
    rowLower: Float64Array.from(lower),
    rowUpper: Float64Array.from(upper),
    matrix: { format: 'csr', numRows: rows, numCols: cols, starts: Int32Array.from(starts), indices: Int32Array.from(index), values: Float64Array.from(coef) },
  })
  try {
    model.options.set('output_flag', false)
    // What the witnesses have shown so far. A merged variable's cells have lo = 0 (the group can hold all).
    const hiSeen = Float64Array.from(truth)
    const loSeen = Float64Array.from(truth, (t, j) => (merged[j] ? 0 : t))
    const wanted = new Uint8Array(m)
    for (let c = 0; c < n; c++) if (varOf[c]! >= 0 && (!input.audit || input.audit[c])) wanted[varOf[c]!] = 1
    const proven = (j: number) => !wanted[j] || (hiSeen[j]! >= threshold - EPS && hiSeen[j]! - loSeen[j]! >= protection - EPS)
    const open = () => {
      const out: number[] = []
      for (let j = 0; j < m; j++) if (!proven(j)) out.push(j)
      return out
    }
    const all = Int32Array.from({ length: m }, (_, j) => j)
    const zeros = new Float64Array(m)
    const free = new Float64Array(m).fill(-Infinity)
    const witness = () => {
      const x = model.getSolution().colValue
      for (let j = 0; j < m; j++) {
        const v = x[j]!
        if (v > hiSeen[j]!) hiSeen[j] = v
        if (!merged[j] && v < loSeen[j]!) loSeen[j] = v
      }
    }
    // A seeded generator: the rounds' weights vary, the verdicts do not depend on the run.
    let seed = 0x9e3779b9
    const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32)
    let rounds = 0
    let idle = 0
    for (let left = open(); left.length > 0 && idle < 3 && rounds < 2000 && !overBudget(); ) {
      const up = rounds % 2 === 0
      rounds++
      // Only the open cells count, each capped at what it still needs.
      const yCost = new Float64Array(m), zCost = new Float64Array(m)
      const yCap = new Float64Array(m), zCap = new Float64Array(m)
      for (const j of left) {
        if (up) {
          yCap[j] = Math.max(threshold, loSeen[j]! + protection)
          yCost[j] = 0.5 + random()
        } else {
          zCap[j] = Math.max(0, truth[j]! - (hiSeen[j]! - protection))
          zCost[j] = 0.5 + random()
        }
      }
      model.changeColsCost({ kind: 'set', indices: all.map((j) => m + j) }, yCost)
      model.changeColsCost({ kind: 'set', indices: all.map((j) => 2 * m + j) }, zCost)
      model.changeColsBounds({ kind: 'set', indices: all.map((j) => m + j) }, zeros, yCap)
      model.changeColsBounds({ kind: 'set', indices: all.map((j) => 2 * m + j) }, free, zCap)
      model.run()
      if (model.getModelStatus() !== solver.constants.modelStatus.optimal) {
        // The true values are feasible, so this is the solver failing (or relations that do not hold): nothing
        // is proven, and every open cell is reported as not reached.
        const unreached: number[] = []
        for (let c = 0; c < n; c++) if (varOf[c]! >= 0 && !proven(varOf[c]!)) unreached.push(c)
        return { violations: [], unfinished: unreached, variables: m, rows: baseRows, rounds, exactLps: 0 }
      }
      witness()
      const next = open()
      // A round costs about what an exact LP costs: worth it while it proves more than one cell.
      idle = left.length - next.length >= 2 ? 0 : idle + 1
      left = next
    }
    // The rest: exact bounds, one LP each way.
    model.changeColsCost({ kind: 'set', indices: Int32Array.from({ length: 2 * m }, (_, j) => m + j) }, new Float64Array(2 * m))
    const violations: LpAuditResult['violations'] = []
    const unfinished: number[] = []
    let exactLps = 0
    const bound = (j: number, sense: 'max' | 'min'): number => {
      exactLps++
      model.changeObjectiveSense(sense === 'max' ? solver.constants.objectiveSense.maximize : solver.constants.objectiveSense.minimize)
      model.changeColCost(j, 1)
      model.run()
      const status = model.getModelStatus()
      const optimal = status === solver.constants.modelStatus.optimal
      // Not optimal on a feasible problem (the truth is feasible) means unbounded: the cell can be any size.
      const value = optimal ? model.getObjectiveValue() : sense === 'max' ? Infinity : 0
      if (optimal) witness() // before the model changes again, which discards the solution
      model.changeColCost(j, 0)
      return value
    }
    const cellsOf = new Map<number, number[]>()
    for (let c = 0; c < n; c++) if (varOf[c]! >= 0) (cellsOf.get(varOf[c]!) ?? cellsOf.set(varOf[c]!, []).get(varOf[c]!)!).push(c)
    for (const j of open()) {
      if (proven(j)) continue // a witness from an earlier exact LP
      if (overBudget()) {
        unfinished.push(...cellsOf.get(j)!)
        continue
      }
      const hi = bound(j, 'max')
      const lo = merged[j] ? 0 : hiSeen[j]! >= threshold - EPS && hi - loSeen[j]! >= protection - EPS ? loSeen[j]! : bound(j, 'min')
      if (hi < threshold - EPS || hi - lo < protection - EPS) for (const c of cellsOf.get(j)!) violations.push({ cell: c, lo, hi })
    }
    return { violations, unfinished, variables: m, rows: baseRows, rounds, exactLps }
  } finally {
    model.dispose?.()
  }
}
