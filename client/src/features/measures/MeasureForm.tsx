import { useState } from 'react'
import type { AreaListItem, IndicatorDto, LayerDto, MeasureDto, ProblemAreaDto } from '../../lib/api'
import { LEVEL_LABELS, PREVENTION_LABELS, PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'
import { useSaveMeasure, type MeasureDraft } from './queries'

type Draft = MeasureDraft

const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([v, l]) => (
    <option key={v} value={v}>
      {l}
    </option>
  ))

const EMPTY: Draft = {
  title: '',
  description: '',
  problemAreaId: 0,
  purpose: 'brottsforebyggande',
  prevention: 'situationell',
  level: 'operativ',
  owners: ['staden'],
  samverkansform: null,
  areaIds: [],
  status: 'planerad',
  startDate: new Date().toISOString().slice(0, 10),
  endDate: null,
  followUp: [],
}

export interface MeasureFormProps {
  measure: MeasureDto | null
  /** Areas already chosen (on the map) for a new measure. */
  initialAreaIds?: number[]
  problemAreas: ProblemAreaDto[]
  areas: AreaListItem[]
  layers: LayerDto[]
  indicators: IndicatorDto[]
  samverkansformer: Array<{ id: string; name: string }>
  onSaved(m: MeasureDto): void
  onCancel(): void
}

/** Create or edit a measure; every refused field is shown beside its input. */
export function MeasureForm(p: MeasureFormProps) {
  const [draft, setDraft] = useState<Draft>(() =>
    p.measure ? { ...p.measure } : { ...EMPTY, problemAreaId: p.problemAreas[0]?.id ?? 0, areaIds: p.initialAreaIds ?? [] },
  )
  const saveMeasure = useSaveMeasure(p.measure)
  const problem = saveMeasure.error
  const saving = saveMeasure.isPending
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }))
  const fieldError = (field: string) => problem?.details.filter((d) => d.field === field || d.field?.startsWith(`${field}.`)).map((d) => d.message).join('; ')
  const Err = ({ field }: { field: string }) => {
    const e = fieldError(field)
    return e ? (
      <span className="field-error" role="alert" data-field={field}>
        {e}
      </span>
    ) : null
  }
  const setFollowUp = (i: number, patch: Partial<Draft['followUp'][number]>) =>
    set('followUp', draft.followUp.map((x, j) => (j === i ? { ...x, ...patch } : x)))
  const toggleOwner = (o: string, on: boolean) => set('owners', on ? [...draft.owners, o] : draft.owners.filter((x) => x !== o))
  const others = draft.owners.filter((o) => o !== 'staden' && o !== 'polisen').join(', ')

  const save = () => saveMeasure.mutate(draft, { onSuccess: p.onSaved })

  return (
    <form
      className="measure-form"
      data-testid="measure-form"
      aria-labelledby="mf-h"
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <h2 id="mf-h">{p.measure ? `Ändra åtgärd: ${p.measure.title}` : 'Ny åtgärd'}</h2>
      {problem && (
        <div role="alert" className="import-error" data-testid="measure-error">
          <strong>{problem.message}</strong>
          {problem.status === 409 && (
            <ul>
              {problem.details.map((d, i) => (
                <li key={i}>{d.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor="mf-title">Titel</label>
        <input id="mf-title" type="text" value={draft.title} onChange={(e) => set('title', e.target.value)} />
        <Err field="title" />
      </div>
      <div className="field">
        <label htmlFor="mf-desc">Beskrivning</label>
        <textarea id="mf-desc" rows={3} value={draft.description} onChange={(e) => set('description', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="mf-pa">Prioriterat problemområde</label>
        <select id="mf-pa" value={draft.problemAreaId} onChange={(e) => set('problemAreaId', Number(e.target.value))}>
          {p.problemAreas.map((pa) => (
            <option key={pa.id} value={pa.id}>
              {pa.parentId ? '– ' : ''}
              {pa.title}
            </option>
          ))}
        </select>
        <Err field="problemAreaId" />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="mf-purpose">Syfte</label>
          <select id="mf-purpose" value={draft.purpose} onChange={(e) => set('purpose', e.target.value as Draft['purpose'])}>
            {options(PURPOSE_LABELS)}
          </select>
          <Err field="purpose" />
        </div>
        <div className="field">
          <label htmlFor="mf-prev">Preventionstyp</label>
          <select id="mf-prev" value={draft.prevention} onChange={(e) => set('prevention', e.target.value as Draft['prevention'])}>
            {options(PREVENTION_LABELS)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="mf-level">Nivå</label>
          <select id="mf-level" value={draft.level} onChange={(e) => set('level', e.target.value as Draft['level'])}>
            {options(LEVEL_LABELS)}
          </select>
        </div>
      </div>
      <fieldset className="field">
        <legend>Ägare</legend>
        <label>
          <input type="checkbox" checked={draft.owners.includes('staden')} onChange={(e) => toggleOwner('staden', e.target.checked)} /> Staden
        </label>
        <label>
          <input type="checkbox" checked={draft.owners.includes('polisen')} onChange={(e) => toggleOwner('polisen', e.target.checked)} /> Polisen
        </label>
        <label htmlFor="mf-others">Andra parter (kommaseparerade)</label>
        <input
          id="mf-others"
          type="text"
          value={others}
          onChange={(e) =>
            set('owners', [
              ...draft.owners.filter((o) => o === 'staden' || o === 'polisen'),
              ...e.target.value.split(',').map((s) => s.trim()).filter(Boolean),
            ])
          }
        />
        <Err field="owners" />
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor="mf-sv">Samverkansform</label>
          <select id="mf-sv" value={draft.samverkansform ?? ''} onChange={(e) => set('samverkansform', (e.target.value || null) as Draft['samverkansform'])}>
            <option value="">Ingen</option>
            {p.samverkansformer.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="mf-status">Status</label>
          <select id="mf-status" value={draft.status} onChange={(e) => set('status', e.target.value as Draft['status'])}>
            {options(STATUS_LABELS)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="mf-start">Startdatum</label>
          <input id="mf-start" type="date" value={draft.startDate} onChange={(e) => set('startDate', e.target.value)} />
          <Err field="startDate" />
        </div>
        <div className="field">
          <label htmlFor="mf-end">Slutdatum</label>
          <input id="mf-end" type="date" value={draft.endDate ?? ''} onChange={(e) => set('endDate', e.target.value || null)} />
          <Err field="endDate" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="mf-areas">Områden där åtgärden genomförs (håll Ctrl för flera)</label>
        <select
          id="mf-areas"
          multiple
          size={8}
          value={draft.areaIds.map(String)}
          onChange={(e) => set('areaIds', [...e.target.selectedOptions].map((o) => Number(o.value)))}
        >
          {p.layers
            .filter((l) => l.kind !== 'grid')
            .map((l) => (
              <optgroup key={l.id} label={l.name}>
                {p.areas
                  .filter((a) => a.layer === l.id)
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
              </optgroup>
            ))}
        </select>
        <Err field="areaIds" />
      </div>
      <fieldset className="field">
        <legend>Uppföljning</legend>
        {draft.followUp.map((f, i) => (
          <div className="field-row followup-row" key={i}>
            <select aria-label={`Indikator ${i + 1}`} value={f.indicatorId} onChange={(e) => setFollowUp(i, { indicatorId: e.target.value })}>
              {p.indicators.map((ind) => (
                <option key={ind.id} value={ind.id}>
                  {ind.name}
                </option>
              ))}
            </select>
            <input aria-label={`Utgångsperiod ${i + 1}`} type="text" value={f.baselinePeriod} onChange={(e) => setFollowUp(i, { baselinePeriod: e.target.value })} />
            <input aria-label={`Utgångsvärde ${i + 1}`} type="number" step="any" value={f.baselineValue} onChange={(e) => setFollowUp(i, { baselineValue: Number(e.target.value) })} />
            <input aria-label={`Målvärde ${i + 1}`} type="number" step="any" value={f.target} onChange={(e) => setFollowUp(i, { target: Number(e.target.value) })} />
            <input aria-label={`Målperiod ${i + 1}`} type="text" value={f.targetPeriod} onChange={(e) => setFollowUp(i, { targetPeriod: e.target.value })} />
            <button type="button" onClick={() => set('followUp', draft.followUp.filter((_, j) => j !== i))} aria-label={`Ta bort uppföljning ${i + 1}`}>
              ×
            </button>
            <Err field={`followUp.${i}`} />
          </div>
        ))}
        <button
          type="button"
          onClick={() => set('followUp', [...draft.followUp, { indicatorId: p.indicators[0]?.id ?? '', baselinePeriod: '2023', baselineValue: 0, target: 0, targetPeriod: '2025' }])}
        >
          Lägg till uppföljningsindikator
        </button>
      </fieldset>
      <div className="inline">
        <button type="submit" className="primary" disabled={saving}>
          Spara
        </button>
        <button type="button" onClick={p.onCancel}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
