import { useMemo } from 'react'
import type { Comparison, MeetingDto, MeetingHotspots, MeetingIndicator } from '../../../../server/features/snapshots/snapshots.schema'
import { CategoryLegend } from '../../components/map/Legend'
import type { AreaState } from '../../components/map/MapView'
import { categoryCounts, categoryStates } from '../../lib/analysis'
import { paths } from '../../lib/api'
import { useLayerAreas } from '../../lib/queries'
import { snapshotSource } from '../../lib/dataSource'
import { formatNumber, formatValue, hiddenExplanation, periodLabel } from '../../lib/format'
import { NO_DATA_COLOR } from '../../lib/palettes'
import { SlideMap } from './SlideMap'
import { boundsOf, dateLabel, figure, KIND_WORD } from './meetingDeck'
import { mapKeyOf } from './slides'

const VERDICT: Record<Comparison['verdict'], string> = {
  higher: 'Högre än staden',
  lower: 'Lägre än staden',
  similar: 'Ingen säker skillnad',
  increase: 'Ökning',
  decrease: 'Minskning',
  no_change: 'Ingen säker förändring',
  same_period: 'Ingen ny siffra sedan förra mötet',
  hidden: 'Kan inte prövas: dolt värde',
  not_testable: 'Kan inte prövas',
}

/** Worse or better, by the indicator's direction: only for differences the test holds; an aktivitet (neutral) is neither. */
function tone(c: Comparison, polarity: MeetingIndicator['polarity']): 'worse' | 'better' | 'neutral' {
  const up = c.verdict === 'higher' || c.verdict === 'increase'
  const down = c.verdict === 'lower' || c.verdict === 'decrease'
  if ((!up && !down) || polarity === 'neutral') return 'neutral'
  return up === (polarity === 'higher_is_worse') ? 'worse' : 'better'
}

function verdictText(c: Comparison): string {
  const p = c.pAdjusted !== null ? ` (p ${c.pAdjusted < 0.001 ? '< 0,001' : `= ${formatNumber(c.pAdjusted, { decimals: 3 })}`})` : ''
  return c.verdict === 'not_testable' && c.reason ? `${VERDICT[c.verdict]}: ${c.reason}` : `${VERDICT[c.verdict]}${p}`
}

/** A figure in the table: the value, and a count's rate on a line of its own (the projector's columns are narrow). */
function Figure({ f, unit, period }: { f: { value: number | null; suppressed: boolean; rate?: number | null } | null; unit: MeetingIndicator['unit']; period?: string }) {
  const when = period ? <span className="muted"> ({periodLabel(period)})</span> : null
  if (!f || f.suppressed || f.rate == null) return <>{figure(f, unit)}{when}</>
  return (
    <>
      {formatValue(f.value, unit)}
      {when}
      <span className="keyfig-rate">{formatNumber(f.rate, { decimals: 1 })} per 1 000</span>
    </>
  )
}

/** The area's key figures against the rest of the city and against the previous meeting, tested. */
export function KeyFigures({ meeting, indicators }: { meeting: MeetingDto; indicators: string[] }) {
  return (
    <div className="slide-body">
      <table className="slide-table keyfigures" data-testid="keyfigures">
        <thead>
          <tr>
            <th scope="col">Indikator</th>
            <th scope="col" className="num">{meeting.area.name}</th>
            <th scope="col" className="num">Staden</th>
            <th scope="col">Mot staden</th>
            <th scope="col" className="num">Vid förra mötet</th>
            <th scope="col">Förändring</th>
          </tr>
        </thead>
        <tbody>
          {meeting.indicators
            .filter((i) => indicators.includes(i.indicator))
            .map((i) => (
            <tr key={i.indicator} data-indicator={i.indicator}>
              <th scope="row">
                {i.name}
                {i.current && <span className="muted"> ({periodLabel(i.current.period)})</span>}
              </th>
              <td className="num">
                <Figure f={i.current} unit={i.unit} />
              </td>
              <td className="num">
                <Figure f={i.current?.city ?? null} unit={i.unit} />
              </td>
              <td data-tone={tone(i.versusCity, i.polarity)} data-verdict={i.versusCity.verdict}>
                {verdictText(i.versusCity)}
              </td>
              <td className="num">
                <Figure f={i.previous} unit={i.unit} period={i.previous?.period} />
              </td>
              <td data-tone={tone(i.change, i.polarity)} data-verdict={i.change.verdict}>
                {verdictText(i.change)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="slide-note">
        Under ett antal: antal per 1 000 invånare. {meeting.method} Siffror per {KIND_WORD[meeting.periodKind]}: den senaste perioden som var slut före mötet ({dateLabel(meeting.date)}) och före förra mötet (
        {dateLabel(meeting.previousDate)}).
      </p>
      {meeting.populationNote && <p className="slide-note">{meeting.populationNote}</p>}
      <p className="slide-note">{hiddenExplanation(5)}.</p>
    </div>
  )
}

/** Hot spots of one count indicator on the city's map, zoomed to the meeting's area with its areas outlined. */
export function HotspotSlide({ snapshotId, meeting, hotspots }: { snapshotId: number; meeting: MeetingDto; hotspots: MeetingHotspots }) {
  const source = useMemo(() => snapshotSource(snapshotId, ''), [snapshotId])
  const areas = useLayerAreas(source.layerAreas(hotspots.layer)).data ?? null
  const outline = useLayerAreas(source.layerAreas(meeting.layer)).data ?? null
  const land = useLayerAreas(paths.layerAreas('stadsomrade')).data ?? null
  const focus = useMemo(() => boundsOf(outline, meeting.area.id), [outline, meeting.area.id])
  const { states, colors } = useMemo(() => {
    const c = categoryStates('gistar', hotspots.values)
    const m = new Map<number, AreaState>()
    for (const v of hotspots.values) m.set(v.areaId, { cls: c.states.get(v.areaId) ?? null, suppressed: v.suppressed })
    return { states: m, colors: c.colors }
  }, [hotspots])
  const inside = useMemo(() => hotspots.values.filter((v) => hotspots.inside.includes(v.areaId)), [hotspots])
  // Hidden areas are labelled where the meeting looks: in its own area.
  const labels = useMemo(() => {
    const hidden = new Set(hotspots.values.filter((v) => v.suppressed && hotspots.inside.includes(v.areaId)).map((v) => v.areaId))
    return (areas?.features ?? []).filter((f) => hidden.has(f.properties.id)).map((f) => ({ id: f.properties.id, lngLat: f.properties.labelPoint, text: 'dolt' }))
  }, [areas, hotspots])
  const ready = Boolean(areas && outline && focus)
  const hot = inside.filter((v) => v.class.startsWith('hot')).length
  const cold = inside.filter((v) => v.class.startsWith('cold')).length
  return (
    <div className="map-slide">
      <SlideMap
        ready={ready}
        land={land}
        areas={areas}
        colors={colors}
        states={states}
        highlightIds={hotspots.inside}
        focus={focus}
        renderKey={mapKeyOf({ kind: 'hotspots', title: '', meeting, hotspots })!}
        labels={labels}
        ariaLabel={`Karta: hot spots för ${hotspots.name}, ${periodLabel(hotspots.period)}, ${meeting.area.name}`}
      />
      <aside className="map-slide-key">
        {ready && (
          <CategoryLegend
            title={`Hot spots (Gi*): ${hotspots.name}, antal per primärområde – i ${meeting.area.name}`}
            categories={categoryCounts('gistar', inside)}
            noDataColor={NO_DATA_COLOR}
            hasMissing={inside.some((v) => v.class === 'missing')}
            hiddenLabel={`Dolt, utelämnat ur analysen (${inside.filter((v) => v.class === 'missing').length})`}
          />
        )}
        <p className="slide-note" data-testid="hotspot-summary">
          I {meeting.area.name}: {hot === 0 ? 'inga hot spots' : `${hot} primärområden i hot spots`}, {cold === 0 ? 'inga cold spots' : `${cold} i cold spots`} ({periodLabel(hotspots.period)}).
        </p>
        <p className="slide-meta">
          {meeting.hotspotMethod} {hotspots.leftOut > 0 ? `${hotspots.leftOut} av ${hotspots.leftOut + hotspots.n} primärområden har dolda värden och är utelämnade.` : ''}
        </p>
        <p className="slide-meta" data-testid="slide-disclosure">
          Värden under 5 visas inte. {hiddenExplanation(5)}.
        </p>
      </aside>
    </div>
  )
}
