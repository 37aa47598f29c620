import { describe, expect, it } from 'vitest'
import { classCount, classIndex, classify, divergingClassify, type Classification } from '../../client/src/lib/classify'

const X = [1, 3, 4, 7, 9, 12, 15, 20, 30, 50]

function expectBreaks(c: Classification | null, expected: number[]) {
  expect(c).not.toBeNull()
  expect(c!.breaks).toHaveLength(expected.length)
  c!.breaks.forEach((b, i) => expect(b).toBeCloseTo(expected[i]!, 10))
}

/** Groups values by class, in class order. */
function groups(c: Classification, values: number[]): number[][] {
  const out: number[][] = Array.from({ length: classCount(c) }, () => [])
  for (const v of values) out[classIndex(c, v)]!.push(v)
  return out
}

function sse(group: readonly number[]): number {
  const mean = group.reduce((a, b) => a + b, 0) / group.length
  return group.reduce((a, v) => a + (v - mean) ** 2, 0)
}

/** Exhaustive search over every assignment of values to k non-empty groups (no contiguity assumed). */
function bruteForceMinSse(values: readonly number[], k: number): { cost: number; groups: number[][] } {
  let best = { cost: Infinity, groups: [] as number[][] }
  const assign = new Array<number>(values.length).fill(0)
  const total = k ** values.length
  for (let code = 0; code < total; code++) {
    let c = code
    for (let i = 0; i < values.length; i++) {
      assign[i] = c % k
      c = Math.floor(c / k)
    }
    const gs: number[][] = Array.from({ length: k }, () => [])
    values.forEach((v, i) => gs[assign[i]!]!.push(v))
    if (gs.some((g) => g.length === 0)) continue
    const cost = gs.reduce((a, g) => a + sse(g), 0)
    if (cost < best.cost - 1e-12) best = { cost, groups: gs }
  }
  return best
}

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('classify: k and input', () => {
  it.each([1, 10, 0, -3, 2.5, NaN])('rejects k = %s with a RangeError', (k) => {
    expect(() => classify(X, 'quantile', k)).toThrow(RangeError)
    expect(() => divergingClassify(X, k)).toThrow(RangeError)
  })

  it('names the allowed range in the message', () => {
    expect(() => classify(X, 'equal', 12)).toThrow('Number of classes k must be an integer from 2 to 9, got 12')
  })

  it.each(['quantile', 'jenks', 'equal'] as const)('%s: null when there is no finite value', (method) => {
    expect(classify([], method, 5)).toBeNull()
    expect(classify([null, undefined, NaN, Infinity, -Infinity], method, 5)).toBeNull()
  })

  it.each(['quantile', 'jenks', 'equal'] as const)('%s: all values equal give one class [v, v]', (method) => {
    const c = classify([4.2, 4.2, null, 4.2], method, 5)!
    expect(c).toEqual({ method, breaks: [4.2, 4.2] })
    expect(classCount(c)).toBe(1)
    expect(classIndex(c, 4.2)).toBe(0)
  })

  it.each(['quantile', 'jenks', 'equal'] as const)('%s: ignores null, NaN and ±Infinity', (method) => {
    const dirty = [null, ...X.slice(0, 5), NaN, undefined, Infinity, ...X.slice(5), -Infinity]
    expect(classify(dirty, method, 4)).toEqual(classify(X, method, 4))
  })
})

describe('classify: quantile (R type 7)', () => {
  // Hand-computed with h = (n − 1)p, x[floor h] + frac(h)·(x[floor h + 1] − x[floor h]) (0-based), as R's
  // quantile(c(1,3,4,7,9,12,15,20,30,50), type = 7) gives: 1, 4.75, 10.5, 18.75, 50.
  it('quartiles', () => {
    expectBreaks(classify(X, 'quantile', 4), [1, 4.75, 10.5, 18.75, 50])
  })

  // probs = seq(0, 1, 0.2): 1, 3.8, 8.2, 13.2, 22, 50.
  it('quintiles, input order does not matter', () => {
    expectBreaks(classify([...X].reverse(), 'quantile', 5), [1, 3.8, 8.2, 13.2, 22, 50])
  })

  it('equal quantiles merge: fewer classes, none empty', () => {
    // Quartiles of 1,1,1,1,1,1,2,3: 1, 1, 1, 1.25, 3.
    const values = [1, 1, 1, 1, 1, 1, 2, 3]
    const c = classify(values, 'quantile', 4)
    expectBreaks(c, [1, 1.25, 3])
    expect(groups(c!, values)).toEqual([[1, 1, 1, 1, 1, 1], [2, 3]])
  })

  it('k above the number of values: interpolated breaks that would leave a class empty are dropped', () => {
    // Quartiles of 0, 10, 20 are 0, 5, 10, 15, 20; [5, 10) would hold no value.
    const c = classify([20, 0, 10], 'quantile', 4)
    expectBreaks(c, [0, 5, 15, 20])
    expect(groups(c!, [0, 10, 20])).toEqual([[0], [10], [20]])
  })

  it('values tied at the maximum keep their own class', () => {
    // Median of 1, 2, 10, 10, 10 is 10 = max.
    const c = classify([1, 2, 10, 10, 10], 'quantile', 2)!
    expect(c.breaks).toEqual([1, 10, 10])
    expect(groups(c, [1, 2, 10, 10, 10])).toEqual([[1, 2], [10, 10, 10]])
  })

  it('negative values', () => {
    // Quartiles of −8, −4, −2, 0, 6: h = 0, 1, 2, 3, 4.
    expectBreaks(classify([0, -4, 6, -8, -2], 'quantile', 4), [-8, -4, -2, 0, 6])
  })
})

describe('classify: jenks (Ckmeans = Fisher-Jenks)', () => {
  const classic = [1, 2, 4, 5, 7, 9, 10, 20]

  it('1, 2, 4, 5, 7, 9, 10, 20 in 3 classes: {1,2,4,5} {7,9,10} {20}', () => {
    const c = classify(classic, 'jenks', 3)!
    expect(c.breaks).toEqual([1, 7, 20, 20])
    expect(groups(c, classic)).toEqual([
      [1, 2, 4, 5],
      [7, 9, 10],
      [20],
    ])
  })

  it('that answer is the exhaustive minimum of the within-class sum of squares', () => {
    const best = bruteForceMinSse(classic, 3)
    const sorted = best.groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!)
    expect(sorted).toEqual([
      [1, 2, 4, 5],
      [7, 9, 10],
      [20],
    ])
    expect(best.cost).toBeCloseTo(10 + 14 / 3, 10)
  })

  it('matches the exhaustive optimum on random small samples', () => {
    const rnd = mulberry32(42)
    for (let trial = 0; trial < 12; trial++) {
      const n = 5 + (trial % 4)
      const k = 2 + (trial % 3)
      const values = Array.from({ length: n }, () => Math.round(rnd() * 1000) / 10)
      const c = classify(values, 'jenks', k)!
      expect(classCount(c)).toBe(k)
      const cost = groups(c, values).reduce((a, g) => a + sse(g), 0)
      expect(cost).toBeCloseTo(bruteForceMinSse(values, k).cost, 8)
    }
  })

  it('fewer distinct values than k: one class per distinct value', () => {
    const values = [3, 3, 8, 8, 8, 1]
    const c = classify(values, 'jenks', 5)!
    expect(c.breaks).toEqual([1, 3, 8, 8])
    expect(groups(c, values)).toEqual([[1], [3, 3], [8, 8, 8]])
  })

  it('negative values', () => {
    const values = [-50, -48, -1, 0, 2, 40, 41]
    const c = classify(values, 'jenks', 3)!
    expect(c.breaks).toEqual([-50, -1, 40, 41])
  })
})

describe('classify: equal intervals', () => {
  it('splits min..max into k equal widths', () => {
    expectBreaks(classify(X, 'equal', 7), [1, 8, 15, 22, 29, 36, 43, 50])
  })

  it('keeps k classes even if some are empty, across zero', () => {
    expectBreaks(classify([-10, 10, 9], 'equal', 4), [-10, -5, 0, 5, 10])
  })

  it('last break is exactly the maximum', () => {
    const c = classify([0, 0.3], 'equal', 3)!
    expect(c.breaks[3]).toBe(0.3)
  })
})

describe('divergingClassify', () => {
  it('is symmetric around 0 with odd k', () => {
    const c = divergingClassify([-2, 1, 5, null], 5)!
    expect(c.method).toBe('diverging')
    expectBreaks(c, [-5, -3, -1, 1, 3, 5])
    expect(classIndex(c, 0)).toBe(2)
  })

  it('even k becomes k + 1', () => {
    const c = divergingClassify([-9, 3], 4)!
    expect(classCount(c)).toBe(5)
    expect(c.breaks[0]).toBe(-9)
    expect(c.breaks[5]).toBe(9)
    const c2 = divergingClassify([1, 2], 2)!
    expect(classCount(c2)).toBe(3)
    const c8 = divergingClassify([1, 2], 8)!
    expect(classCount(c8)).toBe(9)
  })

  it('breaks mirror exactly', () => {
    const c = divergingClassify([-0.7, 0.3], 7)!
    for (let i = 0; i < c.breaks.length; i++) expect(c.breaks[i]).toBe(-c.breaks[c.breaks.length - 1 - i]!)
    expect(classIndex(c, 0)).toBe(3)
  })

  it('uses the larger magnitude even when all changes have one sign', () => {
    expectBreaks(divergingClassify([2, 3, 6], 3), [-6, -2, 2, 6])
  })

  it('null without finite values; all zero is one class', () => {
    expect(divergingClassify([null, NaN], 3)).toBeNull()
    expect(divergingClassify([0, 0, -0], 3)).toEqual({ method: 'diverging', breaks: [0, 0] })
  })
})

describe('classIndex', () => {
  const c: Classification = { method: 'equal', breaks: [0, 10, 20, 30] }

  it('inner breaks go to the upper class; the maximum to the last class', () => {
    expect(classIndex(c, 0)).toBe(0)
    expect(classIndex(c, 9.999)).toBe(0)
    expect(classIndex(c, 10)).toBe(1)
    expect(classIndex(c, 20)).toBe(2)
    expect(classIndex(c, 30)).toBe(2)
  })

  it('clamps values outside the range, NaN is −1', () => {
    expect(classIndex(c, -5)).toBe(0)
    expect(classIndex(c, -Infinity)).toBe(0)
    expect(classIndex(c, 31)).toBe(2)
    expect(classIndex(c, Infinity)).toBe(2)
    expect(classIndex(c, NaN)).toBe(-1)
  })

  it('a one-class classification puts everything in class 0', () => {
    const one: Classification = { method: 'quantile', breaks: [5, 5] }
    expect(classCount(one)).toBe(1)
    expect([4, 5, 6].map((v) => classIndex(one, v))).toEqual([0, 0, 0])
  })

  it('every value of a classification lands in a non-empty class', () => {
    const values = [0, 0, 1, 1, 1, 2, 5, 8, 13, 21, 34, 34]
    for (const method of ['quantile', 'jenks'] as const) {
      for (let k = 2; k <= 9; k++) {
        const cl = classify(values, method, k)!
        expect(groups(cl, values).every((g) => g.length > 0)).toBe(true)
        expect(cl.breaks[0]).toBe(0)
        expect(cl.breaks[cl.breaks.length - 1]).toBe(34)
      }
    }
  })
})
