import { Link } from 'react-router'
import { countOf } from '../../lib/format'
import { isAnalyst, useSession } from '../../lib/session'
import { CreateSnapshot } from './CreateSnapshot'
import { PublishButton } from './PublishButton'
import { useDeleteSnapshot, useSnapshotList } from './queries'
import './snapshots.css'

const dateTime = (iso: string) => new Date(iso).toLocaleString('sv-SE', { dateStyle: 'long', timeStyle: 'short' })

/** Published lägesbilder for everyone; analysts also see and publish their drafts. */
export function SnapshotsPage() {
  const { user } = useSession()
  const analyst = isAnalyst(user)
  const list = useSnapshotList()
  const remove = useDeleteSnapshot()
  const error = remove.error?.message ?? null
  const items = list.data ?? []
  const published = items.filter((s) => s.published)
  const drafts = items.filter((s) => !s.published)

  return (
    <main className="page" id="main">
      <h1>Lägesbilder</h1>
      <p className="muted">
        En publicerad lägesbild är en ögonblicksbild av siffrorna: den ändras aldrig, och små tal är dolda så att ingen enskild kan pekas ut.
      </p>
      {error && <p role="alert">{error}</p>}
      {list.error && <p role="alert">Lägesbilderna kunde inte hämtas: {list.error.message}</p>}
      <h2>Publicerade</h2>
      {list.data && published.length === 0 && <p>Inga publicerade lägesbilder ännu.</p>}
      <ul className="snapshot-list" data-testid="published-snapshots">
        {published.map((s) => (
          <li key={s.id}>
            <Link to={`/lagesbilder/${s.id}`}>{s.title}</Link>
            <span className="muted small"> · publicerad {dateTime(s.publishedAt!)}</span>
            <span className="small">
              {' '}
              · <Link to={`/present/${s.id}`}>Presentation</Link> · <Link to={`/present/${s.id}/mote`}>Mötesunderlag</Link>
            </span>
            {s.description && <p>{s.description}</p>}
          </li>
        ))}
      </ul>
      {analyst && (
        <>
          <h2>Utkast</h2>
          {drafts.length === 0 && <p className="muted">Inga utkast.</p>}
          <ul className="snapshot-list" data-testid="draft-snapshots">
            {drafts.map((s) => (
              <li key={s.id}>
                <Link to={`/lagesbilder/${s.id}`}>{s.title}</Link>
                <span className="muted small">
                  {' '}
                  · tagen {dateTime(s.createdAt)} av {s.createdBy} · {countOf(s.indicators.length, 'indikator', 'indikatorer')}
                </span>{' '}
                <PublishButton id={s.id} title={s.title} onDone={() => remove.reset()} />{' '}
                <button type="button" className="secondary" onClick={() => remove.mutate(s.id)}>
                  Ta bort utkastet
                </button>
              </li>
            ))}
          </ul>
          <CreateSnapshot />
        </>
      )}
    </main>
  )
}
