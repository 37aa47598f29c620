/** Permutation p-values computed in the worker thread are exactly the in-process ones, for a seed. */
import { describe, expect, it } from 'vitest'
import { permutationPValuesOffThread } from '../../server/features/analysis/permutations'
import { permutationPValues } from '../../server/statistics'

describe('permutation p-values off the event loop', () => {
  // A 12 × 10 grid with rook neighbours and uneven values.
  const cols = 12
  const rows = 10
  const x = Float64Array.from({ length: cols * rows }, (_, i) => ((i * 7919) % 31) + (i % cols < 4 ? 20 : 0))
  const nb = Array.from({ length: cols * rows }, (_, i) => {
    const r = Math.floor(i / cols)
    const c = i % cols
    return [r > 0 ? i - cols : -1, r < rows - 1 ? i + cols : -1, c > 0 ? i - 1 : -1, c < cols - 1 ? i + 1 : -1].filter((j) => j >= 0)
  })

  it.each(['lisa', 'gstar'] as const)('gives the same %s figures as the in-process computation', async (statistic) => {
    const inProcess = permutationPValues(x, nb, statistic, 999, 42)
    const [a, b] = await Promise.all([permutationPValuesOffThread(x, nb, statistic, 999, 42), permutationPValuesOffThread(x, nb, statistic, 999, 43)])
    expect(a).toEqual(inProcess)
    expect(b).toEqual(permutationPValues(x, nb, statistic, 999, 43))
    expect(b.p).not.toEqual(a.p)
  })

  it('passes on the argument checks as errors', async () => {
    await expect(permutationPValuesOffThread(x, nb, 'lisa', 0, 1)).rejects.toThrow(/permutations/)
  })

  it('leaves the event loop free while it computes', async () => {
    let done = false
    const job = permutationPValuesOffThread(x, nb, 'lisa', 9999, 5).then(() => (done = true))
    await new Promise((r) => setImmediate(r))
    expect(done).toBe(false)
    await job
    expect(done).toBe(true)
  })
})
