import { Link, useParams, useSearchParams } from 'react-router'
import { CATEGORY_LABELS, STATUS_LABELS } from '../../lib/labels'
import { formatValue, periodLabel } from '../../lib/format'
import type { IndicatorDto } from '../../lib/api'
import { useAreaPage, type AreaPageDto } from './queries'
import { ApprovedStatement } from './StatementPanel'
import './snapshots.css'

const day = (iso: string) => new Date(iso).toLocaleDateString('sv-SE')
const HIDDEN_TITLE = 'Dolt: för få fall för att visas, eller dolt för att ett annat dolt värde annars kunde räknas fram'

/**
 * A stadsområde's public page, with no account needed: the latest published lägesbild's figures for the
 * area, the measures there and their status (issue, action, date), the approved joint statement, and the
 * figures as CSV.
 */
export function AreaPage() {
  const code = useParams().code ?? ''
  const [params] = useSearchParams()
  const snapshot = Number(params.get('lagesbild')) || null
  const page = useAreaPage(code, snapshot)
  if (page.error) {
    return (
      <main className="page" id="main">
        <h1>Stadsområdet finns inte i lägesbilden</h1>
        <p role="alert">{page.error.message}</p>
        <p>
          <Link to="/">Till startsidan</Link>
        </p>
      </main>
    )
  }
  if (!page.data) return <p className="map-loading">Hämtar stadsområdet…</p>
  const p = page.data
  return (
    <main className="page area-page" id="main">
      <nav className="area-nav no-print" aria-label="Stadsområden">
        <Link to="/">Startsidan</Link> ·{' '}
        {p.areas.map((a, i) => (
          <span key={a.code}>
            {i > 0 && ' · '}
            {a.code === p.area.code ? <strong aria-current="page">{a.name}</strong> : <Link to={`/stadsomrade/${encodeURIComponent(a.code)}`}>{a.name}</Link>}
          </span>
        ))}
      </nav>
      <h1>{p.area.name}</h1>
      <p className="lead">
        Stadsområde i Göteborg. Siffror och åtgärder ur lägesbilden <Link to={`/lagesbilder/${p.snapshot.id}`}>”{p.snapshot.title}”</Link>, publicerad {day(p.snapshot.publishedAt)} av Göteborgs Stad och
        Polisområde Storgöteborg.
      </p>
      {p.statement && <ApprovedStatement statement={p.statement} />}
      <Priorities priorities={p.priorities} area={p.area.name} />
      <Figures page={p} />
    </main>
  )
}

function Priorities({ priorities, area }: { priorities: AreaPageDto['priorities']; area: string }) {
  return (
    <section aria-labelledby="area-priorities">
      <h2 id="area-priorities">Prioriteringar och åtgärder</h2>
      {priorities.length === 0 ? (
        <p className="muted">Lägesbilden har inga åtgärder i {area}.</p>
      ) : (
        <ul className="plain-list area-priorities" data-testid="area-priorities">
          {priorities.map((m) => (
            <li key={m.measureId} className="area-priority">
              <p className="area-issue">
                <span className="muted small">Problem: </span>
                {m.issue || 'Inget problemområde angivet'}
              </p>
              <h3>{m.action}</h3>
              {m.description && <p>{m.description}</p>}
              <p className="small">
                <span className={`badge area-status-${m.status}`}>{STATUS_LABELS[m.status]}</span> Start {m.startDate}
                {m.endDate ? `, slut ${m.endDate}` : ''}
                {m.owners.length > 0 && <span className="muted"> · {m.owners.join(', ')}</span>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function Figures({ page }: { page: AreaPageDto }) {
  const demo = page.figures.some((f) => f.demo)
  return (
    <section aria-labelledby="area-figures">
      <h2 id="area-figures">Siffror</h2>
      {demo && <p className="demo-note">Demodata: värden märkta demo är syntetiska, inte verkliga.</p>}
      {page.figures.length === 0 ? (
        <p className="muted">Lägesbilden har inga siffror för stadsområdet.</p>
      ) : (
        <div className="table-scroll">
          <table className="area-figures" data-testid="area-figures">
            <caption className="sr-only">Siffror för {page.area.name} och hela staden</caption>
            <thead>
              <tr>
                <th scope="col">Indikator</th>
                <th scope="col">Period</th>
                <th scope="col">{page.area.name}</th>
                <th scope="col">Hela staden</th>
              </tr>
            </thead>
            <tbody>
              {page.figures.map((f) => (
                <tr key={f.indicator}>
                  <th scope="row">
                    {f.name}
                    {f.demo && !/\(demo\)/i.test(f.name) && <span className="muted small"> (demo)</span>}
                    <span className="muted small area-category"> {CATEGORY_LABELS[f.category as IndicatorDto['category']] ?? f.category}</span>
                  </th>
                  <td data-label="Period">{periodLabel(f.period)}</td>
                  <td className="num" data-label={page.area.name}>{f.suppressed ? <span title={HIDDEN_TITLE}>dolt</span> : formatValue(f.value, f.unit)}</td>
                  <td className="num" data-label="Hela staden">{!f.city ? '–' : f.city.suppressed ? <span title={HIDDEN_TITLE}>dolt</span> : formatValue(f.city.value, f.unit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">Små tal och tal som kunde avslöja dem är dolda, så att ingen enskild kan pekas ut.</p>
      <p>
        <a href={page.csvPath} download data-testid="area-csv">
          Ladda ner siffrorna (CSV, alla perioder)
        </a>
      </p>
    </section>
  )
}
