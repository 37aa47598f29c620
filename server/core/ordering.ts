/**
 * Ordered lists kept as ordinals 1..n (the cycle's steps). Pure: no db, no http; never mutates its input.
 */

/** Clamps a wanted 1-based position into 1..n. */
export const clampOrdinal = (ordinal: number, n: number): number => Math.min(Math.max(1, Math.trunc(ordinal)), Math.max(1, n))

/**
 * The ids in their new order after moving `id` to 1-based position `ordinal` (clamped into range); the
 * others keep their order and close up around it. Throws when `id` is not in the list.
 */
export function moveTo<T>(ids: readonly T[], id: T, ordinal: number): T[] {
  const from = ids.indexOf(id)
  if (from < 0) throw new Error(`moveTo: ${String(id)} is not in the list`)
  const rest = ids.filter((x) => x !== id)
  const at = clampOrdinal(ordinal, ids.length) - 1
  return [...rest.slice(0, at), id, ...rest.slice(at)]
}

/** The ids with `id` inserted at 1-based position `ordinal` (clamped into 1..n+1; absent: last). */
export function insertAt<T>(ids: readonly T[], id: T, ordinal?: number): T[] {
  const at = ordinal === undefined ? ids.length : clampOrdinal(ordinal, ids.length + 1) - 1
  return [...ids.slice(0, at), id, ...ids.slice(at)]
}

/** Each id's ordinal (1..n) in list order: what the rows must be set to. */
export const ordinalsOf = <T>(ids: readonly T[]): Array<{ id: T; ordinal: number }> => ids.map((id, i) => ({ id, ordinal: i + 1 }))
