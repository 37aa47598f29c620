import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { changeTest, followUpStatus, interpretDisplacement, type StatusInput } from '../../server/core/evaluation'
import { displacement } from '../../server/statistics'

describe('the status rule of a follow-up', () => {
  const base: StatusInput = { baseline: 40, latest: 40, target: 30, latestPeriod: '2024', targetPeriod: '2026', polarity: 'higher_is_worse', test: null }
  const status = (over: Partial<StatusInput>) => followUpStatus({ ...base, ...over })

  it('is grön when the target is reached in its direction, whatever the test says', () => {
    expect(status({ latest: 30 })).toEqual({ status: 'gron', direction: 'down', reached: true })
    expect(status({ latest: 25, test: { p: 0.4, change: -1 } }).status).toBe('gron')
    // An upward target (a share of pupils qualified) is reached from below.
    expect(status({ baseline: 70, target: 80, latest: 81, polarity: 'higher_is_better' })).toMatchObject({ status: 'gron', direction: 'up' })
  })

  it('is grön when significantly better than the baseline before the target period', () => {
    expect(status({ latest: 34, test: { p: 0.01, change: -0.2 } }).status).toBe('gron')
    expect(status({ latest: 34, test: { p: 0.049, change: -0.2 } }).status).toBe('gron')
  })

  it('is röd when significantly worse, or when the target period has come without the target', () => {
    expect(status({ latest: 48, test: { p: 0.01, change: 0.2 } }).status).toBe('rod')
    expect(status({ latest: 34, latestPeriod: '2026' }).status).toBe('rod')
    // After the target period only the target counts: a significant improvement that falls short is röd.
    expect(status({ latest: 34, latestPeriod: '2026', test: { p: 0.001, change: -0.2 } }).status).toBe('rod')
    // A quarter is due when it ends with the target year, not before.
    expect(status({ latest: 34, latestPeriod: '2026-Q4' }).status).toBe('rod')
    expect(status({ latest: 34, latestPeriod: '2026-Q3' }).status).toBe('gul')
  })

  it('is gul while there is no significant change yet', () => {
    expect(status({ latest: 36, test: { p: 0.2, change: -0.1 } }).status).toBe('gul')
    expect(status({ latest: 44, test: { p: 0.06, change: 0.1 } }).status).toBe('gul')
    expect(status({ latest: 36 }).status).toBe('gul')
    expect(status({ latest: 34, test: { p: 0.05, change: -0.2 } }).status).toBe('gul')
  })

  it('reads the direction of a count from the rate, not the raw count', () => {
    // 40 → 39 crimes, but the population fell more: the rate rose significantly, so it is worse.
    expect(status({ latest: 39, test: { p: 0.01, change: 0.0001 } }).status).toBe('rod')
  })

  it('holds a level: the better side is the polarity; a neutral indicator must not move', () => {
    expect(status({ baseline: 30, target: 30, latest: 29 })).toMatchObject({ status: 'gron', direction: 'hold' })
    expect(status({ baseline: 30, target: 30, latest: 33, test: { p: 0.3, change: 1 } }).status).toBe('gul')
    expect(status({ baseline: 30, target: 30, latest: 45, test: { p: 0.01, change: 1 } }).status).toBe('rod')
    expect(status({ baseline: 30, target: 30, latest: 20, polarity: 'neutral', test: { p: 0.01, change: -1 } }).status).toBe('rod')
    expect(status({ baseline: 30, target: 30, latest: 30, polarity: 'neutral' }).status).toBe('gron')
  })
})

describe('the test of latest against baseline', () => {
  it('tests counts by rate with the population as exposure, else per period; shares by respondents', () => {
    expect(changeTest('count', { value: 30, suppressed: false, denominator: 12000 }, { value: 12, suppressed: false, denominator: 12500 })).toMatchObject({ test: 'poisson' })
    expect(changeTest('count', { value: 30, suppressed: false, denominator: 12000 }, { value: 12, suppressed: false, denominator: null })).toMatchObject({ test: 'poisson', estimate: 0.4 })
    expect(changeTest('percent', { value: 42, suppressed: false, numerator: 168, denominator: 400 }, { value: 32, suppressed: false, numerator: 131, denominator: 410 })).toMatchObject({ test: 'proportion' })
  })

  it('says why it does not test', () => {
    expect(changeTest('percent', { value: 42, suppressed: false }, { value: 32, suppressed: false })).toEqual({ test: null, why: expect.stringMatching(/svarande/) })
    expect(changeTest('index', { value: 1, suppressed: false }, { value: 2, suppressed: false })).toEqual({ test: null, why: expect.stringMatching(/index/) })
    expect(changeTest('rate_per_1000', { value: 1, suppressed: false }, { value: 2, suppressed: false }).test).toBeNull()
    expect(changeTest('count', { value: 2.5, suppressed: false }, { value: 2, suppressed: false }).test).toBeNull()
  })
})

/**
 * Fixture data and R 4's answers, recorded here so the test runs without R; when Rscript is installed the
 * same calls are run again live. Baseline first, latest second in our calls; R takes the latest first:
 *   count, population as exposure: poisson.test(c(12, 30), c(12500, 12000))
 *   count, no population:           poisson.test(c(12, 30), c(1, 1))
 *   count rising:                   poisson.test(c(21, 8), c(5100, 5000))
 *   count unchanged-ish:            poisson.test(c(19, 20), c(1, 1))
 *   survey share:                   prop.test(c(131, 168), c(410, 400), correct = FALSE)
 *   survey share, small change:     prop.test(c(37, 40), c(100, 100), correct = FALSE)
 * Recorded with options(digits = 17); sprintf("%.17g", c(t$p.value, t$estimate)) (for prop.test the
 * estimate is t$estimate[1] − t$estimate[2]).
 */
const R_CASES = [
  { kind: 'count', call: 'poisson.test(c(12, 30), c(12500, 12000))', baseline: { value: 30, denominator: 12000 }, latest: { value: 12, denominator: 12500 }, p: 0.0048540885842290205, estimate: 0.384 },
  { kind: 'count', call: 'poisson.test(c(12, 30), c(1, 1))', baseline: { value: 30 }, latest: { value: 12 }, p: 0.0079158973348967352, estimate: 0.4 },
  { kind: 'count', call: 'poisson.test(c(21, 8), c(5100, 5000))', baseline: { value: 8, denominator: 5000 }, latest: { value: 21, denominator: 5100 }, p: 0.024317142589963828, estimate: 2.5735294117647061 },
  { kind: 'count', call: 'poisson.test(c(19, 20), c(1, 1))', baseline: { value: 20 }, latest: { value: 19 }, p: 1, estimate: 0.95 },
  { kind: 'percent', call: 'prop.test(c(131, 168), c(410, 400), correct = FALSE)', baseline: { value: 42, numerator: 168, denominator: 400 }, latest: { value: 32, numerator: 131, denominator: 410 }, p: 0.0030465591362811529, estimate: -0.10048780487804876 },
  { kind: 'percent', call: 'prop.test(c(37, 40), c(100, 100), correct = FALSE)', baseline: { value: 40, numerator: 40, denominator: 100 }, latest: { value: 37, numerator: 37, denominator: 100 }, p: 0.66287180358783604, estimate: -0.030000000000000027 },
] as const

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))

const rMissing = (() => {
  const r = spawnSync('Rscript', ['-e', 'cat(1)'], { encoding: 'utf8' })
  return r.status === 0 ? null : 'Rscript is not installed'
})()

describe('the evaluation’s tests against R', () => {
  const ours = (c: (typeof R_CASES)[number]) => {
    const t = changeTest(c.kind, { ...c.baseline, suppressed: false }, { ...c.latest, suppressed: false })
    if (t.test === null) throw new Error(t.why)
    // Ours: rate ratio, or the difference in percentage points; R: rate ratio, or the difference of shares.
    return { p: t.p!, estimate: c.kind === 'percent' ? t.estimate! / 100 : t.estimate! }
  }

  it.each(R_CASES)('$call', (c) => {
    const r = ours(c)
    expect(close(r.p, c.p), `p ${r.p} vs R ${c.p}`).toBe(true)
    expect(close(r.estimate, c.estimate), `estimate ${r.estimate} vs R ${c.estimate}`).toBe(true)
  })

  it.skipIf(rMissing !== null)('agrees with R run now', () => {
    const script = R_CASES.map((c) => `t <- ${c.call}; cat(sprintf("%.17g", c(t$p.value, ${c.kind === 'percent' ? 't$estimate[1] - t$estimate[2]' : 't$estimate'})), "\\n")`).join('\n')
    const out = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' })
    expect(out.status, out.stderr).toBe(0)
    const lines = out.stdout.trim().split('\n')
    R_CASES.forEach((c, i) => {
      const [p, estimate] = lines[i]!.trim().split(/\s+/).map(Number) as [number, number]
      const r = ours(c)
      expect(close(r.p, p), `${c.call}: p ${r.p} vs R ${p}`).toBe(true)
      expect(close(r.estimate, estimate), `${c.call}: estimate ${r.estimate} vs R ${estimate}`).toBe(true)
    })
  })
})
if (rMissing) console.log(`[measure-evaluation] live R check skipped: ${rMissing}`)

describe('displacement (Bowers & Johnson 2003; Wheeler & Ratcliffe 2018)', () => {
  /**
   * Hand-computed. Treated A: 50 → 30, buffer B: 40 → 45, comparison C: 100 → 100.
   *   success measure  A1/C1 − A0/C0 = 30/100 − 50/100 = −0.20  (the treated area improved)
   *   buffer measure   B1/C1 − B0/C0 = 45/100 − 40/100 = 0.05
   *   WDQ = 0.05 / −0.20 = −0.25                          (some displacement, less than the gain)
   *   total net effect (A0·C1/C0 − A1) + (B0·C1/C0 − B1) = (50 − 30) + (40 − 45) = 15 crimes prevented
   *   WDD = ΔA − ΔC + ΔB − ΔC = −20 − 0 + 5 − 0 = −15
   *   C is the control for both, so it enters twice: Var = 50 + 30 + 40 + 45 + 4·(100 + 100) = 965
   *   z = −15 / √965 = −0.482867084984738, p = 2·Φ(−|z|) = 0.629190114050420 (R: 2*pnorm(-15/sqrt(965)))
   */
  it('computes WDQ, the net effect and WDD with one comparison area for both', () => {
    const r = displacement({ a0: 50, a1: 30, b0: 40, b1: 45, c0: 100, c1: 100 })
    expect(r.successMeasure).toBeCloseTo(-0.2, 12)
    expect(r.bufferMeasure).toBeCloseTo(0.05, 12)
    expect(r.wdq).toBeCloseTo(-0.25, 12)
    expect(r.totalNetEffect).toBeCloseTo(15, 12)
    expect(r.wdd).toBe(-15)
    expect(r.variance).toBe(965)
    expect(r.z).toBeCloseTo(-0.482867084984738, 12)
    expect(r.p).toBeCloseTo(0.62919011405042, 12)
    expect(r.sharedControl).toBe(true)
    const text = interpretDisplacement(r)
    expect(text).toMatch(/Åtgärdsområdet utvecklades bättre än jämförelseområdet/)
    expect(text).toMatch(/viss förskjutning, men mindre än vinsten/)
    expect(text).toMatch(/omkring 15 färre brott/)
    expect(text).toMatch(/ingen statistiskt säkerställd förändring/)
    expect(text).toMatch(/kontroll både för åtgärdsområdet och buffertzonen/)
  })

  /**
   * With a control buffer CB of its own: 60 → 50.
   *   WDD = ΔA − ΔC + ΔB − ΔCB = −20 − 0 + 5 − (−10) = −5
   *   Var = sum of the eight counts = 50 + 30 + 100 + 100 + 40 + 45 + 60 + 50 = 475
   *   z = −5 / √475 = −0.229415733870562, p = 0.818545808382043
   */
  it('takes a separate control for the buffer: the variance is the sum of the eight counts', () => {
    const r = displacement({ a0: 50, a1: 30, b0: 40, b1: 45, c0: 100, c1: 100, cb0: 60, cb1: 50 })
    expect(r.wdd).toBe(-5)
    expect(r.variance).toBe(475)
    expect(r.z).toBeCloseTo(-0.229415733870562, 12)
    expect(r.p).toBeCloseTo(0.818545808382043, 12)
    expect(r.sharedControl).toBe(false)
  })

  /**
   * A significant fall with diffusion: A 120 → 60, B 80 → 70, C 100 → 100.
   *   success −0.60, buffer −0.10, WDQ = −0.10 / −0.60 = 1/6 > 0: diffusion of benefits
   *   net effect (120 − 60) + (80 − 70) = 70; WDD = −60 − 10 = −70; Var = 120 + 60 + 80 + 70 + 800 = 1130
   *   z = −70/√1130 = −2.0823..., p < 0.05
   */
  it('names diffusion of benefits and a significant fall', () => {
    const r = displacement({ a0: 120, a1: 60, b0: 80, b1: 70, c0: 100, c1: 100 })
    expect(r.wdq).toBeCloseTo(1 / 6, 12)
    expect(r.totalNetEffect).toBeCloseTo(70, 12)
    expect(r.wdd).toBe(-70)
    expect(r.variance).toBe(1130)
    expect(r.z).toBeCloseTo(-70 / Math.sqrt(1130), 12)
    expect(r.p!).toBeLessThan(0.05)
    const text = interpretDisplacement(r)
    expect(text).toMatch(/spridning av positiva effekter/)
    expect(text).toMatch(/statistiskt säkerställd minskning/)
  })

  it('says when the treated area did not improve, and when the comparison has no crimes', () => {
    expect(interpretDisplacement(displacement({ a0: 10, a1: 20, b0: 10, b1: 10, c0: 10, c1: 10 }))).toMatch(/utvecklades sämre än jämförelseområdet/)
    const none = displacement({ a0: 5, a1: 3, b0: 2, b1: 2, c0: 0, c1: 4 })
    expect(none).toMatchObject({ successMeasure: null, wdq: null, totalNetEffect: null })
    expect(interpretDisplacement(none)).toMatch(/inga brott i en av perioderna/)
    expect(displacement({ a0: 0, a1: 0, b0: 0, b1: 0, c0: 0, c1: 0 })).toMatchObject({ z: null, p: null })
    expect(() => displacement({ a0: -1, a1: 0, b0: 0, b1: 0, c0: 0, c1: 0 })).toThrow(/a0/)
  })
})
