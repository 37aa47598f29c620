/**
 * An attacker on published tables, for tests: what can be learnt about the hidden cells by subtracting
 * published cells from published totals? Written independently of server/disclosure/secondary.ts (plain
 * Maps keyed by cell id, whole passes over every relation, no worklist) so that the two can check each
 * other: a bug shared by both would have to be made twice.
 *
 * The attacker knows the shown values, that hidden values are ≥ 0, and that every relation
 * `total = Σ parts` holds. Each pass does
 *  (a) exact subtraction: a relation with exactly one unknown member gives that member outright, and
 *  (b) interval propagation: part ≤ hi(total) − Σ lo(other parts), part ≥ lo(total) − Σ hi(other parts),
 *      Σ lo(parts) ≤ total ≤ Σ hi(parts), rounded inwards when every shown value is an integer,
 * until a pass changes nothing. There is no cap short of a safety limit that throws: a test should see
 * an attacker that is still learning, not a truncated one.
 */

export interface Interval {
  lo: number
  hi: number
}

const SAFETY_PASSES = 100_000

export function recoverBySubtraction(
  cells: Map<string, number | null>,
  relations: Array<{ total: string; parts: string[] }>,
): Map<string, Interval> {
  const shown = [...cells.values()].filter((v): v is number => v !== null)
  const integer = shown.every((v) => Number.isInteger(v))
  const known = new Map<string, Interval>()
  for (const [id, v] of cells) known.set(id, v === null ? { lo: 0, hi: Infinity } : { lo: v, hi: v })
  const get = (id: string): Interval => {
    const iv = known.get(id)
    if (!iv) throw new Error(`relation names unknown cell ${id}`)
    return iv
  }
  const exact = (iv: Interval) => iv.lo === iv.hi

  let changed = true
  let passes = 0
  // Narrows a hidden cell's interval (shown cells are known), noting whether anything changed.
  const narrow = (id: string, lo: number, hi: number) => {
    const iv = get(id)
    if (cells.get(id) !== null) return
    if (integer) {
      lo = Math.ceil(lo - 1e-9)
      hi = Math.floor(hi + 1e-9)
    }
    if (lo > iv.lo) {
      iv.lo = lo
      changed = true
    }
    if (hi < iv.hi) {
      iv.hi = hi
      changed = true
    }
  }

  while (changed) {
    changed = false
    if (++passes > SAFETY_PASSES) throw new Error(`differencing attack still narrowing after ${SAFETY_PASSES} passes`)

    // (a) Exact subtraction.
    for (const rel of relations) {
      const members = [rel.total, ...rel.parts]
      const unknown = members.filter((id) => !exact(get(id)))
      if (unknown.length !== 1) continue
      const id = unknown[0]!
      let value: number
      if (id === rel.total) {
        value = rel.parts.reduce((s, p) => s + get(p).lo, 0)
      } else {
        value = get(rel.total).lo
        let self = false
        for (const p of rel.parts) {
          if (p === id && !self) self = true
          else value -= get(p).lo
        }
      }
      narrow(id, value, value)
    }

    // (b) Interval propagation, one relation at a time from the current intervals.
    for (const rel of relations) {
      const t = get(rel.total)
      const partIvs = rel.parts.map(get)
      narrow(rel.total, partIvs.reduce((s, iv) => s + iv.lo, 0), partIvs.reduce((s, iv) => s + iv.hi, 0))
      const sumLo = partIvs.reduce((s, iv) => s + iv.lo, 0)
      const finite = partIvs.filter((iv) => iv.hi !== Infinity)
      const sumFiniteHi = finite.reduce((s, iv) => s + iv.hi, 0)
      const unbounded = partIvs.length - finite.length
      rel.parts.forEach((id, i) => {
        const own = partIvs[i]!
        const otherLo = sumLo - own.lo
        // Lower bound only when every other part is bounded above (Infinity − Infinity would be NaN).
        const othersUnbounded = unbounded - (own.hi === Infinity ? 1 : 0)
        const otherHi = othersUnbounded > 0 ? Infinity : sumFiniteHi - (own.hi === Infinity ? 0 : own.hi)
        narrow(id, otherHi === Infinity ? 0 : t.lo - otherHi, t.hi - otherLo)
      })
    }
  }

  const out = new Map<string, Interval>()
  for (const [id, v] of cells) if (v === null) out.set(id, { ...get(id) })
  return out
}
