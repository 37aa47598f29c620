import { checkVector } from './check'

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), equal to R's p.adjust(p, "BH"): with the
 * m non-NaN values sorted, p_(i)·m/i made monotone from the largest down, capped at 1. NaN (areas without a
 * statistic) passes through and does not count in m, as in R with its default n.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const len = checkVector('benjaminiHochberg', 'p', p, { allowNaN: true, unit: true })
  const out = new Float64Array(len).fill(NaN)
  const order: number[] = []
  for (let i = 0; i < len; i++) if (!Number.isNaN(p[i]!)) order.push(i)
  const m = order.length
  if (m === 0) return out
  // Stable, like R's order(): ties keep their input order (they get the same value either way).
  order.sort((a, b) => p[a]! - p[b]!)
  let running = Infinity
  for (let r = m; r >= 1; r--) {
    const i = order[r - 1]!
    running = Math.min(running, (m / r) * p[i]!)
    out[i] = Math.min(1, running)
  }
  return out
}
