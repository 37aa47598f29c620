/**
 * Permutation p-values off the event loop: 9 999 permutations of a layer take about half a second of CPU,
 * during which the server would answer nothing else. One worker thread, started on first use and kept,
 * runs them one after another; its figures are those of `permutationPValues` (same code, same seed).
 */
import { Worker } from 'node:worker_threads'
import type { PermutationResult } from '../../statistics/hotspots'

/** Jobs handed to the worker and answered (tests follow the hand-off by these, not by time). */
export const permutationStats = { started: 0, finished: 0 }

interface Job {
  resolve(r: PermutationResult): void
  reject(e: Error): void
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
  const w = new Worker(new URL('./permutations.worker.mjs', import.meta.url))
  w.on('message', (m: { id: number; error?: string } & Partial<PermutationResult>) => {
    const job = pending.get(m.id)
    if (!job) return
    pending.delete(m.id)
    permutationStats.finished++
    if (m.error !== undefined) job.reject(new Error(`permutation worker: ${m.error}`))
    else job.resolve({ p: m.p!, pFolded: m.pFolded!, zSim: m.zSim! })
    // An idle worker must not keep the process alive.
    if (pending.size === 0) w.unref()
  })
  w.on('error', (err) => failAll(err))
  w.on('exit', (code) => {
    if (worker === w) failAll(new Error(`permutation worker exited with code ${code}`))
  })
  w.unref()
  return (worker = w)
}

/** `permutationPValues(x, neighbours, statistic, permutations, seed)`, computed in a worker thread. */
export function permutationPValuesOffThread(
  x: Float64Array,
  neighbours: readonly (readonly number[])[],
  statistic: 'gstar' | 'lisa',
  permutations: number,
  seed: number,
): Promise<PermutationResult> {
  const w = theWorker()
  const id = nextId++
  return new Promise<PermutationResult>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    w.ref()
    permutationStats.started++
    w.postMessage({ id, x, neighbours, statistic, permutations, seed })
  })
}
