/**
 * A cube's suppression off the event loop: the interval heuristic and the LP audit (server/disclosure/cube.ts)
 * take from a tenth of a second to many seconds per indicator, during which the server would answer nothing
 * else. Two worker threads, each started on first use and kept, run them one job after another:
 * - `budgeted`: within the LP audit's budget (LP_AUDIT_BUDGET_MS), for the first answer after an import; what
 *   the audit has not reached by then is withheld (`DisclosureCube.withheld`);
 * - `final`: without a budget, in the background, so that a long audit never holds up another indicator's
 *   first answer. Its verdicts depend on the figures alone, never on the machine's speed.
 * The verdicts are those of `protectCube` (same code, same input).
 */
import { Worker } from 'node:worker_threads'
import type { CubeAudit, CubeProblem, DisclosureCube, Hidden } from '../../disclosure/cube'

/** Jobs handed to the workers and answered. */
export const suppressionStats = { started: 0, finished: 0 }

interface Job {
  problem: CubeProblem
  resolve(c: DisclosureCube): void
  reject(e: Error): void
}

let budgetMs = 5_000
/** The LP audit's budget (config LP_AUDIT_BUDGET_MS). */
export function setAuditBudget(ms: number) {
  budgetMs = ms
}

export type AuditLane = 'budgeted' | 'final'

interface Lane {
  worker: Worker | null
  pending: Map<number, Job>
}
const lanes: Record<AuditLane, Lane> = { budgeted: { worker: null, pending: new Map() }, final: { worker: null, pending: new Map() } }
let nextId = 0

function failAll(lane: Lane, err: Error) {
  lane.worker = null
  for (const job of lane.pending.values()) job.reject(err)
  lane.pending.clear()
}

function workerOf(lane: Lane): Worker {
  if (lane.worker) return lane.worker
  const w = new Worker(new URL('./suppression.worker.mjs', import.meta.url))
  w.on('message', (m: { id: number; error?: string; verdict?: Uint8Array; audit?: CubeAudit }) => {
    const job = lane.pending.get(m.id)
    if (!job) return
    lane.pending.delete(m.id)
    suppressionStats.finished++
    if (m.error !== undefined) job.reject(new Error(`suppression worker: ${m.error}`))
    else job.resolve(verdicts(job.problem, m.verdict!, m.audit!))
    // An idle worker must not keep the process alive.
    if (lane.pending.size === 0) w.unref()
  })
  w.on('error', (err) => failAll(lane, err))
  w.on('exit', (code) => {
    if (lane.worker === w) failAll(lane, new Error(`suppression worker exited with code ${code}`))
  })
  w.unref()
  return (lane.worker = w)
}

/** The worker's per-cell verdict (0 shown, 1 hidden, 2 withheld) as the cube the service reads. */
function verdicts(problem: CubeProblem, verdict: Uint8Array, audit: CubeAudit): DisclosureCube {
  const out = new Map<string, Hidden>()
  let secondary = 0, withheld = 0
  problem.keys.forEach((k, i) => {
    if (verdict[i] === 2) {
      out.set(k, 'unaudited')
      withheld++
    } else if (verdict[i] === 1) {
      out.set(k, problem.primary[i] ? 'primary' : 'secondary')
      if (!problem.primary[i]) secondary++
    }
  })
  return { hidden: out, cells: problem.keys.length, relations: problem.relations.length, secondary, withheld, audit }
}

/** `protectCube(problem, threshold, { solver: HiGHS, budgetMs })` in a worker thread; the final lane has no budget. */
export function protectCubeOffThread(problem: CubeProblem, threshold: number, laneName: AuditLane = 'budgeted'): Promise<DisclosureCube> {
  const lane = lanes[laneName]
  const w = workerOf(lane)
  const id = nextId++
  return new Promise<DisclosureCube>((resolve, reject) => {
    lane.pending.set(id, { problem, resolve, reject })
    w.ref()
    suppressionStats.started++
    w.postMessage({ id, problem, threshold, ...(laneName === 'budgeted' ? { budgetMs } : {}) })
  })
}
