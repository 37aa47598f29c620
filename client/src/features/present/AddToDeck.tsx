import { Link } from 'react-router'
import type { Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { FormProblem } from '../../components/FormProblem'
import { useAddSlide } from './queries'

/**
 * On a snapshot's map, for analysts: the map as it is set (indicator, layer, period, classification,
 * palette, measure) becomes the next slide of the snapshot's presentation.
 */
export function AddToDeck({ snapshotId, slide, disabledReason }: { snapshotId: number; slide: Extract<Slide, { kind: 'map' }>; disabledReason: string | null }) {
  const addSlide = useAddSlide(snapshotId)
  const added = addSlide.data?.slides.length ?? null
  return (
    <div className="field add-to-deck">
      <button type="button" onClick={() => addSlide.mutate(slide)} disabled={addSlide.isPending || disabledReason !== null} title={disabledReason ?? undefined}>
        Lägg kartan i presentationen
      </button>
      {disabledReason && <p className="muted small">{disabledReason}</p>}
      {added !== null && (
        <p role="status">
          Tillagd som bild {added}. <Link to={`/present/${snapshotId}?redigera=1&bild=${added}`}>Öppna presentationen</Link>
        </p>
      )}
      <FormProblem problem={addSlide.error} />
    </div>
  )
}
