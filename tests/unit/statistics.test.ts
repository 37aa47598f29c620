// server/statistics/ against R (tests/fixtures/spdep/*.json, made by make-fixtures.R with spdep), plus
// properties that need no oracle: argument checks, BH monotonicity, permutation p-values.
//
// Tolerance: "close" is |ours − R| ≤ 1e-9·max(1, |R|) — absolute for values within ±1, relative above; p-values
// (and other quantities that can be tiny: rates, densities, tails) are compared relatively, |ours − R| ≤ 1e-9·|R|.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  benjaminiHochberg,
  dBinom,
  ebGlobal,
  ebLocal,
  gStar,
  gStarClass,
  localMoran,
  neighbourGraph,
  pBeta,
  pBinom,
  permutationPValues,
  pNorm,
  pNormTwoSided,
  poissonRateChange,
  poissonRiseP,
  proportionChange,
  qBeta,
  Xoshiro128ss,
  type Quadrant,
} from '../../server/statistics'
import { mulberry32, poisson } from '../helpers/random'

const FIXTURES = join(import.meta.dirname, '../fixtures/spdep')
const TOL = 1e-9

/** JSON from R: null was NA/NaN, "Inf"/"-Inf" were infinities. */
function load(name: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'), (_k, v) =>
    v === null ? NaN : v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : v,
  )
}

function isClose(actual: number, expected: number, relative: boolean): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual)
  if (actual === expected) return true
  const scale = relative ? Math.abs(expected) : Math.max(1, Math.abs(expected))
  return Math.abs(actual - expected) <= TOL * scale
}

/** Every element close, NaN exactly where R has NaN, except at `skip` (checked separately). */
function expectAllClose(label: string, actual: ArrayLike<number>, expected: number[], opts: { relative?: boolean; skip?: Set<number> } = {}) {
  expect(actual.length, label).toBe(expected.length)
  const bad: string[] = []
  for (let i = 0; i < expected.length; i++) {
    if (opts.skip?.has(i)) continue
    if (!isClose(actual[i]!, expected[i]!, opts.relative ?? false)) bad.push(`[${i}] ours ${actual[i]} R ${expected[i]}`)
  }
  expect(bad, label).toEqual([])
}

const QUADRANT: Record<string, Quadrant> = { 'High-High': 'HH', 'Low-Low': 'LL', 'Low-High': 'LH', 'High-Low': 'HL' }

describe.each(['grid10', 'irregular', 'hex', 'areas96'])('spdep fixture %s', (name) => {
  const f = load(name)
  const islands = new Set<number>(f.islands)
  const graph = neighbourGraph(f.neighbours)

  it('comes from R with spdep', () => {
    expect(f.meta.R).toMatch(/^R version \d/)
    expect(f.meta.spdep).toMatch(/^\d+\.\d+/)
    expect(f.x).toHaveLength(f.n)
  })

  it('Gi* equals localG with include.self and binary weights; islands are NaN', () => {
    const { gi, p } = gStar(f.x, f.neighbours)
    expectAllClose('gi', gi, f.localG, { skip: islands })
    expectAllClose('p', p, f.localGp, { relative: true, skip: islands })
    for (const i of islands) {
      expect(gi[i], `island ${i}`).toBeNaN()
      expect(p[i], `island ${i}`).toBeNaN()
    }
    // The prepared graph gives the same numbers.
    expect(gStar(f.x, graph).gi).toEqual(gi)
  })

  it('local Moran equals localmoran (all five columns); islands are NaN', () => {
    const r = localMoran(f.x, graph)
    const R = f.localmoran
    expectAllClose('Ii', r.ii, R.Ii, { skip: islands })
    expectAllClose('E.Ii', r.eii, R.EIi, { skip: islands })
    expectAllClose('Var.Ii', r.varii, R.VarIi, { skip: islands })
    expectAllClose('Z.Ii', r.zii, R.ZIi, { skip: islands })
    expectAllClose('Pr(z != E(Ii))', r.p, R.p, { relative: true, skip: islands })
    for (const i of islands) {
      // R: Ii = E = Var = 0 and Z, p NaN. Ours: NaN in every column.
      expect(R.ZIi[i]).toBeNaN()
      expect(R.p[i]).toBeNaN()
      for (const col of [r.ii, r.eii, r.varii, r.zii, r.p]) expect(col[i], `island ${i}`).toBeNaN()
      expect(r.quadrant[i]).toBeNull()
    }
  })

  it('quadrants equal attr(localmoran, "quadr")$mean', () => {
    const { quadrant } = localMoran(f.x, graph)
    const expected = (f.quadrMean as string[]).map((q, i) => (islands.has(i) ? null : QUADRANT[q]))
    expect(quadrant).toEqual(expected)
  })

  it('Benjamini–Hochberg equals p.adjust(p, "BH"), NaN not counted', () => {
    expectAllClose('BH of R p', benjaminiHochberg(f.localmoran.p), f.bhLocalmoranP, { relative: true })
    expectAllClose('BH of our p', benjaminiHochberg(localMoran(f.x, graph).p), f.bhLocalmoranP, { relative: true })
    expectAllClose('BH of Gi* p', benjaminiHochberg(f.localGp), f.bhLocalGp, { relative: true })
  })

  if (f.population) it('EB rates equal EBest and EBlocal', () => {
    const g = ebGlobal(f.x, f.population)
    expectAllClose('EBest raw', g.raw, f.EBest.raw, { relative: true })
    expectAllClose('EBest estmm', g.estimate, f.EBest.estmm, { relative: true })
    expect(isClose(g.a, f.EBest.a, true)).toBe(true)
    expect(isClose(g.b, f.EBest.b, true)).toBe(true)
    const l = ebLocal(f.x, f.population, graph)
    const noEvents = new Set((f.EBlocal.est as number[]).flatMap((v, i) => (Number.isNaN(v) ? [i] : [])))
    expectAllClose('EBlocal raw', l.raw, f.EBlocal.raw, { relative: true })
    expectAllClose('EBlocal est', l.estimate, f.EBlocal.est, { relative: true, skip: noEvents })
    expectAllClose('EBlocal a', l.a, f.EBlocal.a, { relative: true })
    expectAllClose('EBlocal m', l.m, f.EBlocal.m, { relative: true })
    // spdep divides 0 by 0 where a neighbourhood has no events at all; we shrink fully to its rate, 0.
    for (const i of noEvents) {
      expect(f.EBlocal.m[i]).toBe(0)
      expect(l.estimate[i]).toBe(0)
    }
  })
})

describe('tests and distributions against R', () => {
  const t = load('tests')

  it('poissonRateChange equals poisson.test(c(count2, count1), c(exposure2, exposure1))', () => {
    for (const c of t.poissonTest) {
      const r = poissonRateChange(c.count1, c.exposure1, c.count2, c.exposure2)
      const label = JSON.stringify([c.count1, c.exposure1, c.count2, c.exposure2])
      expect(isClose(r.p, c.p, true), `${label} p ${r.p} vs ${c.p}`).toBe(true)
      expect(isClose(r.rateRatio, c.estimate, true), `${label} ratio ${r.rateRatio} vs ${c.estimate}`).toBe(true)
      expectAllClose(`${label} conf.int`, r.ci, c.confInt, { relative: true })
    }
  })

  it('poissonRiseP equals poisson.test(c(count2, count1), c(exposure2, exposure1), alternative = "greater")', () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, '..', 'alerts', 'poisson-greater.json'), 'utf8')).poissonGreater
    expect(cases.length).toBeGreaterThan(10)
    for (const c of cases) {
      const p = poissonRiseP(c.count1, c.exposure1, c.count2, c.exposure2)
      expect(isClose(p, c.p, true), `${JSON.stringify(c)}: ${p}`).toBe(true)
    }
  })

  it('proportionChange equals prop.test(c(x2, x1), c(n2, n1), correct = FALSE)', () => {
    for (const c of t.propTest) {
      const r = proportionChange(c.x1, c.n1, c.x2, c.n2)
      const label = JSON.stringify([c.x1, c.n1, c.x2, c.n2])
      expect(isClose(r.p, c.p, true), `${label} p ${r.p} vs ${c.p}`).toBe(true)
      expect(isClose(r.statistic, c.statistic, false), `${label} statistic`).toBe(true)
      expect(isClose(r.difference, c.estimate[0] - c.estimate[1], false), `${label} difference`).toBe(true)
      expectAllClose(`${label} Wald`, r.wald, c.confInt)
      expectAllClose(`${label} Newcombe`, r.newcombe, c.newcombe)
    }
  })

  it('uses R’s qnorm(0.975)', () => {
    // Equal shares of ½ out of 2: the Wald half-width is z·√(¼/2 + ¼/2) = z·½ exactly.
    const r = proportionChange(1, 2, 1, 2)
    expect(r.wald[1]).toBe(t.qnorm975 * Math.sqrt(0.25 / 2 + 0.25 / 2))
  })

  it('pNorm and pNormTwoSided equal pnorm to 1e-12 relative, into the far tail', () => {
    t.pnorm.z.forEach((z: number, i: number) => {
      for (const [ours, R] of [
        [pNormTwoSided(z), t.pnorm.twoSided[i]],
        [pNormTwoSided(-z), t.pnorm.twoSided[i]],
        [pNorm(z, false), t.pnorm.upper[i]],
        [pNorm(z), t.pnorm.lower[i]],
      ] as const) {
        expect(Math.abs(ours - R), `z=${z}: ${ours} vs ${R}`).toBeLessThanOrEqual(1e-12 * R)
      }
    })
    expect(pNormTwoSided(8)).toBeGreaterThan(1e-15)
    expect(pNormTwoSided(NaN)).toBeNaN()
  })

  it('pBinom and dBinom equal pbinom/dbinom to 1e-12 relative', () => {
    for (const c of t.pbinom) {
      const label = `q=${c.q} size=${c.size} prob=${c.prob}`
      for (const [ours, R] of [
        [pBinom(c.q, c.size, c.prob), c.lower],
        [pBinom(c.q, c.size, c.prob, false), c.upper],
        [dBinom(c.q, c.size, c.prob), c.density],
      ] as const) {
        expect(Math.abs(ours - R), `${label}: ${ours} vs ${R}`).toBeLessThanOrEqual(1e-12 * R)
      }
    }
  })

  it('qBeta and pBeta equal qbeta/pbeta', () => {
    for (const c of t.qbeta) {
      expect(isClose(qBeta(c.p, c.a, c.b), c.q, true), `qbeta(${c.p}, ${c.a}, ${c.b})`).toBe(true)
      expect(isClose(pBeta(0.3, c.a, c.b), c.pbeta, true), `pbeta(0.3, ${c.a}, ${c.b})`).toBe(true)
    }
  })

  it('benjaminiHochberg equals p.adjust with NA and ties', () => {
    expectAllClose('BH', benjaminiHochberg(t.bh.p), t.bh.adjusted, { relative: true })
  })
})

// ---------------------------------------------------------------------------------------------------------
// Properties without an oracle.

/** Queen-contiguity neighbours of a rows × cols grid, cell = r·cols + c. */
function queenGrid(rows: number, cols: number): number[][] {
  const nb: number[][] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const row: number[] = []
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr
          const cc = c + dc
          if ((dr || dc) && rr >= 0 && rr < rows && cc >= 0 && cc < cols) row.push(rr * cols + cc)
        }
      }
      nb.push(row)
    }
  }
  return nb
}

function shuffle<T>(rnd: () => number, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

function ranks(v: ArrayLike<number>): number[] {
  const idx = Array.from(v, (_, i) => i).sort((a, b) => v[a]! - v[b]!)
  const r = new Array<number>(v.length)
  for (let s = 0; s < idx.length; ) {
    let e = s
    while (e + 1 < idx.length && v[idx[e + 1]!] === v[idx[s]!]) e++
    for (let k = s; k <= e; k++) r[idx[k]!] = (s + e) / 2
    s = e + 1
  }
  return r
}

function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a)
  const rb = ranks(b)
  const mean = (ra.length - 1) / 2
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i]! - mean) * (rb[i]! - mean)
    saa += (ra[i]! - mean) ** 2
    sbb += (rb[i]! - mean) ** 2
  }
  return sab / Math.sqrt(saa * sbb)
}

describe('argument checks', () => {
  const nb = queenGrid(3, 3)
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9]

  it('rejects malformed neighbours', () => {
    expect(() => gStar(x, queenGrid(3, 2))).toThrow(/6 areas but x has 9/)
    expect(() => gStar([1, 2], [[1], [0, 0]])).toThrow(/lists 0 twice/)
    expect(() => gStar([1, 2], [[1], [1]])).toThrow(/neighbours\[1\] contains the area itself/)
    expect(() => gStar([1, 2], [[1], [2]])).toThrow(/not an area index in \[0, 2\)/)
    expect(() => gStar([1, 2], [[1.5], []])).toThrow(RangeError)
    expect(() => gStar([1, 2, 3], [[1], [], []])).toThrow(/0 lists 1 but 1 does not list 0/)
    expect(() => gStar([1, 2], [[1], null as unknown as number[]])).toThrow(TypeError)
    expect(() => gStar([1, 2], 'no' as unknown as number[][])).toThrow(TypeError)
  })

  it('rejects bad values', () => {
    expect(() => gStar([1, NaN, 3, 4, 5, 6, 7, 8, 9], nb)).toThrow(/x\[1\] is NaN/)
    expect(() => localMoran([1, Infinity, 3, 4, 5, 6, 7, 8, 9], nb)).toThrow(/x\[1\] must be finite/)
    expect(() => localMoran('123' as unknown as number[], nb)).toThrow(TypeError)
    expect(() => localMoran([1, '2'] as unknown as number[], [[1], [0]])).toThrow(/x\[1\] must be a number/)
    expect(() => ebGlobal([1, -1], [10, 10])).toThrow(/events\[1\] must be ≥ 0/)
    expect(() => ebGlobal([1, 1], [10, 0])).toThrow(/population\[1\] must be > 0/)
    expect(() => ebGlobal([1, 1, 1], [10, 10])).toThrow(/events has 3 elements but population has 2/)
    expect(() => ebLocal([1, 1], [10, 10], [[1], [0], []])).toThrow(/3 areas but x has 2/)
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(/p\[1\] must be in \[0, 1\]/)
    expect(() => poissonRateChange(1.5, 1, 2, 1)).toThrow(/count1 must be an integer/)
    expect(() => poissonRateChange(1, 0, 2, 1)).toThrow(/exposure1 must be > 0/)
    expect(() => poissonRateChange(1, 1, -2, 1)).toThrow(/count2 must be ≥ 0/)
    expect(() => proportionChange(5, 4, 1, 2)).toThrow(/x1 must be ≤ n1/)
    expect(() => proportionChange(1, 0, 1, 2)).toThrow(/n1 must be > 0/)
    expect(() => gStarClass(2, 1.5)).toThrow(/p must be in \[0, 1\]/)
    expect(() => pBinom(1, 10.5, 0.5)).toThrow(/size must be an integer/)
    expect(() => qBeta(1.5, 1, 1)).toThrow(/p must be ≤ 1/)
  })

  it('rejects bad permutation settings', () => {
    expect(() => permutationPValues(x, nb, 'moran' as 'lisa', 99, 1)).toThrow(/'gstar' or 'lisa'/)
    expect(() => permutationPValues(x, nb, 'gstar', 0, 1)).toThrow(/permutations must be ≥ 1/)
    expect(() => permutationPValues(x, nb, 'gstar', 99.5, 1)).toThrow(/permutations must be an integer/)
    expect(() => permutationPValues(x, nb, 'gstar', 99, 0.5)).toThrow(/seed must be an integer/)
  })

  it('never mutates its inputs', () => {
    const fx = Object.freeze([...x])
    const fnb = Object.freeze(nb.map((r) => Object.freeze([...r])))
    const pop = Object.freeze([10, 20, 30, 40, 50, 60, 70, 80, 90])
    expect(() => {
      gStar(fx, fnb)
      localMoran(fx, fnb)
      permutationPValues(fx, fnb, 'lisa', 9, 1)
      ebGlobal(fx, pop)
      ebLocal(fx, pop, fnb)
      benjaminiHochberg(Object.freeze([0.3, 0.1, NaN]))
    }).not.toThrow()
    expect(fx).toEqual(x)
    expect(fnb).toEqual(queenGrid(3, 3))
  })
})

describe('edge cases', () => {
  it('Gi* is NaN where the variance is 0 (an area next to all others, or constant x)', () => {
    const { gi } = gStar([1, 5, 2, 8, 3, 0, 0, 4, 9], queenGrid(3, 3))
    expect(gi[4]).toBeNaN() // the centre sees every cell: nothing to compare with
    expect(Number.isFinite(gi[0]!)).toBe(true)
    expect(Array.from(gStar([3, 3, 3, 3], queenGrid(2, 2)).gi).every(Number.isNaN)).toBe(true)
  })

  it('gStarClass bins by p and the sign of z', () => {
    expect(gStarClass(2.7, 0.007)).toBe('hot99')
    expect(gStarClass(2.2, 0.01)).toBe('hot95')
    expect(gStarClass(-2.0, 0.045)).toBe('cold95')
    expect(gStarClass(-1.7, 0.089)).toBe('cold90')
    expect(gStarClass(1.0, 0.1)).toBe('ns')
    expect(gStarClass(NaN, NaN)).toBeNull()
    // With analytical p the bins sit at |z| = 2.576, 1.960, 1.645.
    for (const [z, cls] of [[2.58, 'hot99'], [2.57, 'hot95'], [1.97, 'hot95'], [1.95, 'hot90'], [-1.65, 'cold90'], [-1.64, 'ns']] as const) {
      expect(gStarClass(z, pNormTwoSided(z)), `z=${z}`).toBe(cls)
    }
  })

  it('EB estimates without any events are 0, not 0/0', () => {
    const g = ebGlobal([0, 0, 0], [100, 200, 300])
    expect(Array.from(g.estimate)).toEqual([0, 0, 0])
    expect([g.a, g.b]).toEqual([0, 0])
    const l = ebLocal([0, 0, 4], [100, 200, 300], [[1], [0], []])
    expect(Array.from(l.estimate)).toEqual([0, 0, 4 / 300]) // the island keeps its raw rate (spdep too)
  })

  it('poissonRateChange without events is p = 1 with an unbounded interval (R too)', () => {
    const r = poissonRateChange(0, 10, 0, 12)
    expect(r.p).toBe(1)
    expect(r.rateRatio).toBeNaN()
    expect(r.ci).toEqual([0, Infinity])
  })
})

describe('Benjamini–Hochberg', () => {
  it('is monotone in p, at least p and at most 1', () => {
    const rnd = mulberry32(7)
    const p = Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? NaN : rnd() ** 3))
    const q = benjaminiHochberg(p)
    const idx = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]!)).sort((a, b) => p[a]! - p[b]!)
    for (let k = 1; k < idx.length; k++) expect(q[idx[k]!]!).toBeGreaterThanOrEqual(q[idx[k - 1]!]!)
    for (const i of idx) {
      expect(q[i]!).toBeGreaterThanOrEqual(p[i]!)
      expect(q[i]!).toBeLessThanOrEqual(1)
    }
    p.forEach((v, i) => {
      if (Number.isNaN(v)) expect(q[i]).toBeNaN()
    })
  })
})

describe('permutation p-values', () => {
  const nb30 = neighbourGraph(queenGrid(30, 30))

  it('are roughly uniform without spatial structure', () => {
    const rnd = mulberry32(11)
    const x = shuffle(rnd, Array.from({ length: 900 }, () => poisson(rnd, 10)))
    for (const statistic of ['gstar', 'lisa'] as const) {
      const r = permutationPValues(x, nb30, statistic, 999, 2024)
      const share = (a: Float64Array, below: number) => a.filter((v) => v < below).length / a.length
      // Two-sided: uniform on (0, 1]; folded (esda): uniform on (0, ½], so its 2.5 % matches 5 % two-sided.
      expect(share(r.p, 0.05), statistic).toBeGreaterThan(0.02)
      expect(share(r.p, 0.05), statistic).toBeLessThan(0.09)
      expect(share(r.p, 0.5), statistic).toBeGreaterThan(0.4)
      expect(share(r.p, 0.5), statistic).toBeLessThan(0.6)
      expect(share(r.pFolded, 0.025), statistic).toBeGreaterThan(0.02)
      expect(share(r.pFolded, 0.025), statistic).toBeLessThan(0.09)
      expect(Math.max(...r.pFolded)).toBeLessThanOrEqual(0.55)
      r.p.forEach((v, i) => expect(v).toBe(Math.min(1, 2 * r.pFolded[i]!)))
    }
  })

  it('are small in a planted hot spot', () => {
    const rnd = mulberry32(12)
    const hot = (i: number) => Math.floor(i / 30) >= 10 && Math.floor(i / 30) < 15 && i % 30 >= 10 && i % 30 < 15
    const x = Array.from({ length: 900 }, (_, i) => poisson(rnd, hot(i) ? 25 : 6))
    const core = Array.from({ length: 900 }, (_, i) => i).filter((i) => hot(i) && hot(i - 31) && hot(i + 31))
    expect(core).toHaveLength(9)
    const gs = permutationPValues(x, nb30, 'gstar', 999, 3)
    const li = permutationPValues(x, nb30, 'lisa', 999, 3)
    for (const i of core) {
      expect(gs.p[i]!).toBeLessThan(0.01)
      expect(gs.zSim[i]!).toBeGreaterThan(3)
      expect(li.p[i]!).toBeLessThan(0.01)
      expect(li.zSim[i]!).toBeGreaterThan(3)
    }
  })

  it('are reproducible for a seed and change with it', () => {
    const rnd = mulberry32(13)
    const x = Array.from({ length: 900 }, () => rnd() * 100)
    const a = permutationPValues(x, nb30, 'lisa', 199, 42)
    const b = permutationPValues(x, nb30, 'lisa', 199, 42)
    const c = permutationPValues(x, nb30, 'lisa', 199, 43)
    expect(b.p).toEqual(a.p)
    expect(b.zSim).toEqual(a.zSim)
    const differing = a.p.filter((v, i) => v !== c.p[i]).length
    expect(differing).toBeGreaterThan(450)
  })

  it('agree with the analytical p on a large, well-behaved grid', () => {
    const rows = 40
    const nb = neighbourGraph(queenGrid(rows, rows))
    const rnd = mulberry32(14)
    const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
    const x = Array.from({ length: rows * rows }, (_, i) => 3 * Math.sin((i % rows) / 5) * Math.cos(Math.floor(i / rows) / 7) + normal())
    const gs = permutationPValues(x, nb, 'gstar', 999, 5)
    expect(spearman(gs.p, gStar(x, nb).p)).toBeGreaterThan(0.95)
    const lm = localMoran(x, nb)
    const li = permutationPValues(x, nb, 'lisa', 999, 5)
    expect(spearman(li.p, lm.p)).toBeGreaterThan(0.9)
    // zSim has the sign of the analytical z.
    const agree = lm.zii.filter((z, i) => Math.abs(z) > 2 && Math.sign(z) === Math.sign(li.zSim[i]!)).length
    expect(agree).toBe(lm.zii.filter((z) => Math.abs(z) > 2).length)
  })

  it('draw one random stream whatever the block size', () => {
    const one = new Xoshiro128ss(99)
    const singles = Array.from({ length: 10 }, () => one.next())
    const block = new Uint32Array(10)
    const two = new Xoshiro128ss(99)
    two.fill(block.subarray(0, 3))
    two.fill(block.subarray(3))
    expect(Array.from(block)).toEqual(singles)
    expect(new Set(singles).size).toBe(10)
    expect(singles.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true)
  })

  it('give NaN to islands and p = 1 to a LISA area at the mean', () => {
    const x = [1, 2, 3, 4, 5, 3] // mean 3
    const nb = [[1], [0, 2], [1, 3], [2, 4], [3], []]
    const r = permutationPValues(x, nb, 'lisa', 99, 1)
    expect(r.p[5]).toBeNaN()
    expect(r.pFolded[5]).toBeNaN()
    expect(r.p[2]).toBe(1)
    expect(Number.isFinite(r.p[0]!)).toBe(true)
  })
})
