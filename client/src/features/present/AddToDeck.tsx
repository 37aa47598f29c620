import { useState } from 'react'
import { Link } from 'react-router'
import type { DeckDto, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { clearApiCache } from '../../lib/api'
import { ProblemAlert } from '../../lib/ProblemAlert'
import { request, type ApiProblem } from '../../lib/request'

/**
 * On a snapshot's map, for analysts: the map as it is set (indicator, layer, period, classification,
 * palette, measure) becomes the next slide of the snapshot's presentation.
 */
export function AddToDeck({ snapshotId, slide, disabledReason }: { snapshotId: number; slide: Extract<Slide, { kind: 'map' }>; disabledReason: string | null }) {
  const [problem, setProblem] = useState<ApiProblem | null>(null)
  const [added, setAdded] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const add = async () => {
    setBusy(true)
    setProblem(null)
    const path = `/api/snapshots/${snapshotId}/deck`
    // Read the deck afresh: its version guards against overwriting someone else's edit.
    const deck = await request<DeckDto>('GET', path)
    const saved = deck.ok ? await request<DeckDto>('PUT', path, { version: deck.data.version, slides: [...deck.data.slides, slide] }) : deck
    setBusy(false)
    if (!saved.ok) return setProblem(saved.problem)
    clearApiCache()
    setAdded(saved.data.slides.length)
  }
  return (
    <div className="field add-to-deck">
      <button type="button" onClick={() => void add()} disabled={busy || disabledReason !== null} title={disabledReason ?? undefined}>
        Lägg kartan i presentationen
      </button>
      {disabledReason && <p className="muted small">{disabledReason}</p>}
      {added !== null && (
        <p role="status">
          Tillagd som bild {added}. <Link to={`/present/${snapshotId}?redigera=1&bild=${added}`}>Öppna presentationen</Link>
        </p>
      )}
      <ProblemAlert problem={problem} />
    </div>
  )
}
