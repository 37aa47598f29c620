/**
 * Distribution functions accurate to about 1e-13 relative, also far in the tails, because p-values of hot
 * spots are reported (and FDR-adjusted) down to 1e-15 and below. They follow the algorithms R uses, so that
 * the fixtures from R (tests/fixtures/spdep/) match closely:
 * - the normal CDF: W. J. Cody's rational Chebyshev approximations (ACM TOMS 715, "ANORM"), as R's pnorm;
 * - the binomial density: C. Loader's saddle-point form (2000) with the Stirling error and bd0, as R's dbinom;
 * - the binomial CDF through the regularized incomplete beta function, evaluated by its continued fraction
 *   (modified Lentz) with the prefactor from the saddle-point density, which stays accurate for large n where
 *   exp(lgamma(a + b) − lgamma(a) − lgamma(b) + …) would lose digits;
 * - the beta quantile by safeguarded Newton steps on the log of the smaller tail.
 */
import { checkScalar } from './check'

const LN_SQRT_2PI = 0.918938533204672741780329736406 // log(sqrt(2π))
const LN_2PI = 1.837877066409345483560659472811 // log(2π)
const ONE_OVER_SQRT_2PI = 0.398942280401432677939946059934
const SQRT_32 = 5.656854249492380195206754896838
const DBL_EPSILON = 2.220446049250313e-16
const DBL_MIN = 2.2250738585072014e-308

// Cody's coefficients (ANORM). a/b: |x| ≤ 0.674…; c/d: up to √32; p/q: the asymptotic tail.
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113]
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956]
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
]
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
]
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303]
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5]

/** Both tails of the standard normal at x, as [P(X ≤ x), P(X > x)], without cancellation in either. */
function pnormBoth(x: number): [number, number] {
  if (Number.isNaN(x)) return [NaN, NaN]
  const y = Math.abs(x)
  let lower: number
  let upper: number
  if (y <= 0.67448975) {
    // Near 0 both tails are ≈ ½: the odd series x·R(x²) is added and subtracted.
    const xsq = y > DBL_EPSILON * 0.5 ? x * x : 0
    let num = A[4]! * xsq
    let den = xsq
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * xsq
      den = (den + B[i]!) * xsq
    }
    const t = (x * (num + A[3]!)) / (den + B[3]!)
    return [0.5 + t, 0.5 - t]
  }
  let r: number
  if (y <= SQRT_32) {
    let num = C[8]! * y
    let den = y
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y
      den = (den + D[i]!) * y
    }
    r = (num + C[7]!) / (den + D[7]!)
  } else {
    const xsq = 1 / (x * x)
    let num = P[5]! * xsq
    let den = xsq
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * xsq
      den = (den + Q[i]!) * xsq
    }
    r = (ONE_OVER_SQRT_2PI - (xsq * (num + P[4]!)) / (den + Q[4]!)) / y
  }
  // exp(−y²/2) split as exp(−s²/2)·exp(−(y−s)(y+s)/2) with s = y rounded down to 1/16: y² is then exact.
  const s = Math.trunc(y * 16) / 16
  const del = (y - s) * (y + s)
  const small = Math.exp(-s * s * 0.5) * Math.exp(-del * 0.5) * r
  if (x > 0) {
    lower = 1 - small
    upper = small
  } else {
    lower = small
    upper = 1 - small
  }
  // R returns exact 0 where the tail underflows to denormals (|x| ≥ 37.5193); keep the same answer.
  if (x >= 37.5193) upper = 0
  if (x <= -37.5193) lower = 0
  return [lower, upper]
}

/** Standard normal CDF, P(X ≤ x), or P(X > x) with lowerTail = false (R's pnorm). */
export function pNorm(x: number, lowerTail = true): number {
  if (typeof x !== 'number') throw new TypeError(`pNorm: x must be a number, got ${typeof x}`)
  const [lo, up] = pnormBoth(x)
  return lowerTail ? lo : up
}

/** Two-sided normal p-value 2·P(Z > |z|), R's 2*pnorm(-abs(z)). NaN stays NaN (no statistic, no p). */
export function pNormTwoSided(z: number): number {
  if (typeof z !== 'number') throw new TypeError(`pNormTwoSided: z must be a number, got ${typeof z}`)
  if (Number.isNaN(z)) return NaN
  return 2 * pnormBoth(-Math.abs(z))[0]
}

/** Complementary error function through the normal tail: erfc(x) = 2·P(Z > x√2). */
export function erfc(x: number): number {
  if (typeof x !== 'number') throw new TypeError(`erfc: x must be a number, got ${typeof x}`)
  return 2 * pnormBoth(x * Math.SQRT2)[1]
}

// Lanczos approximation (g = 7, 9 terms): ~1e-15 relative; only used off the integer/half-integer grid.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  checkScalar('logGamma', 'x', x, { positive: true })
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const xm = x - 1
  let s = LANCZOS[0]!
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (xm + i)
  const t = xm + 7.5
  return LN_SQRT_2PI + (xm + 0.5) * Math.log(t) - t + Math.log(s)
}

// Stirling error log(n!) − log(√(2πn)(n/e)^n) at 0, ½, 1, …, 15 (C. Loader's table).
const STIRLING_HALVES = [
  0, 0.1534264097200273452913848, 0.0810614667953272582196702, 0.054814121051917653896139,
  0.0413406959554092940938221, 0.03316287351993628748511048, 0.02767792568499833914878929,
  0.0237461636562974959713292, 0.02079067210376509311152277, 0.01848845053267318523077934,
  0.01664469118982119216319487, 0.01513497322191737887351255, 0.01387612882307074799874573,
  0.01281046524292022692424986, 0.01189670994589177009505572, 0.01110455975820691732662991,
  0.010411265261972096497478567, 0.009799416126158803298389475, 0.009255462182712732917728637,
  0.008768700134139385462952823, 0.008330563433362871256469318, 0.0079341145643140205472481,
  0.007573675487951840794972024, 0.007244554301320383179543912, 0.006942840107209529865664152,
  0.006665247032707682442354394, 0.006408994188004207068439631, 0.006171712263039457647532867,
  0.005951370112758847735624416, 0.005746216513010115682023589, 0.00555473355196280137103869,
]

function stirlerr(n: number): number {
  if (n <= 15) {
    const nn = n + n
    if (nn === Math.trunc(nn)) return STIRLING_HALVES[nn]!
    return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI
  }
  const nn = n * n
  const S0 = 1 / 12
  const S1 = 1 / 360
  const S2 = 1 / 1260
  const S3 = 1 / 1680
  const S4 = 1 / 1188
  if (n > 500) return (S0 - S1 / nn) / n
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
}

/** x·log(x/m) + m − x without cancellation when x ≈ m (Loader's bd0). */
function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m)
    let s = (x - m) * v
    if (Math.abs(s) < DBL_MIN) return s
    let ej = 2 * x * v
    v *= v
    for (let j = 1; j < 1000; j++) {
      ej *= v
      const s1 = s + ej / (2 * j + 1)
      if (s1 === s) return s1
      s = s1
    }
  }
  return x * Math.log(x / m) + m - x
}

/** Binomial density at real x for size n, success probability p and q = 1 − p given separately. */
function dbinomRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0
  if (q === 0) return x === n ? 1 : 0
  if (x === 0) {
    if (n === 0) return 1
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q))
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p))
  if (x < 0 || x > n) return 0
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q)
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n)
  return Math.exp(lc - 0.5 * lf)
}

function checkBinom(fn: string, size: number, prob: number): void {
  checkScalar(fn, 'size', size, { nonNegative: true, integer: true })
  checkScalar(fn, 'prob', prob, { min: 0, max: 1 })
}

/** Binomial probability P(X = x), R's dbinom (0 for non-integer x). */
export function dBinom(x: number, size: number, prob: number): number {
  checkScalar('dBinom', 'x', x)
  checkBinom('dBinom', size, prob)
  if (!Number.isInteger(x) || x < 0 || x > size) return 0
  return dbinomRaw(x, size, prob, 1 - prob)
}

const TINY = 1e-300

/** Continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified Lentz); converges for x < (a+1)/(a+b+2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  // Iterations grow like √max(a, b): 100 000 covers counts far beyond any area's.
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-16) return h
  }
  throw new Error(`incomplete beta: continued fraction did not converge (a=${a}, b=${b}, x=${x})`)
}

/** x^a (1−x)^b / (a·B(a, b)), the prefactor of the continued fraction; y = 1 − x given exactly. */
function betaFront(x: number, y: number, a: number, b: number): number {
  if (x === 0 || y === 0) return 0
  // = dbinom(a; a+b−1, x)·(1−x): Loader's form keeps full relative accuracy for large a and b.
  if (b >= 1) return dbinomRaw(a, a + b - 1, x, y) * y
  return Math.exp(a * Math.log(x) + b * Math.log(y) + logGamma(a + b) - logGamma(a + 1) - logGamma(b))
}

/** Both tails of the regularized incomplete beta I_x(a, b), each computed without cancellation. */
function pbetaBoth(x: number, y: number, a: number, b: number): [number, number] {
  if (x <= 0) return [0, 1]
  if (y <= 0) return [1, 0]
  if (x < (a + 1) / (a + b + 2)) {
    const lower = betaFront(x, y, a, b) * betaContinuedFraction(a, b, x)
    return [lower, 1 - lower]
  }
  const upper = betaFront(y, x, b, a) * betaContinuedFraction(b, a, y)
  return [1 - upper, upper]
}

/** Regularized incomplete beta function I_x(a, b) (R's pbeta), or 1 − I_x with lowerTail = false. */
export function pBeta(x: number, a: number, b: number, lowerTail = true): number {
  checkScalar('pBeta', 'x', x)
  checkScalar('pBeta', 'a', a, { positive: true })
  checkScalar('pBeta', 'b', b, { positive: true })
  const [lo, up] = pbetaBoth(Math.min(1, Math.max(0, x)), 1 - Math.min(1, Math.max(0, x)), a, b)
  return lowerTail ? lo : up
}

/** Binomial CDF P(X ≤ q), or P(X > q) with lowerTail = false (R's pbinom). */
export function pBinom(q: number, size: number, prob: number, lowerTail = true): number {
  checkScalar('pBinom', 'q', q)
  checkBinom('pBinom', size, prob)
  const k = Math.floor(q + 1e-7) // R's tolerance for integers given as doubles
  let lo: number
  let up: number
  if (k < 0) [lo, up] = [0, 1]
  else if (k >= size) [lo, up] = [1, 0]
  else {
    // P(X ≤ k) = I_{1−p}(n − k, k + 1); 1 − p and p passed separately, both exact.
    ;[lo, up] = pbetaBoth(1 - prob, prob, size - k, k + 1)
  }
  return lowerTail ? lo : up
}

/** Beta density, for Newton steps. */
function dbeta(x: number, a: number, b: number): number {
  return (betaFront(x, 1 - x, a, b) * a) / (x * (1 - x))
}

/**
 * Beta quantile (R's qbeta): the x with I_x(a, b) = p, or with 1 − I_x(a, b) = p when lowerTail = false.
 * Newton on the log of the requested tail keeps the relative accuracy when p is tiny; bisection on the
 * bracket takes over whenever a step would leave it.
 */
export function qBeta(p: number, a: number, b: number, lowerTail = true): number {
  checkScalar('qBeta', 'p', p, { min: 0, max: 1 })
  checkScalar('qBeta', 'a', a, { positive: true })
  checkScalar('qBeta', 'b', b, { positive: true })
  if (p === 0) return lowerTail ? 0 : 1
  if (p === 1) return lowerTail ? 1 : 0
  const tail = (x: number) => pbetaBoth(x, 1 - x, a, b)[lowerTail ? 0 : 1]
  const sign = lowerTail ? 1 : -1 // the tail grows with x for the lower tail
  let lo = 0
  let hi = 1
  let x = a / (a + b)
  const logP = Math.log(p)
  for (let it = 0; it < 300; it++) {
    const t = tail(x)
    if ((t - p) * sign > 0) hi = x
    else lo = x
    if (t === p) return x
    // Newton on g(x) = log tail(x) − log p: g' = ±dbeta/tail.
    let next = t > 0 ? x - (Math.log(t) - logP) / ((sign * dbeta(x, a, b)) / t) : NaN
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi)
    if (Math.abs(next - x) <= 4 * DBL_EPSILON * x || hi - lo <= 4 * DBL_EPSILON * lo) return next
    x = next
  }
  return x
}

/**
 * Exact two-sided binomial p-value as R's binom.test: the probability of all outcomes no more likely than
 * the observed one (with R's relative tolerance 1e-7, so that ties in the density are not lost to rounding).
 */
export function binomTestTwoSided(x: number, size: number, prob: number): number {
  checkScalar('binomTestTwoSided', 'x', x, { nonNegative: true, integer: true })
  checkBinom('binomTestTwoSided', size, prob)
  if (x > size) throw new RangeError(`binomTestTwoSided: x must be ≤ size, got x=${x}, size=${size}`)
  if (prob === 0) return x === 0 ? 1 : 0
  if (prob === 1) return x === size ? 1 : 0
  const q = 1 - prob
  const relErr = 1 + 1e-7
  const d = dbinomRaw(x, size, prob, q) * relErr
  const m = size * prob
  if (x === m) return 1
  let pval: number
  if (x < m) {
    // On [ceil(m), n] the density does not increase: the outcomes counted by R form a suffix [j, n].
    let lo = Math.ceil(m)
    let hi = size + 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (dbinomRaw(mid, size, prob, q) <= d) hi = mid
      else lo = mid + 1
    }
    pval = pBinom(x, size, prob) + (lo <= size ? pBinom(lo - 1, size, prob, false) : 0)
  } else {
    // On [0, floor(m)] the density does not decrease: the counted outcomes form a prefix [0, j − 1].
    let lo = 0
    let hi = Math.floor(m) + 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (dbinomRaw(mid, size, prob, q) <= d) lo = mid + 1
      else hi = mid
    }
    pval = (lo > 0 ? pBinom(lo - 1, size, prob) : 0) + pBinom(x - 1, size, prob, false)
  }
  return Math.min(1, pval)
}
