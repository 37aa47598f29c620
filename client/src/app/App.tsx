import { useEffect, useState } from 'react'
import { api, type Health, type IndicatorDto, type LayerDto } from '../lib/api'

const CATEGORY_LABELS: Record<IndicatorDto['category'], string> = {
  brott: 'Brott',
  otrygghet: 'Otrygghet',
  riskfaktor: 'Riskfaktorer',
  skyddsfaktor: 'Skyddsfaktorer',
}

type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T }

function useLoad<T>(load: (signal: AbortSignal) => Promise<T>): Load<T> {
  const [result, setResult] = useState<Load<T>>({ state: 'loading' })
  useEffect(() => {
    const ctrl = new AbortController()
    load(ctrl.signal).then(
      (data) => setResult({ state: 'ok', data }),
      (err: Error) => !ctrl.signal.aborted && setResult({ state: 'error', message: err.message }),
    )
    return () => ctrl.abort()
  }, [load])
  return result
}

export function App() {
  const health = useLoad<Health>(api.health)
  const layers = useLoad<LayerDto[]>(api.layers)
  const indicators = useLoad<IndicatorDto[]>(api.indicators)

  return (
    <main className="page">
      <header>
        <h1>Lägesbild</h1>
        <p className="lead">Trygg i Göteborg – Göteborgs Stad och Polisområde Storgöteborg</p>
        {health.state === 'ok' && (
          <p className="status" data-testid="health">
            Databas: {health.data.database === 'pglite' ? 'inbyggd (PGlite)' : 'PostgreSQL-server'}, PostGIS{' '}
            {health.data.postgis}
          </p>
        )}
        {health.state === 'error' && <p role="alert">Servern svarar inte: {health.message}</p>}
      </header>

      <section aria-labelledby="layers-heading">
        <h2 id="layers-heading">Områdesindelningar</h2>
        {layers.state === 'loading' && <p>Hämtar…</p>}
        {layers.state === 'error' && <p role="alert">{layers.message}</p>}
        {layers.state === 'ok' && (
          <table data-testid="layers">
            <thead>
              <tr>
                <th scope="col">Indelning</th>
                <th scope="col">Antal områden</th>
                <th scope="col">Källa</th>
              </tr>
            </thead>
            <tbody>
              {layers.data.map((l) => (
                <tr key={l.id} data-layer={l.id}>
                  <th scope="row">
                    {l.name}
                    {l.approximate && (
                      <span className="badge" title={l.approximateReason ?? undefined}>
                        ungefärliga gränser
                      </span>
                    )}
                  </th>
                  <td className="num">{l.areaCount}</td>
                  <td>{l.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="indicators-heading">
        <h2 id="indicators-heading">Indikatorer</h2>
        {indicators.state === 'loading' && <p>Hämtar…</p>}
        {indicators.state === 'error' && <p role="alert">{indicators.message}</p>}
        {indicators.state === 'ok' &&
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
                        · {i.periods[0]}–{i.periods.at(-1)} · {i.layers.length} indelningar
                      </span>
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
