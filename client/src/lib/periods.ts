import type { SeriesDto } from '../../../server/features/indicators/indicators.schema'

/**
 * Period ids as the API writes them — `2024`, `2024-H1`, `2024-Q3`, `2024-05`, ISO weeks `2026-W10` — read in
 * the client. Pure. A trend shows one kind at a time, ordered by start: ids of different kinds never sort as
 * strings. Positions are in days, since weeks do not fall on month boundaries.
 */
export type PeriodKind = NonNullable<SeriesDto['periodKind']>

/** Coarsest first, as the API lists them. */
export const PERIOD_KINDS: readonly PeriodKind[] = ['year', 'half', 'quarter', 'month', 'week']

/** What a kind is called in a picker. */
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = { year: 'År', half: 'Halvår', quarter: 'Kvartal', month: 'Månad', week: 'Vecka' }

const MONTHS_IN: Record<Exclude<PeriodKind, 'week'>, number> = { year: 12, half: 6, quarter: 3, month: 1 }
const RANK: Record<PeriodKind, number> = { week: 0, month: 1, quarter: 2, half: 3, year: 4 }

export interface ParsedPeriod {
  kind: PeriodKind
  /** The calendar year, or for a week its ISO week-year. */
  year: number
  /** 1-based position within the year: the half, quarter, month or week (1 for a year). */
  part: number
  /** Days since 1970-01-01 of the first day: comparable across kinds. */
  start: number
  /** Days since 1970-01-01 of the day after the last. */
  end: number
}

const PATTERN = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]|W(?:0[1-9]|[1-4]\d|5[0-3])))?$/
const dayOf = (y: number, month0: number, d = 1) => Date.UTC(y, month0, d) / 86_400_000

/** The Monday of ISO week 1 (the week holding 4 January), in days. */
function weekOneMonday(year: number): number {
  const jan4 = dayOf(year, 0, 4)
  return jan4 - ((new Date(jan4 * 86_400_000).getUTCDay() + 6) % 7)
}

/** Null when `id` is not a period id. */
export function parsePeriod(id: string): ParsedPeriod | null {
  const m = PATTERN.exec(id)
  if (!m) return null
  const year = Number(m[1])
  const p = m[2]
  if (p?.[0] === 'W') {
    const week = Number(p.slice(1))
    const start = weekOneMonday(year) + 7 * (week - 1)
    if (start >= weekOneMonday(year + 1)) return null // week 53 of a 52-week year
    return { kind: 'week', year, part: week, start, end: start + 7 }
  }
  const [kind, part]: [Exclude<PeriodKind, 'week'>, number] = !p ? ['year', 1] : p[0] === 'H' ? ['half', Number(p[1])] : p[0] === 'Q' ? ['quarter', Number(p[1])] : ['month', Number(p)]
  const months = MONTHS_IN[kind]
  const first = (part - 1) * months
  return { kind, year, part, start: dayOf(year, first), end: dayOf(year, first + months) }
}

export const periodKindOf = (id: string): PeriodKind | null => parsePeriod(id)?.kind ?? null

/** By start, then the longer first (2024 before 2024-H1 before 2024-Q1 before 2024-01); non-periods last, as text. */
export function comparePeriods(a: string, b: string): number {
  const pa = parsePeriod(a)
  const pb = parsePeriod(b)
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0
  return pa.start - pb.start || pb.end - pa.end
}

/**
 * The period of `kind` that holds `id` (2026-Q3 in years is 2026); null when `kind` is finer than `id`. Weeks
 * hold nothing but themselves and lie in no month; a week is placed in the calendar period of its Thursday.
 */
export function periodContaining(id: string, kind: PeriodKind): string | null {
  const p = parsePeriod(id)
  if (!p || RANK[kind] < RANK[p.kind]) return null
  if (kind === 'week') return id
  if (p.kind === 'week' && kind !== 'year') {
    const thursday = new Date((p.start + 3) * 86_400_000)
    return periodContaining(`${thursday.getUTCFullYear()}-${String(thursday.getUTCMonth() + 1).padStart(2, '0')}`, kind)
  }
  if (kind === 'year') return String(p.year)
  const month0 = new Date(p.start * 86_400_000).getUTCMonth()
  const part = Math.floor(month0 / MONTHS_IN[kind]) + 1
  if (kind === 'half') return `${p.year}-H${part}`
  if (kind === 'quarter') return `${p.year}-Q${part}`
  return `${p.year}-${String(part).padStart(2, '0')}`
}

/** The period shown when none is chosen: the latest to start, a week only when nothing else is held. */
export const defaultPeriod = (sorted: readonly string[]): string | undefined => sorted.filter((p) => periodKindOf(p) !== 'week').at(-1) ?? sorted.at(-1)

/** The coarser of two kinds. */
export const coarserKind = (a: PeriodKind, b: PeriodKind): PeriodKind => (RANK[a] >= RANK[b] ? a : b)

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
