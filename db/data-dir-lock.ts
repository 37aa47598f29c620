import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The embedded engine's data directory must never be opened by two processes: the running server keeps a
 * lock file in it (its pid and URL), so the command-line tools can refuse, or ask the server instead.
 * A lock whose process is gone (killed, crashed) is stale and ignored.
 */
export const LOCK_FILE = 'lagesbild.lock.json'

export interface DataDirLock {
  pid: number
  /** Where the holder serves the API (set once it listens), e.g. http://127.0.0.1:8080/ */
  url: string | null
  since: string
}

/** PGlite's in-memory engine, or a directory on disk that a lock makes sense for. */
export const isDirectory = (dataDir: string) => !dataDir.startsWith('memory://')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The live holder of the directory, or null when nobody (or only a dead process) holds it. */
export async function readLock(dataDir: string): Promise<DataDirLock | null> {
  let text: string
  try {
    text = await readFile(join(dataDir, LOCK_FILE), 'utf8')
  } catch {
    return null
  }
  try {
    const lock = JSON.parse(text) as DataDirLock
    return Number.isInteger(lock.pid) && alive(lock.pid) ? lock : null
  } catch {
    return null // half-written by a process that died while writing
  }
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLock,
  ) {
    super(`Datakatalogen ${dataDir} används av en annan process (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}). Stoppa den först.`)
  }
}

/** Takes the directory for this process; throws DataDirBusyError when another live process holds it. */
export async function acquireLock(dataDir: string, url: string | null = null): Promise<void> {
  await mkdir(dataDir, { recursive: true })
  const holder = await readLock(dataDir)
  if (holder && holder.pid !== process.pid) throw new DataDirBusyError(dataDir, holder)
  const lock: DataDirLock = { pid: process.pid, url, since: holder?.since ?? new Date().toISOString() }
  // Renamed into place: a reader never sees half a lock (which it would take for no lock at all).
  const tmp = join(dataDir, `${LOCK_FILE}.${process.pid}`)
  await writeFile(tmp, JSON.stringify(lock))
  await rename(tmp, join(dataDir, LOCK_FILE))
}

/** Removes the lock if this process holds it. */
export async function releaseLock(dataDir: string): Promise<void> {
  const holder = await readLock(dataDir)
  if (holder?.pid === process.pid) await rm(join(dataDir, LOCK_FILE), { force: true })
}

/** Refuses when another live process holds the directory (every opener of the embedded engine checks this). */
export async function assertNotHeld(dataDir: string): Promise<void> {
  if (!isDirectory(dataDir)) return
  const holder = await readLock(dataDir)
  if (holder && holder.pid !== process.pid) throw new DataDirBusyError(dataDir, holder)
}
