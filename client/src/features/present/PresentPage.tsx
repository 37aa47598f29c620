import { useEffect, useState } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import type { DeckDto, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { clearApiCache, useGet } from '../../lib/api'
import { request } from '../../lib/request'
import { isAnalyst, useSession } from '../../lib/session'
import { snapshotPaths, type SnapshotDto } from '../../lib/snapshots'
import { DeckEditor } from './DeckEditor'
import { Presentation, useSlideIndex } from './Presentation'

/** A stored deck on a published snapshot; analysts edit it beside the slides (`?redigera=1`). */
export function PresentPage() {
  const id = Number(useParams().snapshotId)
  const { user } = useSession()
  const [params] = useSearchParams()
  const [reload, setReload] = useState(0)
  const snapshotLoad = useGet<SnapshotDto>(Number.isInteger(id) ? snapshotPaths.one(id) : null)
  const deckLoad = useGet<DeckDto>(Number.isInteger(id) ? `${snapshotPaths.one(id)}/deck${reload ? `?v=${reload}` : ''}` : null)
  const snapshot = snapshotLoad.state === 'ok' ? snapshotLoad.data : null
  // The last deck stays on screen while a saved one is fetched again, so the editor keeps its state.
  const [lastDeck, setLastDeck] = useState<DeckDto | null>(null)
  useEffect(() => {
    if (deckLoad.state === 'ok') setLastDeck(deckLoad.data)
  }, [deckLoad])
  const deck = deckLoad.state === 'ok' ? deckLoad.data : lastDeck
  const slides = deck?.slides ?? []
  const { index, go } = useSlideIndex(slides.length)
  const editing = params.get('redigera') === '1' && isAnalyst(user)

  const save = async (next: Slide[]) => {
    const r = await request<DeckDto>('PUT', `${snapshotPaths.one(id)}/deck`, { version: deck?.version ?? 0, slides: next })
    if (!r.ok) return r.problem
    clearApiCache()
    setReload((n) => n + 1)
    return null
  }

  if (snapshotLoad.state === 'error' || deckLoad.state === 'error') {
    return (
      <main className="page" id="main">
        <h1>Presentationen finns inte</h1>
        <p role="alert">{snapshotLoad.state === 'error' ? snapshotLoad.message : deckLoad.state === 'error' ? deckLoad.message : ''}</p>
        <Link to="/lagesbilder">Publicerade lägesbilder</Link>
      </main>
    )
  }
  if (!snapshot || !deck) return <p className="map-loading">Hämtar presentationen…</p>

  return (
    <Presentation
      snapshot={snapshot}
      slides={slides}
      what="Presentation"
      empty={<p>Presentationen har inga bilder ännu.{isAnalyst(user) && !editing ? ' Välj ”Redigera” för att bygga den.' : ''}</p>}
      editor={editing ? <DeckEditor snapshot={snapshot} slides={slides} current={index} onSelect={go} onSave={save} /> : undefined}
      actions={
        <>
          <Link to={`/present/${id}/mote`}>Mötesunderlag</Link>
          {isAnalyst(user) && <Link to={`/present/${id}?${new URLSearchParams({ bild: String(index + 1), ...(editing ? {} : { redigera: '1' }) })}`}>{editing ? 'Visa' : 'Redigera'}</Link>}
        </>
      }
    />
  )
}
