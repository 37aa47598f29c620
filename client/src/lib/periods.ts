import type { SeriesDto } from '../../../server/features/indicators/indicators.schema'

/**
 * Period ids as the API writes them — `2024`, `2024-H1`, `2024-Q3`, `2024-05` — read in the client. Pure.
 * A trend shows one kind at a time, ordered by start: ids of different kinds never sort as strings.
 */
export type PeriodKind = NonNullable<SeriesDto['periodKind']>

/** Coarsest first, as the API lists them. */
export const PERIOD_KINDS: readonly PeriodKind[] = ['year', 'half', 'quarter', 'month']

/** What a kind is called in a picker. */
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = { year: 'År', half: 'Halvår', quarter: 'Kvartal', month: 'Månad' }

const MONTHS_IN: Record<PeriodKind, number> = { year: 12, half: 6, quarter: 3, month: 1 }

export interface ParsedPeriod {
  kind: PeriodKind
  year: number
  /** 1-based position within the year: the half, quarter or month (1 for a year). */
  part: number
  /** Months since year 0 of the first month: comparable across kinds. */
  start: number
  months: number
}

const PATTERN = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/

/** Null when `id` is not a period id. */
export function parsePeriod(id: string): ParsedPeriod | null {
  const m = PATTERN.exec(id)
  if (!m) return null
  const year = Number(m[1])
  const p = m[2]
  const [kind, part]: [PeriodKind, number] = !p ? ['year', 1] : p[0] === 'H' ? ['half', Number(p[1])] : p[0] === 'Q' ? ['quarter', Number(p[1])] : ['month', Number(p)]
  const months = MONTHS_IN[kind]
  return { kind, year, part, start: year * 12 + (part - 1) * months, months }
}

export const periodKindOf = (id: string): PeriodKind | null => parsePeriod(id)?.kind ?? null

/** By start, then the longer first (2024 before 2024-H1 before 2024-Q1 before 2024-01); non-periods last, as text. */
export function comparePeriods(a: string, b: string): number {
  const pa = parsePeriod(a)
  const pb = parsePeriod(b)
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0
  return pa.start - pb.start || pb.months - pa.months
}

/** The period of `kind` that holds `id` (2026-Q3 in years is 2026); null when `kind` is finer than `id`. */
export function periodContaining(id: string, kind: PeriodKind): string | null {
  const p = parsePeriod(id)
  if (!p || MONTHS_IN[kind] < p.months) return null
  const month0 = p.start - p.year * 12
  const part = Math.floor(month0 / MONTHS_IN[kind]) + 1
  if (kind === 'year') return String(p.year)
  if (kind === 'half') return `${p.year}-H${part}`
  if (kind === 'quarter') return `${p.year}-Q${part}`
  return `${p.year}-${String(part).padStart(2, '0')}`
}

/** The coarser of two kinds. */
export const coarserKind = (a: PeriodKind, b: PeriodKind): PeriodKind => (MONTHS_IN[a] >= MONTHS_IN[b] ? a : b)

/**
 * The kind most of the ids have (ties: the coarser); null when none is a period. A chart given mixed kinds
 * draws this one only, rather than a line that zig-zags between years and months.
 */
export function commonKind(ids: Iterable<string>): PeriodKind | null {
  const n = new Map<PeriodKind, number>()
  for (const id of ids) {
    const k = periodKindOf(id)
    if (k) n.set(k, (n.get(k) ?? 0) + 1)
  }
  let best: PeriodKind | null = null
  for (const k of PERIOD_KINDS) if ((n.get(k) ?? 0) > (best ? n.get(best)! : 0)) best = k
  return best
}
