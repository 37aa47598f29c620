/**
 * A cube's suppression off the event loop: the interval heuristic and the LP audit (server/disclosure/cube.ts)
 * take from a tenth of a second to many seconds per indicator, during which the server would answer nothing
 * else. Two worker threads, each started on first use and kept, run them one job after another:
 * - `budgeted`: within the LP audit's budget (LP_AUDIT_BUDGET_MS), for the first answer after an import; what
 *   the audit has not reached by then is withheld (`DisclosureCube.withheld`);
 * - `final`: without a budget, in the background, so that a long audit never holds up another indicator's
 *   first answer. Its verdicts depend on the figures alone, never on the machine's speed.
 * The verdicts are those of `protectCube` (same code, same input). A cube whose audit came out whole (nothing
 * withheld) is kept by its input's content: the same problem again — every other indicator after an import of
 * one, a second server start's first answers, the same data in another database — gets its verdicts at once.
 */
import { createHash } from 'node:crypto'
import { serialize } from 'node:v8'
import { Worker } from 'node:worker_threads'
import { hiddenReason, withUnpublished, type CubeAudit, type CubeProblem, type DisclosureCube, type Hidden } from '../../disclosure/cube'

/** Jobs handed to the workers and answered. */
export const suppressionStats = { started: 0, finished: 0, dropped: 0, reused: 0 }

/**
 * Whole verdicts by the sha-256 of (problem, threshold) as V8 serializes them (equal bytes, equal input), most
 * recently used last; at most KEPT_CELLS cells in all (a byte each).
 */
const settled = new Map<string, { verdict: Uint8Array; audit: CubeAudit }>()
const KEPT_CELLS = 8_000_000
let keptCells = 0

function problemKey(problem: CubeProblem, threshold: number): string {
  return createHash('sha256').update(serialize({ problem, threshold })).digest('hex')
}

function keepSettled(key: string, verdict: Uint8Array, audit: CubeAudit) {
  if (verdict.includes(2) || verdict.length > KEPT_CELLS) return
  const had = settled.get(key)
  if (had) keptCells -= had.verdict.length
  settled.delete(key)
  settled.set(key, { verdict, audit })
  keptCells += verdict.length
  for (const [k, v] of settled) {
    if (keptCells <= KEPT_CELLS) break
    settled.delete(k)
    keptCells -= v.verdict.length
  }
}

interface Job {
  id: number
  key: string
  problem: CubeProblem
  threshold: number
  /** Still wanted when its turn comes (a job for data an import has since replaced is dropped). */
  wanted?: () => boolean
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
  name: AuditLane
  worker: Worker | null
  /** The job the worker is on, and those waiting their turn (kept here, so a stale one can be dropped). */
  running: Job | null
  queue: Job[]
  /** Holds that keep the lane from starting jobs (holdLane). */
  holds: number
}
const lane = (name: AuditLane): Lane => ({ name, worker: null, running: null, queue: [], holds: 0 })
const lanes: Record<AuditLane, Lane> = { budgeted: lane('budgeted'), final: lane('final') }
let nextId = 0

function failAll(lane: Lane, err: Error) {
  lane.worker = null
  for (const job of [...(lane.running ? [lane.running] : []), ...lane.queue]) job.reject(err)
  lane.running = null
  lane.queue = []
}

/** Hands the next wanted job to the worker when it is free. */
function next(lane: Lane) {
  if (lane.running) return
  if (lane.holds > 0) {
    lane.worker?.unref()
    return
  }
  let job: Job | undefined
  while ((job = lane.queue.shift())) {
    if (!job.wanted || job.wanted()) break
    suppressionStats.dropped++
    job.reject(new Error('suppression job dropped: its data have been replaced'))
  }
  const w = workerOf(lane)
  if (!job) {
    // An idle worker must not keep the process alive.
    w.unref()
    return
  }
  lane.running = job
  w.ref()
  suppressionStats.started++
  w.postMessage({ id: job.id, problem: job.problem, threshold: job.threshold, ...(lane.name === 'budgeted' ? { budgetMs } : {}) })
}

function workerOf(lane: Lane): Worker {
  if (lane.worker) return lane.worker
  const w = new Worker(new URL('./suppression.worker.mjs', import.meta.url))
  w.on('message', (m: { id: number; error?: string; verdict?: Uint8Array; audit?: CubeAudit }) => {
    const job = lane.running
    if (!job || job.id !== m.id) return
    lane.running = null
    suppressionStats.finished++
    if (m.error !== undefined) job.reject(new Error(`suppression worker: ${m.error}`))
    else {
      keepSettled(job.key, m.verdict!, m.audit!)
      job.resolve(verdicts(job.problem, m.verdict!, m.audit!))
    }
    next(lane)
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
      out.set(k, hiddenReason(problem, i))
      if (!problem.primary[i]) secondary++
    }
  })
  return { hidden: withUnpublished(problem, out), cells: problem.keys.length, relations: problem.relations.length, secondary, withheld, unpublished: problem.unpublished?.length ?? 0, inequalities: problem.inequalities?.length ?? 0, zerosSafe: Boolean(problem.zerosSafe), audit }
}

/**
 * Keeps the lane from starting another job until the returned release is called (the job it is on goes on).
 * For tests that must see what a user sees while an audit is still to come, however fast the audit is.
 */
export function holdLane(name: AuditLane): () => void {
  const held = lanes[name]
  held.holds++
  let released = false
  return () => {
    if (released) return
    released = true
    held.holds--
    next(held)
  }
}

/**
 * `protectCube(problem, threshold, { solver: HiGHS, budgetMs })` in a worker thread, after the lane's earlier
 * jobs; the final lane has no budget. `wanted` is asked when the job's turn comes: false drops it (rejected).
 */
export function protectCubeOffThread(problem: CubeProblem, threshold: number, laneName: AuditLane = 'budgeted', wanted?: () => boolean): Promise<DisclosureCube> {
  const lane = lanes[laneName]
  const key = problemKey(problem, threshold)
  const known = settled.get(key)
  // A held lane shows what comes before an audit (holdLane): then not even a known cube is answered at once.
  if (known && lane.holds === 0) {
    settled.delete(key)
    settled.set(key, known)
    suppressionStats.reused++
    return Promise.resolve(verdicts(problem, known.verdict, known.audit))
  }
  return new Promise<DisclosureCube>((resolve, reject) => {
    lane.queue.push({ id: nextId++, key, problem, threshold, ...(wanted ? { wanted } : {}), resolve, reject })
    next(lane)
  })
}
