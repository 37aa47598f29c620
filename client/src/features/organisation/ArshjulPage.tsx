import { useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { PlansTabs } from '../../components/PlansTabs'
import { FormProblem } from '../../components/FormProblem'
import { useApiQuery } from '../../lib/queries'
import { MARK_SHAPE, MARK_TEXT, MONTHS, arshjulByMonth, arshjulLanes, missingText, type ArshjulDto, type ArshjulItem } from './arshjul'
import './organisation.css'

/** One entry: its shape and its words, so planned and held differ in black and white as well as in colour. */
function Item({ item, withTitle }: { item: ArshjulItem; withTitle: boolean }) {
  return (
    <li className={`arshjul-item mark-${item.mark}${item.fullDay ? ' full-day' : ''}`} data-item={item.key}>
      <span className="shape" aria-hidden="true">
        {MARK_SHAPE[item.mark]}
      </span>{' '}
      <span className="day">{withTitle ? item.date : item.day}</span>
      {(withTitle || item.kind === 'step') && <span className="title"> {item.title}</span>}
      {item.perspective && <span className="perspective"> · {item.perspective}</span>}
      <span className="state"> {MARK_TEXT[item.mark]}</span>
      {item.fullDay && <strong className="full-day-mark"> · heldag</strong>}
    </li>
  )
}

/** The year of the cooperation on one page: every group's meetings, the lägesbild cycle's steps, the forum; printable on one A4. */
export function ArshjulPage() {
  const [params, setParams] = useSearchParams()
  const thisYear = new Date().getFullYear()
  const year = Number(params.get('ar')) || thisYear
  const q = useApiQuery<ArshjulDto>(`/api/arshjul?year=${year}`)
  const lanes = useMemo(() => (q.data ? arshjulLanes(q.data) : []), [q.data])
  const months = useMemo(() => arshjulByMonth(lanes), [lanes])
  const setYear = (y: number) => {
    const next = new URLSearchParams(params)
    next.set('ar', String(y))
    setParams(next, { replace: true })
  }

  return (
    <main className="page arshjul-page" id="main">
      <PlansTabs />
      <div className="arshjul-head">
        <h1>Årshjul {year}</h1>
        <div className="arshjul-controls no-print">
          <label htmlFor="arshjul-year">År</label>
          <select id="arshjul-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {Array.from({ length: 7 }, (_, i) => thisYear - 2 + i).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => window.print()}>
            Skriv ut
          </button>
        </div>
      </div>
      <p className="muted no-print">Alla gruppers möten under året, lägesbildscykelns steg med datum (för staden och per område) och Strategiskt forum. Möten planeras och ändras under Möten, stegen under Prioriteringar.</p>
      <p className="arshjul-key small">
        <span aria-hidden="true">{MARK_SHAPE.planerad}</span> planerat möte · <span aria-hidden="true">{MARK_SHAPE.genomford}</span> genomfört möte · <strong>heldag</strong> heldagsmöte ·{' '}
        <span aria-hidden="true">{MARK_SHAPE.ej_paborjad}</span> steg ej påbörjat · <span aria-hidden="true">{MARK_SHAPE.pagar}</span> steg pågår · <span aria-hidden="true">{MARK_SHAPE.klar}</span> steg klart
      </p>
      <FormProblem problem={q.error} />
      {!q.data && !q.error && <p>Läser in …</p>}
      {q.data && (
        <>
          <table className="arshjul-grid" data-testid="arshjul-grid">
            <caption className="sr-only">Årshjul {year}: grupper och lägesbildscykeln per månad</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Grupp</span>
                </th>
                {MONTHS.map((m) => (
                  <th scope="col" key={m}>
                    <abbr title={m}>{m.slice(0, 3)}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lanes.map((lane) => (
                <tr key={lane.id} data-lane={lane.id}>
                  <th scope="row">
                    {lane.label}
                    <span className="lane-note">{lane.note}</span>
                  </th>
                  {lane.months.map((items, i) => (
                    <td key={i}>
                      {items.length > 0 && (
                        <ul className="plain-list">
                          {items.map((item) => (
                            <Item key={item.key} item={item} withTitle={false} />
                          ))}
                        </ul>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>

          <div className="arshjul-list" data-testid="arshjul-list">
            {months.map((m) => (
              <section key={m.month} aria-labelledby={`arshjul-m${m.month}`}>
                <h2 id={`arshjul-m${m.month}`}>{m.name.charAt(0).toUpperCase() + m.name.slice(1)}</h2>
                {m.items.length === 0 ? (
                  <p className="muted small">Inget planerat.</p>
                ) : (
                  <ul className="plain-list">
                    {m.items.map((item) => (
                      <Item key={item.key} item={{ ...item, title: item.kind === 'step' ? `${item.lane}: ${item.title}` : item.title }} withTitle />
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </div>

          <section className="arshjul-missing" aria-labelledby="arshjul-missing-h">
            <h2 id="arshjul-missing-h">Det som saknas enligt överenskommelsen</h2>
            {q.data.missing.length === 0 ? (
              <p data-testid="arshjul-missing">Inget: årets möten uppfyller reglerna.</p>
            ) : (
              <ul data-testid="arshjul-missing">
                {q.data.missing.map((r) => (
                  <li key={`${r.groupId}:${r.rule}`}>{missingText(r)}</li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </main>
  )
}
