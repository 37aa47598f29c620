import type { CityMeetingDto, Comparison } from '../../../../server/features/snapshots/snapshots.schema'
import { formatNumber, formatValue, hiddenExplanation, periodLabel } from '../../lib/format'
import { STATUS_LABELS } from '../../lib/labels'
import { changeMark, changeTone } from './cityDeck'
import { dateLabel, figure, KIND_WORD } from './meetingDeck'

const pText = (c: Comparison) => (c.pAdjusted === null ? '' : c.pAdjusted < 0.001 ? 'p < 0,001' : `p = ${formatNumber(c.pAdjusted, { decimals: 3 })}`)

/** A tested change in a cell: a shape, a word and the adjusted p, and the tone as a fill. */
function ChangeCell({ c, polarity, compact }: { c: Comparison; polarity: CityMeetingDto['indicators'][number]['polarity']; compact?: boolean }) {
  const { symbol, word } = changeMark(c)
  const p = pText(c)
  return (
    <td data-tone={changeTone(c, polarity)} data-verdict={c.verdict} title={c.reason ?? undefined}>
      <span aria-hidden="true" className="change-symbol">
        {symbol}
      </span>{' '}
      {word}
      {p && <span className={compact ? 'keyfig-rate' : undefined}>{compact ? p : ` (${p})`}</span>}
      {!compact && c.verdict === 'not_testable' && c.reason && <span>: {c.reason}</span>}
    </td>
  )
}

function Method({ meeting }: { meeting: CityMeetingDto }) {
  return (
    <>
      <p className="slide-note">
        {meeting.method} Siffror per {KIND_WORD[meeting.periodKind]}: den senaste perioden som var slut före mötet ({dateLabel(meeting.date)}) och före förra mötet ({dateLabel(meeting.previousDate)}).
        Tecken: ▲ ökning, ▼ minskning, = ingen säker förändring, ○ ingen ny siffra, × dolt, – kan inte prövas.
      </p>
      {meeting.populationNote && <p className="slide-note">{meeting.populationNote}</p>}
      <p className="slide-note">{hiddenExplanation(5)}.</p>
    </>
  )
}

/** The city's key figures now and at the previous meeting, with the tested change. */
export function CityKeyFigures({ meeting, indicators }: { meeting: CityMeetingDto; indicators: string[] }) {
  return (
    <div className="slide-body city-slide">
      <table className="slide-table keyfigures" data-testid="city-keyfigures">
        <thead>
          <tr>
            <th scope="col">Indikator</th>
            <th scope="col" className="num">Staden nu</th>
            <th scope="col" className="num">Vid förra mötet</th>
            <th scope="col">Förändring</th>
          </tr>
        </thead>
        <tbody>
          {meeting.indicators
            .filter((i) => indicators.includes(i.indicator))
            .map((i) => (
              <tr key={i.indicator} data-indicator={i.indicator}>
                <th scope="row">{i.name}</th>
                <td className="num">
                  {figure(i.current, i.unit)}
                  {i.current && <span className="keyfig-rate">{periodLabel(i.current.period)}</span>}
                </td>
                <td className="num">
                  {figure(i.previous, i.unit)}
                  {i.previous && <span className="keyfig-rate">{periodLabel(i.previous.period)}</span>}
                </td>
                <ChangeCell c={i.change} polarity={i.polarity} />
              </tr>
            ))}
        </tbody>
      </table>
      <Method meeting={meeting} />
    </div>
  )
}

/** One layer's areas side by side: a row per indicator, a column per area, each cell the tested change. */
export function SideBySide({ meeting, layer, indicators }: { meeting: CityMeetingDto; layer: string; indicators: string[] }) {
  const l = meeting.layers.find((x) => x.layer === layer)
  if (!l) return null
  return (
    <div className="slide-body city-slide">
      <table className="slide-table keyfigures side-by-side" data-testid="side-by-side" data-layer={layer}>
        <thead>
          <tr>
            <th scope="col">Indikator</th>
            {l.areas.map((a) => (
              <th scope="col" key={a.id}>
                {a.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {l.indicators
            .filter((i) => indicators.includes(i.indicator))
            .map((i) => (
              <tr key={i.indicator} data-indicator={i.indicator}>
                <th scope="row">
                  {i.name}
                  <span className="keyfig-rate">
                    {i.previousPeriod && i.currentPeriod && i.previousPeriod !== i.currentPeriod ? `${periodLabel(i.previousPeriod)} → ${periodLabel(i.currentPeriod)}` : i.currentPeriod ? periodLabel(i.currentPeriod) : ''}
                  </span>
                </th>
                {i.changes.map((c) => (
                  <ChangeCell key={c.areaId} c={c} polarity={i.polarity} compact />
                ))}
              </tr>
            ))}
        </tbody>
      </table>
      <Method meeting={meeting} />
    </div>
  )
}

/** The frozen problem areas: their targets against the latest frozen figure, and their measures' follow-up. */
export function ProblemAreasFollowUp({ meeting, ids }: { meeting: CityMeetingDto; ids: number[] }) {
  return (
    <div className="slide-body city-slide">
      <table className="slide-table keyfigures" data-testid="problem-areas-followup">
        <thead>
          <tr>
            <th scope="col">Problemområde</th>
            <th scope="col">Mål och senaste värde</th>
            <th scope="col" className="num">Åtgärder</th>
            <th scope="col">Uppföljning</th>
          </tr>
        </thead>
        <tbody>
          {meeting.problemAreas
            .filter((p) => ids.includes(p.id))
            .map((p) => (
              <tr key={p.id} data-problem-area={p.id}>
                <th scope="row">
                  {p.title}
                  <span className="keyfig-rate">{p.area ? p.area.name : 'Hela staden'}</span>
                </th>
                <td data-tone={p.targets.some((t) => t.meets === false) ? 'worse' : p.targets.length > 0 && p.targets.every((t) => t.meets === true) ? 'better' : 'neutral'}>
                  {p.targets.length === 0
                    ? 'Inga mätbara mål'
                    : p.targets.map((t) => (
                        <span key={`${t.indicatorId}-${t.targetPeriod}`} className="target-line">
                          {t.meets === true ? '✓ Nås' : t.meets === false ? '✗ Nås inte' : '–'}: {t.indicatorName} mål {formatValue(t.target, t.unit ?? 'count')} ({periodLabel(t.targetPeriod)}), senast{' '}
                          {t.latest ? `${figure(t.latest, t.unit ?? 'count')} (${periodLabel(t.latest.period)})` : '–'}
                          {t.reason ? ` – ${t.reason}` : ''}
                        </span>
                      ))}
                </td>
                <td className="num">
                  {p.measures.total}
                  <span className="keyfig-rate">
                    {p.measures.pagaende} {STATUS_LABELS.pagaende.toLowerCase()}, {p.measures.planerad} {STATUS_LABELS.planerad.toLowerCase()}
                  </span>
                </td>
                <td>
                  {p.followUp.gron + p.followUp.gul + p.followUp.rod + p.followUp.none === 0
                    ? 'Ingen uppföljning'
                    : `● ${p.followUp.gron} grön, ◐ ${p.followUp.gul} gul, ○ ${p.followUp.rod} röd${p.followUp.none ? `, ${p.followUp.none} utan status` : ''}`}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="slide-note">
        Målen och åtgärderna som de var när lägesbilden frystes; senaste värde är lägesbildens publicerade siffra för målets slags period före mötet. Uppföljning: åtgärdernas
        uppföljningsindikatorer (grön: på väg mot målet, gul: ingen säker förändring, röd: åt fel håll).
      </p>
    </div>
  )
}

const SV_STATUS = { aktiv: 'Aktiv', vilande: 'Vilande', avslutad: 'Avslutad' } as const

/** The five samverkansformer: their status in the register and the measures that run in each. */
export function SamverkansformerSlide({ meeting }: { meeting: CityMeetingDto }) {
  return (
    <div className="slide-body city-slide">
      <table className="slide-table keyfigures" data-testid="samverkansformer">
        <thead>
          <tr>
            <th scope="col">Samverkansform</th>
            <th scope="col">Status</th>
            <th scope="col">Åtgärder i den</th>
          </tr>
        </thead>
        <tbody>
          {meeting.samverkansformer.map((s) => (
            <tr key={s.id} data-samverkansform={s.id}>
              <th scope="row">{s.name}</th>
              <td>{SV_STATUS[s.status]}</td>
              <td>
                {s.measures.length === 0
                  ? 'Inga'
                  : s.measures.map((m) => (
                      <span key={m.id} className="target-line">
                        {m.title} ({STATUS_LABELS[m.status].toLowerCase()})
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="slide-note">Status som i registret över samverkansformer i dag (startas, revideras och avslutas av Ledningsgrupp Trygg i Göteborg); åtgärderna som de var i lägesbilden.</p>
    </div>
  )
}
