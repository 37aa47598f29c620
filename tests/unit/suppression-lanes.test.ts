/**
 * The suppression worker lanes: jobs run one after another per lane, and a background audit whose data an
 * import has since replaced is dropped when its turn comes instead of running for nothing.
 */
import { describe, expect, it } from 'vitest'
import type { CubeProblem } from '../../server/disclosure/cube'
import { holdLane, protectCubeOffThread, setAuditBudget, suppressionStats } from '../../server/features/indicators/suppression'

// A quarter and its three months for a city of three areas (as the planted table in disclosure-lp.test.ts).
const values = Float64Array.from([44, 18, 2, 24, 26, 12, 0, 14, 1, 0, 1, 0, 17, 6, 1, 10])
const at = (a: number, p: number) => a * 4 + p
const relations = [
  ...[0, 1, 2, 3].map((p) => ({ total: at(0, p), parts: [1, 2, 3].map((a) => at(a, p)) })),
  ...[0, 1, 2, 3].map((a) => ({ total: at(a, 0), parts: [1, 2, 3].map((p) => at(a, p)) })),
]
const problem: CubeProblem = {
  keys: [...values.keys()].map((k) => `c${k}`),
  tables: 1,
  values,
  primary: Uint8Array.from(values, (v) => (v < 5 ? 1 : 0)),
  relations,
  mergeKey: new Array<string>(16).fill(''),
  cellArea: Int32Array.from({ length: 16 }, (_, k) => Math.floor(k / 4)),
}

describe('suppression lanes', () => {
  it('drops a job no longer wanted when its turn comes, and runs the wanted ones behind it', async () => {
    const dropped = suppressionStats.dropped
    let wanted = true
    const first = protectCubeOffThread(problem, 5, 'final')
    // Queued behind the first; by its turn its data have been replaced.
    const stale = protectCubeOffThread(problem, 5, 'final', () => wanted)
    const after = protectCubeOffThread(problem, 5, 'final', () => true)
    wanted = false
    const cube = await first
    await expect(stale).rejects.toThrow(/dropped/)
    expect(suppressionStats.dropped - dropped).toBe(1)
    expect((await after).hidden).toEqual(cube.hidden)
    expect(cube.audit).toMatchObject({ kind: 'lp', unfinished: 0 })
    expect(cube.withheld).toBe(0)
  })

  it('starts no job on a held lane until it is released; the other lane goes on', async () => {
    const started = suppressionStats.started
    const release = holdLane('final')
    let done = false
    // Threshold 6: a cube not audited yet in this process (a known one would be answered at once).
    const held = protectCubeOffThread(problem, 6, 'final').then((c) => ((done = true), c))
    // The other lane is not held: its job runs while the final one waits.
    const budgeted = await protectCubeOffThread(problem, 6, 'budgeted')
    expect(suppressionStats.started - started).toBe(1)
    expect(done).toBe(false)
    release()
    expect((await held).hidden).toEqual(budgeted.hidden)
    expect(suppressionStats.started - started).toBe(2)
  })

  it('answers a cube audited whole before at once, by its content, and audits one that differs', async () => {
    const copy = (): CubeProblem => ({ ...problem, values: Float64Array.from(values), primary: Uint8Array.from(problem.primary), relations: structuredClone(relations) })
    const first = await protectCubeOffThread(copy(), 7, 'final')
    const { started, reused } = suppressionStats
    // Equal content in new objects, on either lane.
    expect((await protectCubeOffThread(copy(), 7, 'budgeted')).hidden).toEqual(first.hidden)
    expect((await protectCubeOffThread(copy(), 7, 'final')).hidden).toEqual(first.hidden)
    expect([suppressionStats.started - started, suppressionStats.reused - reused]).toEqual([0, 2])
    // One figure different: another problem, audited.
    const other = copy()
    other.values[0] = 45
    await protectCubeOffThread(other, 7, 'final')
    expect([suppressionStats.started - started, suppressionStats.reused - reused]).toEqual([1, 2])
  })

  it('keeps no cube whose audit withheld cells: the next request audits again', async () => {
    setAuditBudget(0)
    try {
      const { started } = suppressionStats
      const a = await protectCubeOffThread(problem, 8, 'budgeted')
      expect(a.withheld).toBeGreaterThan(0)
      await protectCubeOffThread(problem, 8, 'budgeted')
      expect(suppressionStats.started - started).toBe(2)
    } finally {
      setAuditBudget(5_000)
    }
  })
})
