import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link } from 'react-router'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { TextField } from '../../components/TextField'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { useCreateSnapshot } from './queries'

export interface CreateSnapshotProps {
  /** The map as set now: frozen with the snapshot and restored when it is shown. */
  settings?: Record<string, unknown>
  /** The indicator on the map, offered as the only one to freeze. */
  mapIndicator?: { id: string; name: string } | null
  onCreated?(id: number): void
}

interface SnapshotValues {
  title: string
  description: string
  scope: 'map' | 'all'
}

/** An analyst freezes the current figures (as the public would see them) into a named snapshot. */
export function CreateSnapshot(p: CreateSnapshotProps) {
  const [open, setOpen] = useState(false)
  const create = useCreateSnapshot()
  const { register, handleSubmit, setError, formState } = useForm<SnapshotValues>({ defaultValues: { title: '', description: '', scope: p.mapIndicator ? 'map' : 'all' } })
  const { errors } = formState
  const [rest, setRest] = useState<ApiDetail[]>([])
  const created = create.data?.id ?? null

  const submit = handleSubmit(({ title, description, scope }) =>
    create.mutate(
      { title, description, settings: p.settings ?? {}, ...(scope === 'map' && p.mapIndicator ? { indicators: [p.mapIndicator.id] } : {}) },
      { onSuccess: (r) => p.onCreated?.(r.id), onError: (e) => setRest(showServerErrors(e, setError, ['title', 'description'])) },
    ),
  )

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Ta ögonblicksbild…
      </button>
    )
  }
  return (
    <form className="create-snapshot" aria-label="Ny ögonblicksbild" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Ny ögonblicksbild</h2>
      <p className="muted small">
        Siffrorna fryses som allmänheten ser dem: små tal och värden som skulle kunna räkna fram dem döljs. Prioriteringarna och åtgärderna (titel,
        ägare, områden, uppföljning) följer med som de ser ut nu. När den publiceras kan alla se den, och den ändras aldrig, även om data läses in
        på nytt.
      </p>
      <TextField
        id="snap-title"
        label="Titel"
        error={errors.title?.message}
        {...register('title', {
          required: 'ge ögonblicksbilden en titel',
          validate: (v) => v.trim().length >= 3 || 'titeln behöver minst 3 tecken',
          maxLength: { value: 200, message: 'titeln får ha högst 200 tecken' },
        })}
      />
      <div className="field">
        <label htmlFor="snap-description">Beskrivning</label>
        <textarea id="snap-description" rows={3} {...register('description', { maxLength: { value: 5000, message: 'beskrivningen får ha högst 5 000 tecken' } })} />
        <FieldError id="snap-description-err" field="description" message={errors.description?.message} />
      </div>
      {p.mapIndicator && (
        <fieldset className="field">
          <legend>Indikatorer</legend>
          <label>
            <input type="radio" value="map" {...register('scope')} /> Kartans indikator ({p.mapIndicator.name})
          </label>
          <label>
            <input type="radio" value="all" {...register('scope')} /> Alla indikatorer
          </label>
        </fieldset>
      )}
      <FormProblem problem={create.error} details={rest} id="snap-problem" />
      {created !== null && (
        <p role="status" data-testid="snapshot-created">
          Ögonblicksbilden är tagen (utkast). <Link to={`/lagesbilder/${created}`}>Granska och publicera</Link>
        </p>
      )}
      <div className="button-row">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Fryser siffrorna…' : 'Ta ögonblicksbild'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Stäng
        </button>
      </div>
    </form>
  )
}
