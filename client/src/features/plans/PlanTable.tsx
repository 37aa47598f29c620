import { Fragment, type ReactNode } from 'react'
import { LIGHT_LABELS, LIGHT_MEANINGS, type PlanRowDto, type PlanVersionDto, type TrafficLight } from './queries'

/** A follow-up's light: a coloured dot and its name, never colour alone. */
export function Light({ status }: { status: TrafficLight }) {
  return (
    <span className={`light light-${status}`} title={LIGHT_MEANINGS[status]}>
      <span className="light-dot" aria-hidden="true" />
      {LIGHT_LABELS[status]}
    </span>
  )
}

export interface PlanTableProps {
  version: PlanVersionDto
  /** A measure's title by id, for rows linked to one. */
  measureTitle(id: number): string | undefined
  /** The row's follow-up action (a button), when the user may record one. */
  followUpAction?(row: PlanRowDto): ReactNode
  /** Shown under a row, spanning the table (the follow-up form). */
  after?(row: PlanRowDto): ReactNode
  /** What to do about an empty version, for one who may (the draft's editor). */
  emptyHint?: string
}

/** Brå's table: Orsak · Åtgärd · Operativt mål · När · Vem · Uppföljning, with the latest grön/gul/röd. */
export function PlanTable({ version, measureTitle, followUpAction, after, emptyHint }: PlanTableProps) {
  if (version.rows.length === 0) return <p className="muted">Versionen har inga rader än.{emptyHint ? ` ${emptyHint}` : ''}</p>
  return (
    <div className="table-scroll">
      <table className="plan-table stack-narrow" data-testid="plan-table">
        <caption className="sr-only">Åtgärdsplan version {version.version}</caption>
        <thead>
          <tr>
            <th scope="col" className="plan-nr">
              Nr
            </th>
            <th scope="col">Orsak</th>
            <th scope="col">Åtgärd</th>
            <th scope="col">Operativt mål</th>
            <th scope="col">När</th>
            <th scope="col">Vem</th>
            <th scope="col">Uppföljning</th>
          </tr>
        </thead>
        <tbody>
          {version.rows.map((r) => {
            const latest = r.followUps.at(-1)
            const earlier = r.followUps.slice(0, -1).reverse()
            const measure = r.measureId === null ? undefined : measureTitle(r.measureId)
            return (
              <Fragment key={r.id}>
                <tr data-row={r.id} data-latest={r.latest ?? ''}>
                  <td className="plan-nr">{r.ordinal}</td>
                  <th scope="row" className="plan-cause" data-nr={r.ordinal}>
                    {r.cause}
                  </th>
                  <td data-label="Åtgärd" className="stack-wide">
                    {r.action}
                    {measure && <div className="muted small">Åtgärd i registret: {measure}</div>}
                  </td>
                  <td data-label="Operativt mål" className="stack-wide">
                    {r.goal}
                  </td>
                  <td data-label="När">{r.timing}</td>
                  <td data-label="Vem" className="stack-wide">
                    {r.responsible}
                  </td>
                  <td data-label="Uppföljning" className="plan-followup stack-wide">
                    {r.followup && <div>{r.followup}</div>}
                    {latest ? (
                      <div className="plan-latest" data-testid="latest-followup">
                        <Light status={latest.status} /> <span className="nowrap">{latest.date}</span>
                        {latest.comment && <div className="small">{latest.comment}</div>}
                      </div>
                    ) : (
                      version.status === 'antagen' && <div className="muted small">Ingen uppföljning än</div>
                    )}
                    {earlier.length > 0 && (
                      <details className="no-print followup-history">
                        <summary>Tidigare uppföljningar ({earlier.length})</summary>
                        <ul className="plain-list">
                          {earlier.map((f) => (
                            <li key={f.id}>
                              <Light status={f.status} /> {f.date}
                              {f.comment ? `: ${f.comment}` : ''}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                    {followUpAction?.(r)}
                  </td>
                </tr>
                {after?.(r)}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
