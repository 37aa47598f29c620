import { Suspense, useEffect, useMemo, type ReactNode } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import { DataSourceContext, snapshotSource } from '../../lib/dataSource'
import { useSnapshot } from '../../lib/queries'
import { isAnalyst, useSession } from '../../lib/session'
import type { FrozenProblemArea } from '../../lib/snapshots'
import { PublishButton } from './PublishButton'
import { StatementPanel } from './StatementPanel'
import './snapshots.css'

/**
 * A snapshot on the map, exactly as frozen: the public's view of a published lägesbild. `map` is the map page
 * (given by client/src/app), shown with the snapshot as its data source. On its own page the snapshot is
 * the route's; `id` shows another inside a page (the front page), with its title one level down.
 */
export function SnapshotView({ map, id: given }: { map: ReactNode; id?: number }) {
  const routeId = Number(useParams().id)
  const id = given ?? routeId
  const embedded = given !== undefined
  const { user } = useSession()
  const load = useSnapshot(Number.isInteger(id) ? id : null)
  const snapshot = load.data ?? null
  const [params, setParams] = useSearchParams()
  const source = useMemo(() => (snapshot ? snapshotSource(snapshot.id, snapshot.title) : null), [snapshot])

  // The map opens as the analyst left it when the snapshot was taken.
  useEffect(() => {
    const search = snapshot?.settings.search
    if (typeof search === 'string' && search && [...params.keys()].length === 0) setParams(new URLSearchParams(search), { replace: true })
  }, [snapshot, params, setParams])

  if (load.error) {
    return (
      <main className="page" id="main">
        <h1>Lägesbilden finns inte</h1>
        <p role="alert">{load.error.message}</p>
        <p>
          <Link to="/lagesbilder">Alla publicerade lägesbilder</Link>
        </p>
      </main>
    )
  }
  if (!snapshot || !source) return <p className="map-loading">Hämtar lägesbilden…</p>
  const problemAreas = ((snapshot.priorities.problemAreas ?? []) as FrozenProblemArea[]).filter((p) => p.parentId === null)

  const Root = embedded ? 'section' : 'main'
  const Title = embedded ? 'h2' : 'h1'
  return (
    <Root id={embedded ? undefined : 'main'} className="main-map snapshot-view" aria-label={embedded ? snapshot.title : undefined}>
      <header className="snapshot-header">
        <Title>{snapshot.title}</Title>
        <p className="muted small" data-testid="snapshot-status">
          {snapshot.published ? `Publicerad ${new Date(snapshot.publishedAt!).toLocaleDateString('sv-SE')}` : 'Utkast, inte publicerad'} · ögonblicksbild: siffrorna ändras
          inte · värden under tröskeln och värden som kunde avslöja dem är dolda
        </p>
        {snapshot.description && <p>{snapshot.description}</p>}
        {snapshot.published && (
          <p>
            <Link to={`/present/${snapshot.id}`}>Presentation</Link> · <Link to={`/present/${snapshot.id}/mote`}>Mötesunderlag</Link>
          </p>
        )}
        {!snapshot.published && isAnalyst(user) && <PublishButton id={snapshot.id} title={snapshot.title} />}
        <StatementPanel snapshotId={snapshot.id} published={snapshot.published} />
        {problemAreas.length > 0 && (
          <details>
            <summary>Prioriterade problemområden ({problemAreas.length})</summary>
            <ul>
              {problemAreas.map((p) => (
                <li key={p.id}>
                  <strong>{p.title}</strong>
                  {p.goals && <span className="muted"> – {p.goals}</span>}
                </li>
              ))}
            </ul>
          </details>
        )}
      </header>
      <DataSourceContext.Provider value={source}>
        <Suspense fallback={<p className="map-loading">Hämtar kartan…</p>}>
          {map}
        </Suspense>
      </DataSourceContext.Provider>
    </Root>
  )
}
