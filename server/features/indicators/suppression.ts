/**
 * A cube's suppression off the event loop: the interval heuristic and the LP audit (server/disclosure/cube.ts)
 * take from a tenth of a second to seconds per indicator, during which the server would answer nothing else.
 * One worker thread, started on first use and kept, runs them one after another; its verdicts are those of
 * `protectCube` (same code, same input).
 */
import { Worker } from 'node:worker_threads'
import type { CubeAudit, CubeProblem, DisclosureCube } from '../../disclosure/cube'

/** Jobs handed to the worker and answered. */
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

let worker: Worker | null = null
const pending = new Map<number, Job>()
let nextId = 0

function failAll(err: Error) {
  worker = null
  for (const job of pending.values()) job.reject(err)
  pending.clear()
}

function theWorker(): Worker {
  if (worker) return worker
  const w = new Worker(new URL('./suppression.worker.mjs', import.meta.url))
  w.on('message', (m: { id: number; error?: string; hidden?: Uint8Array; audit?: CubeAudit }) => {
    const job = pending.get(m.id)
    if (!job) return
    pending.delete(m.id)
    suppressionStats.finished++
    if (m.error !== undefined) job.reject(new Error(`suppression worker: ${m.error}`))
    else job.resolve(verdicts(job.problem, m.hidden!, m.audit!))
    // An idle worker must not keep the process alive.
    if (pending.size === 0) w.unref()
  })
  w.on('error', (err) => failAll(err))
  w.on('exit', (code) => {
    if (worker === w) failAll(new Error(`suppression worker exited with code ${code}`))
  })
  w.unref()
  return (worker = w)
}

function verdicts(problem: CubeProblem, hidden: Uint8Array, audit: CubeAudit): DisclosureCube {
  const out = new Map<string, 'primary' | 'secondary'>()
  let secondary = 0
  problem.keys.forEach((k, i) => {
    if (!hidden[i]) return
    out.set(k, problem.primary[i] ? 'primary' : 'secondary')
    if (!problem.primary[i]) secondary++
  })
  return { hidden: out, cells: problem.keys.length, relations: problem.relations.length, secondary, audit }
}

/** `protectCube(problem, threshold, { solver: HiGHS, budgetMs })`, computed in a worker thread. */
export function protectCubeOffThread(problem: CubeProblem, threshold: number): Promise<DisclosureCube> {
  const w = theWorker()
  const id = nextId++
  return new Promise<DisclosureCube>((resolve, reject) => {
    pending.set(id, { problem, resolve, reject })
    w.ref()
    suppressionStats.started++
    w.postMessage({ id, problem, threshold, budgetMs })
  })
}
