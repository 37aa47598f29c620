// Emerging hot spots (server/statistics/emerging.ts): Mann–Kendall against R (tests/fixtures/emerging, made by
// make-fixtures.R with cor.test), the classes on bin sequences, and every class planted in a space-time cube.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EMERGING_CLASSES, emergingClass, emergingHotSpots, mannKendall, type Bin, type EmergingClass } from '../../server/statistics'
import { mulberry32 } from '../helpers/random'

type Fixture = { meta: { R: string }; cases: Array<{ name: string; x: number[]; s: number; tau: number; z: number; p: number }> }
const fixture: Fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/emerging/mann-kendall.json'), 'utf8'), (_k, v) => (v === null ? NaN : v))

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))

describe('Mann–Kendall against R cor.test(method = "kendall", exact = FALSE, continuity = FALSE)', () => {
  it('comes from R', () => expect(fixture.meta.R).toMatch(/^R version/))
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = mannKendall(c.x)
    expect(r.s).toBe(c.s)
    expect(close(r.tau, c.tau), `tau ${r.tau} R ${c.tau}`).toBe(true)
    expect(close(r.z, c.z), `z ${r.z} R ${c.z}`).toBe(true)
    expect(Math.abs(r.p - c.p) <= 1e-9 * c.p, `p ${r.p} R ${c.p}`).toBe(true)
  })
  it('drops NaN with its time index, and gives NaN when nothing varies', () => {
    const a = mannKendall([1, NaN, 2, 3, NaN, 5])
    const b = mannKendall([1, 2, 3, 5])
    expect(a).toEqual({ ...b, n: 4 })
    expect(Number.isNaN(mannKendall([2, 2, 2, 2]).z)).toBe(true)
    expect(mannKendall([1, 2]).n).toBe(2)
  })
})

const bins = (s: string): Bin[] => [...s].map((c) => (c === 'H' ? 'hot' : c === 'C' ? 'cold' : 'ns'))

describe('emergingClass on per-period states (H hot, C cold, . neither; oldest first)', () => {
  const up = [4, 0.001] as const
  const down = [-4, 0.001] as const
  const flat = [0.3, 0.7] as const
  it.each<[string, readonly [number, number], EmergingClass]>([
    ['...........H', flat, 'new_hot'],
    ['.........HHH', flat, 'consecutive_hot'],
    ['HHHHHHHHHHHH', up, 'intensifying_hot'],
    ['.HHHHHHHHHHH', up, 'intensifying_hot'], // 11 of 12 is ≥ 90 %
    ['HHHHHHHHHHHH', flat, 'persistent_hot'],
    ['HHHHHHHHHHHH', down, 'diminishing_hot'],
    ['HH.HH.HH.HHH', flat, 'sporadic_hot'],
    ['H..........H', flat, 'sporadic_hot'],
    ['C..........H', flat, 'oscillating_hot'],
    ['..CC..HH...H', flat, 'oscillating_hot'],
    ['HHHHHHHHHHH.', flat, 'historical_hot'],
    ['HHHHHHHHHHH.', up, 'historical_hot'],
    ['...........C', flat, 'new_cold'],
    ['..........CC', flat, 'consecutive_cold'],
    ['CCCCCCCCCCCC', down, 'intensifying_cold'],
    ['CCCCCCCCCCCC', flat, 'persistent_cold'],
    ['CCCCCCCCCCCC', up, 'diminishing_cold'],
    ['C.C.C.C....C', flat, 'sporadic_cold'],
    ['HHH........C', flat, 'oscillating_cold'],
    ['CCCCCCCCCCC.', flat, 'historical_cold'],
    ['............', flat, 'no_pattern'],
    ['HHHHHHHH....', flat, 'no_pattern'], // hot 8 of 12, not lately: not historical (< 90 %)
    ['HHHHHHHHHH..', flat, 'no_pattern'],
    ['CCCCC.......', flat, 'no_pattern'],
  ])('%s (trend z %s) → %s', (s, [z, p], expected) => {
    expect(emergingClass(bins(s), z, p)).toBe(expected)
  })
  it('needs a significant trend (p < α) for intensifying or diminishing', () => {
    expect(emergingClass(bins('HHHHHHHHHH'), 1.9, 0.06)).toBe('persistent_hot')
    expect(emergingClass(bins('HHHHHHHHHH'), NaN, NaN)).toBe('persistent_hot')
    expect(emergingClass(bins('HHHHHHHHHH'), 1.9, 0.06, 0.1)).toBe('intensifying_hot')
  })
})

/**
 * A 24 × 24 queen grid, 12 periods, background counts 20 ± 3; each planted pattern is a 3 × 3 block (so its
 * centre's whole neighbourhood carries it) with two cells of background between blocks. Hot blocks hold 60
 * (or a trend 40 → 80), cold blocks 0 (or a trend 6 → 0).
 */
describe('emergingHotSpots finds every class planted in a space-time cube', () => {
  const SIDE = 24
  const T = 12
  const id = (r: number, c: number) => r * SIDE + c
  const neighbours: number[][] = []
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const nb: number[] = []
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) {
        const rr = r + dr
        const cc = c + dc
        if ((dr || dc) && rr >= 0 && rr < SIDE && cc >= 0 && cc < SIDE) nb.push(id(rr, cc))
      }
      neighbours.push(nb)
    }
  }
  const lerp = (a: number, b: number) => (t: number) => a + ((b - a) * t) / (T - 1)
  const on = (periods: number[], value: number) => (t: number) => (periods.includes(t) ? value : null)
  const all = Array.from({ length: T }, (_, t) => t)
  // Per planted class: the block's value in period t, or null for background.
  const planted: Array<[EmergingClass, (t: number) => number | null]> = [
    ['new_hot', on([11], 60)],
    ['consecutive_hot', on([9, 10, 11], 60)],
    ['intensifying_hot', lerp(40, 80)],
    ['persistent_hot', on(all, 60)],
    ['diminishing_hot', lerp(80, 40)],
    ['sporadic_hot', on([1, 4, 7, 11], 60)],
    ['oscillating_hot', (t) => (t < 3 ? 0 : t === 11 ? 60 : null)],
    ['historical_hot', on(all.slice(0, 11), 60)],
    ['new_cold', on([11], 0)],
    ['consecutive_cold', on([10, 11], 0)],
    ['intensifying_cold', (t) => Math.round(lerp(6, 0)(t))],
    ['persistent_cold', on(all, 0)],
    ['diminishing_cold', (t) => Math.round(lerp(0, 6)(t))],
    ['sporadic_cold', on([0, 3, 6, 11], 0)],
    ['oscillating_cold', (t) => (t < 2 ? 60 : t === 11 ? 0 : null)],
    ['historical_cold', on(all.slice(0, 11), 0)],
    ['no_pattern', () => null],
  ]
  const centres: number[] = []
  for (const r of [2, 7, 12, 17, 22]) for (const c of [2, 7, 12, 17, 22]) centres.push(id(r, c))
  const rnd = mulberry32(18)
  const background = Array.from({ length: T }, () => Array.from({ length: SIDE * SIDE }, () => 20 + Math.floor(rnd() * 7) - 3))
  const counts = background.map((row, t) => {
    const x = Float64Array.from(row)
    planted.forEach(([, value], k) => {
      const v = value(t)
      if (v === null) return
      for (const j of [centres[k]!, ...neighbours[centres[k]!]!]) x[j] = v
    })
    return x
  })
  const result = emergingHotSpots(counts, neighbours)

  it('plants all seventeen classes', () => expect(new Set(planted.map(([c]) => c))).toEqual(new Set(EMERGING_CLASSES)))
  it.each(planted.map(([cls], k) => [cls, k] as const))('%s', (cls, k) => {
    const i = centres[k]!
    const detail = `bins ${result.bins[i]!.join(',')} z ${Array.from(result.z, (z) => z[i]!.toFixed(2)).join(',')} trend z ${result.trend[i]!.z}`
    expect(result.classes[i], detail).toBe(cls)
  })
  it('reports per-period bins that agree with each period’s Gi* z and p', () => {
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < SIDE * SIDE; i++) {
        const b = result.bins[i]![t]
        const z = result.z[t]![i]!
        const p = result.p[t]![i]!
        expect(b).toBe(p < 0.05 ? (z > 0 ? 'hot' : 'cold') : 'ns')
      }
    }
  })
  it('leaves a location out of a period where it has no value', () => {
    const holes = counts.map((x) => Float64Array.from(x))
    holes[3]![centres[3]!] = NaN
    const r = emergingHotSpots(holes, neighbours)
    expect(r.bins[centres[3]!]![3]).toBe('ns')
    expect(Number.isNaN(r.z[3]![centres[3]!]!)).toBe(true)
    expect(r.trend[centres[3]!]!.n).toBe(T - 1)
  })
})
