import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { useAreaList } from '../../lib/queries'
import { useSnapshotList } from './queries'
import { SnapshotView } from './SnapshotView'
import './snapshots.css'

/**
 * The public's first page: what Trygg i Göteborg and this lägesbild are, who publishes it, and the latest
 * published lägesbild on the map straight away.
 */
export function FrontPage({ map }: { map: ReactNode }) {
  const list = useSnapshotList()
  const stadsomraden = (useAreaList().data ?? []).filter((a) => a.layer === 'stadsomrade').sort((a, b) => a.name.localeCompare(b.name, 'sv'))
  const latest = (list.data ?? [])
    .filter((s) => s.published)
    .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))[0]
  return (
    <main id="main" className="front-page">
      <section className="front-intro" aria-labelledby="front-title">
        <h1 id="front-title">Lägesbild för Trygg i Göteborg</h1>
        <p>
          <strong>Trygg i Göteborg</strong> är överenskommelsen mellan Göteborgs Stad och Polisområde Storgöteborg om att
          tillsammans förebygga brott och öka tryggheten. Vartannat år tar staden och polisen fram en gemensam <strong>lägesbild</strong>{' '}
          av brott och otrygghet – för hela staden, per stadsområde och lokalpolisområde och för de utsatta områdena – och beslutar
          utifrån den om prioriteringar och åtgärder.
        </p>
        <p>
          <span className="muted">
            Publiceras av Göteborgs Stad och Polisområde Storgöteborg. Siffrorna är sammanställda per område; små tal och tal som kan
            avslöja dem är dolda, så att ingen enskild kan pekas ut.
          </span>{' '}
          <Link to="/lagesbilder">Alla publicerade lägesbilder</Link> · <Link to="/data">Om data och källor</Link> ·{' '}
          <Link to="/logga-in">Logga in</Link> <span className="muted small">(för stadens och polisens medarbetare)</span>
        </p>
        {latest && stadsomraden.length > 0 && (
          <nav aria-label="Stadsområden" className="front-areas">
            Ditt stadsområde – siffror, åtgärder och gemensamt uttalande:{' '}
            {stadsomraden.map((a, i) => (
              <span key={a.code}>
                {i > 0 && ' · '}
                <Link to={`/stadsomrade/${encodeURIComponent(a.code)}`}>{a.name}</Link>
              </span>
            ))}
          </nav>
        )}
      </section>
      {list.error && <p role="alert">Lägesbilderna kunde inte hämtas: {list.error.message}</p>}
      {list.data && !latest && <p className="front-none">Ingen lägesbild är publicerad ännu.</p>}
      {latest && <SnapshotView id={latest.id} map={map} />}
    </main>
  )
}
