import type { IndicatorDto } from '../../lib/api'
import { useHealth, useIndicators, useLayers } from '../../lib/queries'
import { countOf, periodLabel } from '../../lib/format'
import { CATEGORY_LABELS } from '../../lib/labels'


/** What the platform holds: area layers and indicators, with sources, licences and periods. */
export function DataPage() {
  const health = useHealth()
  const layers = useLayers()
  const indicators = useIndicators()

  return (
    <main className="page" id="main">
      <h1>Om data</h1>
      {health.data && (
        <p className="muted" data-testid="health">
          Databas: {health.data.database === 'pglite' ? 'inbyggd (PGlite)' : 'PostgreSQL-server'}, PostGIS {health.data.postgis}
        </p>
      )}
      {health.error && <p role="alert">Servern svarar inte: {health.error.message}</p>}
      {indicators.data?.some((i) => i.demo) && (
        <p className="notice" id="demolage" data-testid="demo-notice">
          <strong>Demoläge:</strong> indikatorvärdena är syntetiska, inte verklig statistik. Indikatorer märkta DEMO har påhittade värden
          som bara visar hur Lägesbild fungerar.
        </p>
      )}

      <section aria-labelledby="layers-heading">
        <h2 id="layers-heading">Områdesindelningar</h2>
        {layers.isPending && <p>Hämtar…</p>}
        {layers.error && <p role="alert">{layers.error.message}</p>}
        {layers.data && (
          <div className="table-scroll">
            <table data-testid="layers">
              <thead>
                <tr>
                  <th scope="col">Indelning</th>
                  <th scope="col">Antal områden</th>
                  <th scope="col">Källa och licens</th>
                </tr>
              </thead>
              <tbody>
                {layers.data.map((l) => (
                  <tr key={l.id} data-layer={l.id}>
                    <th scope="row">
                      {l.name}
                      {l.approximate && <span className="badge">ungefärliga gränser</span>}
                      <div className="muted small">{l.approximate ? l.approximateReason : l.description}</div>
                    </th>
                    <td className="num">{l.areaCount}</td>
                    <td>
                      {l.source}
                      <div className="muted small">{l.licence}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="indicators-heading">
        <h2 id="indicators-heading">Indikatorer</h2>
        {indicators.isPending && <p>Hämtar…</p>}
        {indicators.error && <p role="alert">{indicators.error.message}</p>}
        {indicators.data &&
          (Object.keys(CATEGORY_LABELS) as IndicatorDto['category'][]).map((cat) => {
            const list = indicators.data.filter((i) => i.category === cat)
            if (list.length === 0) return null
            return (
              <div key={cat}>
                <h3>{CATEGORY_LABELS[cat]}</h3>
                <ul data-testid={`indicators-${cat}`}>
                  {list.map((i) => (
                    <li key={i.id}>
                      {i.name} {i.demo && <span className="badge demo">DEMO – syntetiska data</span>}
                      <span className="muted">
                        {' '}
                        ·{' '}
                        {i.periods.length
                          ? `${periodLabel(i.periods[0]!)}–${periodLabel(i.periods.at(-1)!)} · ${countOf(i.layers.length, 'indelning', 'indelningar')}`
                          : 'inga värden ännu'}{' '}
                        · värden under {i.minPublishCount} visas inte{i.survey ? ' · urvalsundersökning (skattning med osäkerhetsintervall)' : ''}
                      </span>
                      <div className="muted small">{i.description}</div>
                      <div className="muted small">
                        Källa: {i.source}
                        {i.licence ? ` · licens: ${i.licence}` : ''}
                      </div>
                    </li>
                  ))}
                </ul>
              </div>
            )
          })}
      </section>
    </main>
  )
}
