import { Link } from 'react-router'
import type { DecisionDto } from '../../../server/features/plans/decisions.schema'
import { useApiQuery } from '../lib/queries'

/**
 * The decisions of the register that name one thing (a measure, a cycle…), newest first: every page that a
 * ledningsgrupp's decision can change shows who decided what about it.
 */
export function DecisionHistory({ kind, refId, heading, testId }: { kind: 'measure' | 'cycle' | 'problem_area' | 'samverkansform'; refId: number | string; heading: string; testId?: string }) {
  const decisions = useApiQuery<DecisionDto[]>(`/api/decisions?kind=${kind}&ref=${encodeURIComponent(String(refId))}`)
  const id = `dh-${kind}-${refId}`
  return (
    <section className="decision-history-box" aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>{heading}</h3>
      {decisions.error && <p className="muted">Besluten kunde inte hämtas: {decisions.error.message}</p>}
      {decisions.data && decisions.data.length === 0 && <p className="muted">Inga beslut i registret nämner detta än.</p>}
      {decisions.data && decisions.data.length > 0 && (
        <ul className="plain-list decision-history">
          {decisions.data.map((d) => (
            <li key={d.id} data-decision={d.id}>
              <strong>{d.date}</strong> · {d.groupName}
              <div>{d.text}</div>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to="/beslut">Alla beslut</Link>
      </p>
    </section>
  )
}
