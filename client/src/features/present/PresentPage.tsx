import { Link, useParams, useSearchParams } from 'react-router'
import type { DeckDto, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import type { ApiError } from '../../lib/apiError'
import { useSnapshot } from '../../lib/queries'
import { isAnalyst, useSession } from '../../lib/session'
import { DeckEditor } from './DeckEditor'
import { Presentation, useSlideIndex } from './Presentation'
import { useDeck, useSaveDeck } from './queries'

/** A stored deck on a published snapshot; analysts edit it beside the slides (`?redigera=1`). */
export function PresentPage() {
  const id = Number(useParams().snapshotId)
  const { user } = useSession()
  const [params] = useSearchParams()
  const snapshotLoad = useSnapshot(Number.isInteger(id) ? id : null)
  const deckLoad = useDeck(Number.isInteger(id) ? id : null)
  const saveDeck = useSaveDeck(id)
  const snapshot = snapshotLoad.data ?? null
  const deck = deckLoad.data ?? null
  const slides = deck?.slides ?? []
  const { index, go } = useSlideIndex(slides.length)
  const editing = params.get('redigera') === '1' && isAnalyst(user)

  const save = (next: Slide[]) =>
    saveDeck.mutateAsync({ version: deck?.version ?? 0, slides: next }).then(
      () => null,
      (e: ApiError) => e,
    )

  if (snapshotLoad.error || deckLoad.error) {
    return (
      <main className="page" id="main">
        <h1>Presentationen finns inte</h1>
        <p role="alert">{(snapshotLoad.error ?? deckLoad.error)?.message}</p>
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
