/**
 * The city-wide ledningsgrupp's pack as slides, from the pack's figures. Pure: unit-tested.
 */
import type { CityMeetingDto, Comparison, MeetingIndicator } from '../../../../server/features/snapshots/snapshots.schema'
import { periodLabel } from '../../lib/format'
import { dateLabel, figure } from './meetingDeck'
import type { PresentSlide } from './slides'

/** A projector shows about six rows legibly. */
const ROWS_PER_SLIDE = 6

/** Crime, effort (aktivitet) and the rest, in that order, as the local pack groups them. */
function byCategory<T extends { indicator: string; category?: string }>(list: T[], category: (i: T) => string) {
  return [
    { label: 'brott', ids: list.filter((i) => category(i) === 'brott').map((i) => i.indicator) },
    { label: 'insatser (aktivitet)', ids: list.filter((i) => category(i) === 'aktivitet').map((i) => i.indicator) },
    { label: 'trygghet, risk- och skyddsfaktorer', ids: list.filter((i) => category(i) !== 'brott' && category(i) !== 'aktivitet').map((i) => i.indicator) },
  ].filter((g) => g.ids.length > 0)
}

/** Splits ids into slides of at most ROWS_PER_SLIDE, numbering the parts when there are several. */
function parts(ids: string[], title: (part: string) => string) {
  const n = Math.ceil(ids.length / ROWS_PER_SLIDE)
  return Array.from({ length: n }, (_, k) => ({ title: title(n > 1 ? ` (${k + 1} av ${n})` : ''), ids: ids.slice(k * ROWS_PER_SLIDE, (k + 1) * ROWS_PER_SLIDE) }))
}

/** How a tested change reads in a compact cell: a shape and a word, so it carries meaning without colour. */
export function changeMark(c: Pick<Comparison, 'verdict'>): { symbol: string; word: string } {
  switch (c.verdict) {
    case 'increase':
      return { symbol: '▲', word: 'Ökning' }
    case 'decrease':
      return { symbol: '▼', word: 'Minskning' }
    case 'no_change':
      return { symbol: '=', word: 'Ingen säker förändring' }
    case 'same_period':
      return { symbol: '○', word: 'Ingen ny siffra' }
    case 'hidden':
      return { symbol: '×', word: 'Dolt' }
    default:
      return { symbol: '–', word: 'Kan inte prövas' }
  }
}

/** Worse or better by the indicator's direction, only for changes the test holds. */
export function changeTone(c: Pick<Comparison, 'verdict'>, polarity: MeetingIndicator['polarity']): 'worse' | 'better' | 'neutral' {
  if ((c.verdict !== 'increase' && c.verdict !== 'decrease') || polarity === 'neutral') return 'neutral'
  return (c.verdict === 'increase') === (polarity === 'higher_is_worse') ? 'worse' : 'better'
}

/** The slides of the city-wide pack, in the order the meeting goes through them. */
export function cityMeetingDeck(m: CityMeetingDto): PresentSlide[] {
  const changed = m.indicators.filter((i) => i.change.verdict === 'increase' || i.change.verdict === 'decrease')
  const summary = changed.length
    ? `Säkra förändringar för hela staden sedan förra mötet: ${changed
        .map((i) => `${i.name} – ${i.change.verdict === 'increase' ? 'ökning' : 'minskning'} från ${figure(i.previous, i.unit)} (${periodLabel(i.previous!.period)}) till ${figure(i.current, i.unit)} (${periodLabel(i.current!.period)})`)
        .join('; ')}.`
    : 'Inga säkra förändringar för hela staden sedan förra mötet: skillnaderna ryms inom slumpen, eller det finns inga nya siffror.'
  const areaChanges = m.layers.map((l) => {
    const n = l.indicators.reduce((s, i) => s + i.changes.filter((c) => c.verdict === 'increase' || c.verdict === 'decrease').length, 0)
    return `${l.name}: ${n === 0 ? 'inga säkra förändringar' : `${n} säkra förändringar`}`
  })
  const previous = m.meeting?.previous ? `förra mötet ${dateLabel(m.previousDate)} (ur mötesregistret)` : `${dateLabel(m.previousDate)}${m.meeting ? ' (gruppens första möte i registret: tre månader före)' : ''}`
  const published = m.publishedAt ? `, publicerad ${dateLabel(m.publishedAt.slice(0, 10))}` : ' (utkast, inte publicerad)'
  const slides: PresentSlide[] = [
    {
      kind: 'text',
      title: `Mötesunderlag: ${m.meeting?.groupName ?? 'hela staden'}`,
      body: [
        `Mötet ${dateLabel(m.date)}. Jämförs med ${previous}.`,
        `Underlag: lägesbilden ”${m.snapshotTitle}”${published}. Bara publicerade siffror; dolda värden visas inte och prövas inte.`,
        summary,
        `Per område: ${areaChanges.join('; ')}.`,
      ].join('\n\n'),
    },
  ]
  for (const g of byCategory(m.indicators, (i) => i.category)) {
    for (const part of parts(g.ids, (k) => `Stadens nyckeltal, ${g.label}${k}: nu och vid förra mötet`)) slides.push({ kind: 'citykeyfigures', title: part.title, meeting: m, indicators: part.ids })
  }
  for (const l of m.layers) {
    const category = new Map(m.indicators.map((i) => [i.indicator, i.category]))
    for (const g of byCategory(l.indicators, (i) => category.get(i.indicator) ?? '')) {
      for (const part of parts(g.ids, (k) => `${l.name}, ${g.label}${k}: förändring sedan förra mötet`)) slides.push({ kind: 'sidebyside', title: part.title, meeting: m, layer: l.layer, indicators: part.ids })
    }
  }
  const roots = m.problemAreas.map((p) => String(p.id))
  if (roots.length === 0) slides.push({ kind: 'text', title: 'Problemområden', body: 'Lägesbilden har inga problemområden.' })
  for (const part of parts(roots, (k) => `Problemområden: mål och uppföljning${k}`)) slides.push({ kind: 'problemareas', title: part.title, meeting: m, ids: part.ids.map(Number) })
  slides.push({ kind: 'samverkansformer', title: 'Samverkansformerna: status och åtgärder', meeting: m })
  return slides
}
