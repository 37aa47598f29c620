/**
 * A log that folds repeats: the first of identical messages is written at once, the rest only counted and
 * summed up when the window closes. An outage that fails thousands of requests writes a few lines, not
 * thousands, and still says how many.
 */
export function foldingLog(write: (...args: unknown[]) => void = console.error, windowMs = 60_000) {
  const open = new Map<string, { repeats: number }>()
  return (key: string, ...args: unknown[]): void => {
    const entry = open.get(key)
    if (entry) {
      entry.repeats++
      return
    }
    write(...args)
    const fresh = { repeats: 0 }
    open.set(key, fresh)
    setTimeout(() => {
      open.delete(key)
      if (fresh.repeats) write(`[log] ${fresh.repeats} likadana till på ${Math.round(windowMs / 1000)} s: ${key}`)
    }, windowMs).unref()
  }
}
