/** Argument checks shared by the statistics functions: they throw before any work, with the culprit named. */

export interface VectorRule {
  /** Every element ≥ 0. */
  nonNegative?: boolean
  /** Every element > 0. */
  positive?: boolean
  /** Every element an integer (counts). */
  integer?: boolean
  /** NaN is accepted (e.g. p-values of areas without neighbours). */
  allowNaN?: boolean
  /** Every element in [0, 1] (p-values). */
  unit?: boolean
}

/** Checks an array-like of numbers and returns its length. */
export function checkVector(fn: string, name: string, v: unknown, rule: VectorRule = {}): number {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
    throw new TypeError(`${fn}: ${name} must be an array of numbers, got ${v === null ? 'null' : typeof v}`)
  }
  const a = v as ArrayLike<unknown>
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    if (typeof x !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${typeof x}`)
    if (Number.isNaN(x)) {
      if (rule.allowNaN) continue
      throw new RangeError(`${fn}: ${name}[${i}] is NaN`)
    }
    if (!Number.isFinite(x)) throw new RangeError(`${fn}: ${name}[${i}] must be finite, got ${x}`)
    if (rule.positive && !(x > 0)) throw new RangeError(`${fn}: ${name}[${i}] must be > 0, got ${x}`)
    if (rule.nonNegative && x < 0) throw new RangeError(`${fn}: ${name}[${i}] must be ≥ 0, got ${x}`)
    if (rule.integer && !Number.isInteger(x)) throw new RangeError(`${fn}: ${name}[${i}] must be an integer, got ${x}`)
    if (rule.unit && (x < 0 || x > 1)) throw new RangeError(`${fn}: ${name}[${i}] must be in [0, 1], got ${x}`)
  }
  return a.length
}

export function checkSameLength(fn: string, names: [string, string], a: number, b: number): void {
  if (a !== b) throw new RangeError(`${fn}: ${names[0]} has ${a} elements but ${names[1]} has ${b}`)
}

export interface ScalarRule {
  nonNegative?: boolean
  positive?: boolean
  integer?: boolean
  /** Inclusive bounds. */
  min?: number
  max?: number
}

export function checkScalar(fn: string, name: string, x: unknown, rule: ScalarRule = {}): number {
  if (typeof x !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof x}`)
  if (!Number.isFinite(x)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${x}`)
  if (rule.positive && !(x > 0)) throw new RangeError(`${fn}: ${name} must be > 0, got ${x}`)
  if (rule.nonNegative && x < 0) throw new RangeError(`${fn}: ${name} must be ≥ 0, got ${x}`)
  if (rule.integer && !Number.isInteger(x)) throw new RangeError(`${fn}: ${name} must be an integer, got ${x}`)
  if (rule.min !== undefined && x < rule.min) throw new RangeError(`${fn}: ${name} must be ≥ ${rule.min}, got ${x}`)
  if (rule.max !== undefined && x > rule.max) throw new RangeError(`${fn}: ${name} must be ≤ ${rule.max}, got ${x}`)
  return x
}

/**
 * Sum with Neumaier's compensation. R accumulates sum() and mean() in long double; compensation keeps our
 * global sums as close (the difference is then far below the 1e-9 we promise, also with huge values).
 */
export function accurateSum(v: ArrayLike<number>): number {
  let s = 0
  let c = 0
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!
    const t = s + x
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s
    s = t
  }
  return s + c
}

/** R's mean(): the sum divided by n, then corrected by the mean residual (a second pass). */
export function accurateMean(v: ArrayLike<number>): number {
  const n = v.length
  const s = accurateSum(v) / n
  let t = 0
  for (let i = 0; i < n; i++) t += v[i]! - s
  return s + t / n
}
