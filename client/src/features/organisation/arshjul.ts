/**
 * The årshjul's layout, pure: the year's meetings, the lägesbild cycle's dated steps and the forum as lanes
 * of twelve months (the wide view and the printed page) and as a list by month (narrow screens).
 */
import type { ArshjulDto } from '../../../../server/features/organisation/organisation.schema'

export type { ArshjulDto }

export const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'] as const

export type Mark = 'planerad' | 'genomford' | 'ej_paborjad' | 'pagar' | 'klar'

/** One entry of the calendar: a meeting or a step's date. */
export interface ArshjulItem {
  key: string
  kind: 'meeting' | 'step'
  date: string
  /** 0–11. */
  month: number
  day: number
  /** The group's name, or the step with its number ("1. Kartläggning och lägesbild"). */
  title: string
  /** A step's perspective ("Staden", "Nordost"); null for a meeting. */
  perspective: string | null
  mark: Mark
  fullDay: boolean
}

export interface Lane {
  id: string
  label: string
  /** A short line under the label: the group's kind, the cycle's years, whether it is a lägesbild year. */
  note: string
  /** Twelve lists, January first, each in date order. */
  months: ArshjulItem[][]
}

export const MARK_TEXT: Record<Mark, string> = { planerad: 'planerad', genomford: 'genomförd', ej_paborjad: 'ej påbörjad', pagar: 'pågår', klar: 'klar' }
/** Planned is hollow, held is filled: the difference survives black-and-white print and colour blindness. */
export const MARK_SHAPE: Record<Mark, string> = { planerad: '○', genomford: '●', ej_paborjad: '◇', pagar: '◈', klar: '◆' }

const KIND_NOTE: Record<ArshjulDto['groups'][number]['kind'], string> = {
  ledningsgrupp: 'ledningsgrupp',
  lokal_ledningsgrupp: 'lokal ledningsgrupp',
  natverk: 'nätverk',
  forum: 'forum',
  arbetsgrupp: 'arbetsgrupp',
}

const monthOf = (date: string) => Number(date.slice(5, 7)) - 1
const dayOf = (date: string) => Number(date.slice(8, 10))
const byDate = (a: ArshjulItem, b: ArshjulItem) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)

function meetingItem(m: ArshjulDto['meetings'][number]): ArshjulItem {
  return { key: `m${m.id}`, kind: 'meeting', date: m.date, month: monthOf(m.date), day: dayOf(m.date), title: m.groupName, perspective: null, mark: m.status, fullDay: m.fullDay }
}

function stepItem(s: ArshjulDto['steps'][number]): ArshjulItem {
  return {
    key: `s${s.stepId}:${s.areaId ?? 0}`,
    kind: 'step',
    date: s.date,
    month: monthOf(s.date),
    day: dayOf(s.date),
    title: `${s.ordinal}. ${s.stepName}`,
    perspective: s.perspective,
    mark: s.status,
    fullDay: false,
  }
}

function inMonths(items: ArshjulItem[]): ArshjulItem[][] {
  const months: ArshjulItem[][] = Array.from({ length: 12 }, () => [])
  for (const item of [...items].sort(byDate)) months[item.month]!.push(item)
  return months
}

/**
 * The lanes, top to bottom: the lägesbild cycle's steps, the Strategiskt forum, then every other group in the
 * server's order (ledningsgrupper, nätverk, working groups). A working group without meetings that year is left out.
 */
export function arshjulLanes(d: ArshjulDto): Lane[] {
  const cycleNote = d.cycles.length ? d.cycles.map((c) => `${c.name}`).join(', ') : 'ingen cykel detta år'
  const lanes: Lane[] = [{ id: 'cykel', label: 'Lägesbildscykeln', note: cycleNote, months: inMonths(d.steps.map(stepItem)) }]
  for (const g of d.groups.filter((x) => x.kind === 'forum')) {
    lanes.push({ id: g.id, label: g.name, note: d.forum.lagesbildsar ? 'lägesbildsår: forum i år' : 'inget lägesbildsår', months: inMonths(d.forum.meetings.filter((m) => m.groupId === g.id).map(meetingItem)) })
  }
  for (const g of d.groups.filter((x) => x.kind !== 'forum')) {
    const ms = d.meetings.filter((m) => m.groupId === g.id)
    if (g.kind === 'arbetsgrupp' && ms.length === 0) continue
    lanes.push({ id: g.id, label: g.name, note: KIND_NOTE[g.kind], months: inMonths(ms.map(meetingItem)) })
  }
  return lanes
}

/** The year by month, for narrow screens: every month, each entry with the lane it belongs to. */
export function arshjulByMonth(lanes: Lane[]): Array<{ month: number; name: string; items: Array<ArshjulItem & { lane: string }> }> {
  return MONTHS.map((name, month) => ({
    month,
    name,
    items: lanes.flatMap((l) => l.months[month]!.map((item) => ({ ...item, lane: l.label }))).sort(byDate),
  }))
}

/** A rule not met, in a few words: "Ledningsgrupp Trygg i Nordost: 3 möten till (minst fyra möten …)". */
export function missingText(r: ArshjulDto['missing'][number]): string {
  const what = typeof r.missing === 'number' ? `${r.missing} ${r.missing === 1 ? 'möte' : 'möten'} till` : (r.missing ?? 'inte uppfyllt')
  return `${r.groupName}: ${what} – ${r.text.charAt(0).toLowerCase()}${r.text.slice(1)}`
}
