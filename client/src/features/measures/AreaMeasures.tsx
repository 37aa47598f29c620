import { Link } from 'react-router'
import { useMeasures } from './queries'
import { PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'

/** The measures that run in an area (or in the areas it holds or lies in), for the map's area panel. */
export function AreaMeasures({ areaId }: { areaId: number }) {
  const measures = useMeasures(`areaId=${areaId}`).data
  if (!measures) return null
  // An area picked on the map can start a new measure there (the form adds more areas from its list).
  return (
    <section className="area-measures" aria-labelledby="am-h" data-testid="area-measures">
      <h3 id="am-h">Åtgärder i området</h3>
      <p>
        <Link to={`/atgarder?ny=${areaId}`}>Ny åtgärd i området</Link>
      </p>
      {measures.length === 0 ? (
        <p className="muted">Inga registrerade åtgärder.</p>
      ) : (
        <ul>
          {measures.map((m) => (
            <li key={m.id}>
              <Link to={`/?atgard=${m.id}`}>{m.title}</Link>{' '}
              <span className="muted small">
                {PURPOSE_LABELS[m.purpose]} · {STATUS_LABELS[m.status]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
