/**
 * A meeting pack's slides and the words they use, from the meeting's figures. Pure: unit-tested.
 */
import type { MeetingDto, MeetingHotspots, MeetingIndicator } from '../../../../server/features/snapshots/snapshots.schema'
import type { AreaCollection } from '../../lib/api'
import { formatNumber, formatValue, periodLabel } from '../../lib/format'
import type { PresentSlide } from './slides'

export const KIND_WORD = { year: 'år', half: 'halvår', quarter: 'kvartal', month: 'månad' } as const

/** A date as the meeting's participants say it: 1 december 2026. */
export function dateLabel(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

/** A figure as the table and the summary show it: hidden as "dolt", counts with their rate. */
export function figure(f: { value: number | null; suppressed: boolean; rate?: number | null } | null, unit: MeetingIndicator['unit']): string {
  if (!f) return '–'
  if (f.suppressed) return 'dolt'
  const v = formatValue(f.value, unit)
  return f.rate != null ? `${v} (${formatNumber(f.rate, { decimals: 1 })} per 1 000 inv.)` : v
}

export type Bounds = [[number, number], [number, number]]

/** The bounding box of one feature, from its coordinates (no spherical winding rules involved). */
export function boundsOf(collection: AreaCollection | null, id: number): Bounds | null {
  const f = collection?.features.find((x) => x.id === id)
  if (!f) return null
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const poly of f.geometry.coordinates) for (const ring of poly) for (const [x, y] of ring) [w, s, e, n] = [Math.min(w, x!), Math.min(s, y!), Math.max(e, x!), Math.max(n, y!)]
  return [
    [w, s],
    [e, n],
  ]
}

/**
 * A projector shows about six rows legibly: crime on its own slides, effort (aktivitet: neither better nor
 * worse when it rises) on its own, the rest (safety, risk and protective factors) on theirs.
 */
const ROWS_PER_SLIDE = 6

function keyFigureSlides(m: MeetingDto): PresentSlide[] {
  const of = (test: (c: string) => boolean) => m.indicators.filter((i) => test(i.category)).map((i) => i.indicator)
  const groups = [
    { label: 'brott', ids: of((c) => c === 'brott') },
    { label: 'insatser (aktivitet)', ids: of((c) => c === 'aktivitet') },
    { label: 'trygghet, risk- och skyddsfaktorer', ids: of((c) => c !== 'brott' && c !== 'aktivitet') },
  ].filter((g) => g.ids.length > 0)
  return groups.flatMap((g) => {
    const parts = Math.ceil(g.ids.length / ROWS_PER_SLIDE)
    return Array.from({ length: parts }, (_, k) => ({
      kind: 'keyfigures' as const,
      title: `Nyckeltal, ${g.label}${parts > 1 ? ` (${k + 1} av ${parts})` : ''}: ${m.area.name} mot staden och förra mötet`,
      meeting: m,
      indicators: g.ids.slice(k * ROWS_PER_SLIDE, (k + 1) * ROWS_PER_SLIDE),
    }))
  })
}

/** Whether an indicator's hot spots show anything in the meeting's area. */
const anythingInside = (h: MeetingHotspots) => h.values.some((v) => h.inside.includes(v.areaId) && (v.class.startsWith('hot') || v.class.startsWith('cold')))

/** The slides of a meeting pack, in the order the meeting goes through them. */
export function meetingDeck(m: MeetingDto): PresentSlide[] {
  const name = m.area.name
  const changed = m.indicators.filter((i) => i.change.verdict === 'increase' || i.change.verdict === 'decrease')
  const summary = changed.length
    ? `Säkra förändringar sedan förra mötet: ${changed
        .map((i) => `${i.name} – ${i.change.verdict === 'increase' ? 'ökning' : 'minskning'} från ${figure(i.previous, i.unit)} (${periodLabel(i.previous!.period)}) till ${figure(i.current, i.unit)} (${periodLabel(i.current!.period)})`)
        .join('; ')}.`
    : 'Inga säkra förändringar sedan förra mötet: skillnaderna ryms inom slumpen, eller det finns inga nya siffror.'
  const published = m.publishedAt ? `, publicerad ${dateLabel(m.publishedAt.slice(0, 10))}` : ' (utkast, inte publicerad)'
  const slides: PresentSlide[] = [
    {
      kind: 'text',
      title: `Mötesunderlag: ${name}`,
      body: [
        `Ledningsgruppens möte ${dateLabel(m.date)}. Jämförs med förra mötet ${dateLabel(m.previousDate)}.`,
        `Underlag: lägesbilden ”${m.snapshotTitle}”${published}. Bara publicerade siffror; dolda värden visas inte och prövas inte.`,
        summary,
      ].join('\n\n'),
    },
    ...keyFigureSlides(m),
  ]
  const shown = m.hotspots.filter(anythingInside)
  for (const h of shown) slides.push({ kind: 'hotspots', title: `Hot spots: ${h.name}, ${periodLabel(h.period)}`, meeting: m, hotspots: h })
  if (shown.length === 0) {
    slides.push({
      kind: 'text',
      title: 'Hot spots',
      body: m.hotspots.length
        ? `Inga säkra hot spots eller cold spots i ${name} för ${m.hotspots.map((h) => h.name.toLowerCase()).join(', ')}.\n\n${m.hotspotMethod}`
        : 'Lägesbilden har inga antal per primärområde att leta hot spots i.',
    })
  }
  slides.push({ kind: 'measures', title: `Åtgärder i ${name}: status och uppföljning`, problemAreaId: null, measureIds: m.measureIds, emptyText: `Inga åtgärder i ${name} i lägesbilden.` })
  return slides
}
