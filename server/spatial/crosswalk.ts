/**
 * Crosswalks between area layers that do not nest, through building blocks (primärområden): each block
 * belongs to one source and one target area and carries a weight (its population, or its area where any
 * population is missing). Pure: no db, no http.
 *
 * - A share or rate of the target is the weighted mean of the source values over its blocks (a population
 *   share estimated as if it were even within each source area).
 * - A count of the target is each source count spread over the source's blocks by weight, then summed.
 * A target with a block whose source value is hidden is hidden too; one with a block whose source value is
 * missing has no estimate (a partial estimate would look complete).
 */
export interface Block {
  sourceId: number | null
  targetId: number | null
  population: number | null
  area: number
}

export interface SourceValue {
  value: number | null
  suppressed: boolean
}

export interface Estimate {
  value: number | null
  suppressed: boolean
}

export type Weighting = 'population' | 'area'

export function weightingOf(blocks: readonly Block[]): Weighting {
  return blocks.length > 0 && blocks.every((b) => b.population !== null && b.population > 0) ? 'population' : 'area'
}

export function crosswalk(
  blocks: readonly Block[],
  source: ReadonlyMap<number, SourceValue>,
  kind: 'count' | 'share',
): { estimates: Map<number, Estimate>; weighting: Weighting } {
  const weighting = weightingOf(blocks)
  const w = (b: Block) => (weighting === 'population' ? b.population! : b.area)
  const sourceWeight = new Map<number, number>()
  for (const b of blocks) if (b.sourceId !== null) sourceWeight.set(b.sourceId, (sourceWeight.get(b.sourceId) ?? 0) + w(b))

  const acc = new Map<number, { sum: number; weight: number; hidden: boolean; missing: boolean }>()
  for (const b of blocks) {
    if (b.targetId === null) continue
    const a = acc.get(b.targetId) ?? { sum: 0, weight: 0, hidden: false, missing: false }
    acc.set(b.targetId, a)
    const s = b.sourceId === null ? undefined : source.get(b.sourceId)
    if (!s || (s.value === null && !s.suppressed)) {
      a.missing = true
      continue
    }
    if (s.suppressed) {
      a.hidden = true
      continue
    }
    if (kind === 'share') {
      a.sum += s.value! * w(b)
      a.weight += w(b)
    } else {
      const total = sourceWeight.get(b.sourceId!)!
      a.sum += total > 0 ? (s.value! * w(b)) / total : 0
      a.weight += w(b)
    }
  }
  const estimates = new Map<number, Estimate>()
  for (const [id, a] of acc) {
    if (a.hidden) estimates.set(id, { value: null, suppressed: true })
    else if (a.missing || a.weight === 0) estimates.set(id, { value: null, suppressed: false })
    else estimates.set(id, { value: kind === 'share' ? a.sum / a.weight : a.sum, suppressed: false })
  }
  return { estimates, weighting }
}
