import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { ProblemAlert } from '../../lib/ProblemAlert'
import { useCreateSnapshot } from './queries'

export interface CreateSnapshotProps {
  /** The map as set now: frozen with the snapshot and restored when it is shown. */
  settings?: Record<string, unknown>
  /** The indicator on the map, offered as the only one to freeze. */
  mapIndicator?: { id: string; name: string } | null
  onCreated?(id: number): void
}

/** An analyst freezes the current figures (as the public would see them) into a named snapshot. */
export function CreateSnapshot(p: CreateSnapshotProps) {
  const [open, setOpen] = useState(false)
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [scope, setScope] = useState<'map' | 'all'>(p.mapIndicator ? 'map' : 'all')
  const create = useCreateSnapshot()
  const busy = create.isPending
  const problem = create.error
  const created = create.data?.id ?? null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = {
      title,
      description,
      settings: p.settings ?? {},
      ...(scope === 'map' && p.mapIndicator ? { indicators: [p.mapIndicator.id] } : {}),
    }
    create.mutate(body, { onSuccess: (r) => p.onCreated?.(r.id) })
  }

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Ta ögonblicksbild…
      </button>
    )
  }
  return (
    <form className="create-snapshot" aria-label="Ny ögonblicksbild" onSubmit={submit}>
      <h2>Ny ögonblicksbild</h2>
      <p className="muted small">
        Siffrorna fryses som allmänheten ser dem: små tal och värden som skulle kunna räkna fram dem döljs. Prioriteringarna och åtgärderna (titel,
        ägare, områden, uppföljning) följer med som de ser ut nu. När den publiceras kan alla se den, och den ändras aldrig, även om data läses in
        på nytt.
      </p>
      <div className="field">
        <label htmlFor="snap-title">Titel</label>
        <input id="snap-title" required value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={problem ? 'snap-problem' : undefined} />
      </div>
      <div className="field">
        <label htmlFor="snap-description">Beskrivning</label>
        <textarea id="snap-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      {p.mapIndicator && (
        <fieldset className="field">
          <legend>Indikatorer</legend>
          <label>
            <input type="radio" name="snap-scope" checked={scope === 'map'} onChange={() => setScope('map')} /> Kartans indikator ({p.mapIndicator.name})
          </label>
          <label>
            <input type="radio" name="snap-scope" checked={scope === 'all'} onChange={() => setScope('all')} /> Alla indikatorer
          </label>
        </fieldset>
      )}
      <ProblemAlert problem={problem} id="snap-problem" />
      {created !== null && (
        <p role="status" data-testid="snapshot-created">
          Ögonblicksbilden är tagen (utkast). <Link to={`/lagesbilder/${created}`}>Granska och publicera</Link>
        </p>
      )}
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? 'Fryser siffrorna…' : 'Ta ögonblicksbild'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Stäng
        </button>
      </div>
    </form>
  )
}
