import { useState } from 'react'
import { Controller, useFieldArray, useForm, type FieldPath } from 'react-hook-form'
import { DecisionHistory } from '../../components/DecisionHistory'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { optionsOf, Select } from '../../components/Select'
import type { ApiDetail } from '../../lib/apiError'
import type { AreaListItem, EvaluationRow, IndicatorDto, LayerDto, MeasureDto, ProblemAreaDto } from '../../lib/api'
import { formatValue, periodLabel, sentence } from '../../lib/format'
import { showServerErrors } from '../../lib/forms'
import { LEVEL_LABELS, PREVENTION_LABELS, PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'
import { useCauses, useEvaluation, useSaveMeasure, type CauseDto, type MeasureDraft } from './queries'

/** The form's own shape: owners as two boxes and a free list, dates and choices as the inputs hold them. */
interface MeasureValues {
  title: string
  description: string
  problemAreaId: string
  purpose: MeasureDraft['purpose']
  prevention: MeasureDraft['prevention']
  level: MeasureDraft['level']
  /** The checked boxes: 'staden', 'polisen'. */
  owners: string[]
  others: string
  samverkansform: string
  status: MeasureDraft['status']
  startDate: string
  endDate: string
  areaIds: string[]
  /** A target withheld from this reader (too few to show) is null, and stays as stored when sent back so. */
  followUp: Array<{ indicatorId: string; baselinePeriod: string; target: number | null; targetPeriod: string }>
  /** Checked causes' ids. */
  causeIds: string[]
  /** '' for none. */
  comparisonAreaId: string
  /** Metres; '' for none. */
  displacementBufferM: string
}

const PARTIES = ['staden', 'polisen']

/**
 * The problem areas a measure may be put under: those in force, each parent followed by its sub-areas. A
 * retired one stays offered only to the measure already under it, marked, so its form still shows it.
 */
function choosable(problemAreas: ProblemAreaDto[], measure: MeasureDto | null): ProblemAreaDto[] {
  const open = problemAreas.filter((pa) => pa.retiredAt === null || pa.id === measure?.problemAreaId)
  const top = open.filter((pa) => pa.parentId === null || !open.some((x) => x.id === pa.parentId))
  return top.flatMap((pa) => [pa, ...open.filter((c) => c.parentId === pa.id)])
}
const othersOf = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean)

function toValues(m: MeasureDto | null, p: MeasureFormProps): MeasureValues {
  const d = m ?? {
    title: '',
    description: '',
    problemAreaId: choosable(p.problemAreas, null)[0]?.id ?? 0,
    purpose: 'brottsforebyggande' as const,
    prevention: 'situationell' as const,
    level: 'operativ' as const,
    owners: ['staden'],
    samverkansform: null,
    areaIds: p.initialAreaIds ?? [],
    status: 'planerad' as const,
    startDate: new Date().toISOString().slice(0, 10),
    endDate: null,
    followUp: [],
    causeIds: [],
    comparisonAreaId: null,
    displacementBufferM: null,
  }
  return {
    title: d.title,
    description: d.description,
    problemAreaId: String(d.problemAreaId),
    purpose: d.purpose,
    prevention: d.prevention,
    level: d.level,
    owners: d.owners.filter((o) => PARTIES.includes(o)),
    others: d.owners.filter((o) => !PARTIES.includes(o)).join(', '),
    samverkansform: d.samverkansform ?? '',
    status: d.status,
    startDate: d.startDate,
    endDate: d.endDate ?? '',
    areaIds: d.areaIds.map(String),
    followUp: d.followUp.map(({ indicatorId, baselinePeriod, target, targetPeriod }) => ({ indicatorId, baselinePeriod, target, targetPeriod })),
    causeIds: d.causeIds.map(String),
    comparisonAreaId: d.comparisonAreaId === null ? '' : String(d.comparisonAreaId),
    displacementBufferM: d.displacementBufferM === null ? '' : String(d.displacementBufferM),
  }
}

/** `causes`: the chosen problem area's, when read: causes of another problem area are dropped with it. */
const toDraft = (v: MeasureValues, causes: CauseDto[] | undefined): MeasureDraft => ({
  title: v.title,
  description: v.description,
  problemAreaId: Number(v.problemAreaId),
  purpose: v.purpose,
  prevention: v.prevention,
  level: v.level,
  owners: [...v.owners, ...othersOf(v.others)],
  samverkansform: (v.samverkansform || null) as MeasureDraft['samverkansform'],
  areaIds: v.areaIds.map(Number),
  status: v.status,
  startDate: v.startDate,
  endDate: v.endDate || null,
  followUp: v.followUp,
  causeIds: v.causeIds.map(Number).filter((id) => !causes || causes.some((c) => c.id === id)),
  comparisonAreaId: v.comparisonAreaId ? Number(v.comparisonAreaId) : null,
  displacementBufferM: v.displacementBufferM.trim() === '' ? null : Number(v.displacementBufferM),
})

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

/** Create or edit a measure; what is plainly wrong is said before sending, every refused field beside its input. */
export function MeasureForm(p: MeasureFormProps) {
  const { register, handleSubmit, control, setError, formState, watch } = useForm<MeasureValues>({ defaultValues: toValues(p.measure, p) })
  const causes = useCauses(Number(watch('problemAreaId')) || null).data
  // The baselines as computed from the data, for a measure already saved.
  const evaluation = useEvaluation(p.measure?.id ?? null).data
  const { errors } = formState
  const followUp = useFieldArray({ control, name: 'followUp' })
  const save = useSaveMeasure(p.measure)
  const [rest, setRest] = useState<ApiDetail[]>([])
  const fields: Array<FieldPath<MeasureValues>> = ['title', 'description', 'problemAreaId', 'purpose', 'prevention', 'level', 'owners', 'samverkansform', 'status', 'startDate', 'endDate', 'areaIds', 'causeIds', 'comparisonAreaId', 'displacementBufferM', ...followUp.fields.map((_, i) => `followUp.${i}` as const)]
  const submit = handleSubmit((values) =>
    save.mutate(toDraft(values, causes), {
      onSuccess: p.onSaved,
      onError: (e) => setRest(showServerErrors(e, setError, fields)),
    }),
  )
  // Why a saved follow-up's target is not shown to this reader; only for the row as saved.
  const withheld = (i: number): string | null => {
    const saved = p.measure?.followUp[i]
    const now = watch(`followUp.${i}`)
    return saved?.targetWithheld && now && now.indicatorId === saved.indicatorId && now.baselinePeriod === saved.baselinePeriod && now.targetPeriod === saved.targetPeriod ? saved.targetWithheld : null
  }
  const err = (field: string, message: string | undefined) => <FieldError field={field} id={`mf-${field}-err`} message={message} />
  const rowError = (i: number) => {
    const e = errors.followUp?.[i]
    return e?.message ?? Object.values(e ?? {}).find((x): x is { message: string } => typeof x === 'object' && x !== null && 'message' in x && typeof x.message === 'string')?.message
  }

  return (
    <form className="measure-form" data-testid="measure-form" aria-labelledby="mf-h" noValidate onSubmit={(e) => void submit(e)}>
      <h2 id="mf-h">{p.measure ? `Ändra åtgärd: ${p.measure.title}` : 'Ny åtgärd'}</h2>
      <FormProblem problem={save.error} details={rest} testId="measure-error" />
      <div className="field">
        <label htmlFor="mf-title">Titel</label>
        <input
          id="mf-title"
          type="text"
          aria-invalid={errors.title ? true : undefined}
          {...register('title', {
            required: 'en titel krävs',
            validate: (v) => v.trim().length >= 3 || 'titeln behöver minst 3 tecken',
            maxLength: { value: 200, message: 'titeln får ha högst 200 tecken' },
          })}
        />
        {err('title', errors.title?.message)}
      </div>
      <div className="field">
        <label htmlFor="mf-desc">Beskrivning</label>
        <textarea id="mf-desc" rows={3} {...register('description', { maxLength: { value: 5000, message: 'beskrivningen får ha högst 5 000 tecken' } })} />
        {err('description', errors.description?.message)}
      </div>
      <Select
        id="mf-pa"
        label="Prioriterat problemområde"
        error={errors.problemAreaId?.message}
        options={choosable(p.problemAreas, p.measure).map((pa) => ({ value: pa.id, label: `${pa.parentId ? '– ' : ''}${pa.title}${pa.retiredAt ? ' (avslutat)' : ''}` }))}
        {...register('problemAreaId')}
      />
      <div className="field-row">
        <Select id="mf-purpose" label="Syfte" error={errors.purpose?.message} options={optionsOf(PURPOSE_LABELS)} {...register('purpose')} />
        <Select id="mf-prev" label="Preventionstyp" error={errors.prevention?.message} options={optionsOf(PREVENTION_LABELS)} {...register('prevention')} />
        <Select id="mf-level" label="Nivå" error={errors.level?.message} options={optionsOf(LEVEL_LABELS)} {...register('level')} />
      </div>
      <fieldset className="field">
        <legend>Ägare</legend>
        <label>
          <input
            type="checkbox"
            value="staden"
            {...register('owners', { validate: (v, all) => v.length + othersOf(all.others).length > 0 || 'ange minst en ägare (staden, polisen eller annan part)' })}
          />{' '}
          Staden
        </label>
        <label>
          <input type="checkbox" value="polisen" {...register('owners')} /> Polisen
        </label>
        <label htmlFor="mf-others">Andra parter (kommaseparerade)</label>
        <input id="mf-others" type="text" {...register('others')} />
        {err('owners', errors.owners?.message)}
      </fieldset>
      <div className="field-row">
        <Controller
          control={control}
          name="samverkansform"
          render={({ field }) => (
            <Select
              id="mf-sv"
              label="Samverkansform"
              error={errors.samverkansform?.message}
              options={[{ value: '', label: 'Ingen' }, ...p.samverkansformer.map((s) => ({ value: s.id, label: s.name }))]}
              {...field}
            />
          )}
        />
        <Select id="mf-status" label="Status" error={errors.status?.message} options={optionsOf(STATUS_LABELS)} {...register('status')} />
        <div className="field">
          <label htmlFor="mf-start">Startdatum</label>
          <input id="mf-start" type="date" {...register('startDate', { required: 'ange ett startdatum' })} />
          {err('startDate', errors.startDate?.message)}
        </div>
        <div className="field">
          <label htmlFor="mf-end">Slutdatum</label>
          <input
            id="mf-end"
            type="date"
            {...register('endDate', { validate: (v, all) => !v || !all.startDate || v >= all.startDate || 'slutdatum kan inte vara före startdatum' })}
          />
          {err('endDate', errors.endDate?.message)}
        </div>
      </div>
      {/* Controlled: the area list may arrive (or be asked again after a new place) after the form opens. */}
      <Controller
        control={control}
        name="areaIds"
        rules={{ validate: (v) => v.length > 0 || 'välj minst ett område där åtgärden genomförs' }}
        render={({ field }) => (
          <Select
            id="mf-areas"
            label="Områden där åtgärden genomförs (håll Ctrl för flera)"
            multiple
            size={8}
            error={errors.areaIds?.message}
            groups={p.layers
              .filter((l) => l.kind !== 'grid')
              .map((l) => ({ label: l.name, options: p.areas.filter((a) => a.layer === l.id).map((a) => ({ value: a.id, label: a.name })) }))}
            name={field.name}
            ref={field.ref}
            value={field.value}
            onBlur={field.onBlur}
            onChange={(e) => field.onChange([...e.target.selectedOptions].map((o) => o.value))}
          />
        )}
      />
      {((causes && causes.length > 0) || errors.causeIds) && (
        <fieldset className="field" data-testid="measure-causes">
          <legend>Orsaker som åtgärden angriper</legend>
          {(causes ?? []).map((c) => (
            <label key={c.id}>
              <input type="checkbox" value={String(c.id)} {...register('causeIds')} /> {c.title}
            </label>
          ))}
          {err('causeIds', errors.causeIds?.message)}
        </fieldset>
      )}
      <fieldset className="field">
        <legend>Jämförelse och förskjutning (platsbundna åtgärder)</legend>
        <div className="field-row">
          <Select
            id="mf-comparison"
            label="Jämförelseområde"
            error={errors.comparisonAreaId?.message}
            options={[{ value: '', label: 'Inget' }]}
            groups={p.layers
              .filter((l) => l.kind !== 'grid')
              .map((l) => ({ label: l.name, options: p.areas.filter((a) => a.layer === l.id).map((a) => ({ value: a.id, label: a.name })) }))}
            {...register('comparisonAreaId')}
          />
          <div className="field">
            <label htmlFor="mf-buffer">Buffert för förskjutning (meter)</label>
            <input
              id="mf-buffer"
              type="number"
              inputMode="numeric"
              min={50}
              max={5000}
              step={50}
              aria-invalid={errors.displacementBufferM ? true : undefined}
              {...register('displacementBufferM', {
                validate: (v, all) =>
                  v.trim() === '' ||
                  (Number.isInteger(Number(v)) && Number(v) >= 50 && Number(v) <= 5000 ? (all.comparisonAreaId ? true : 'förskjutning mäts mot ett jämförelseområde: välj ett') : 'ange bufferten i hela meter, 50–5 000'),
              })}
            />
            {err('displacementBufferM', errors.displacementBufferM?.message)}
          </div>
        </div>
      </fieldset>
      <fieldset className="field">
        <legend>Uppföljning</legend>
        <p className="muted">Utgångsvärdet anges inte: det beräknas ur data för utgångsperioden, i varje område där åtgärden genomförs.</p>
        {followUp.fields.map((f, i) => (
          <div className="field-row followup-row" key={f.id}>
            <label className="row-field wide">
              <span>Indikator</span>
              <Select
                id={`mf-fu-${i}-indicator`}
                aria-label={`Indikator ${i + 1}`}
                options={p.indicators.map((ind) => ({ value: ind.id, label: ind.name }))}
                {...register(`followUp.${i}.indicatorId`, { required: 'välj en indikator' })}
              />
            </label>
            <label className="row-field">
              <span>Utgångsperiod</span>
              <input aria-label={`Utgångsperiod ${i + 1}`} type="text" placeholder="t.ex. 2023" {...register(`followUp.${i}.baselinePeriod`, { required: 'ange utgångsperioden' })} />
            </label>
            <label className="row-field">
              <span>Målvärde</span>
              {withheld(i) ? (
                // Empty keeps the stored target, which this reader may not see; a number replaces it.
                <input
                  aria-label={`Målvärde ${i + 1}`}
                  aria-describedby={`mf-fu-${i}-withheld`}
                  type="number"
                  step="any"
                  placeholder="visas inte"
                  {...register(`followUp.${i}.target`, { setValueAs: (v: unknown) => (v === '' || v === null || v === undefined ? null : Number(v)), validate: (v) => v === null || Number.isFinite(v) || 'målvärdet ska vara ett tal' })}
                />
              ) : (
                <input aria-label={`Målvärde ${i + 1}`} type="number" step="any" {...register(`followUp.${i}.target`, { valueAsNumber: true, validate: (v) => (v !== null && Number.isFinite(v)) || 'målvärdet ska vara ett tal' })} />
              )}
            </label>
            <label className="row-field">
              <span>Målperiod</span>
              <input aria-label={`Målperiod ${i + 1}`} type="text" placeholder="t.ex. 2026" {...register(`followUp.${i}.targetPeriod`, { required: 'ange målperioden' })} />
            </label>
            <button type="button" className="row-remove" onClick={() => followUp.remove(i)} aria-label={`Ta bort uppföljning ${i + 1}`} title="Ta bort raden">
              ×
            </button>
            {err(`followUp.${i}`, rowError(i))}
            {withheld(i) && (
              <p className="muted small followup-withheld" id={`mf-fu-${i}-withheld`} data-testid="withheld-target">
                {sentence(withheld(i)!)}. Lämna fältet tomt för att behålla det sparade målet, eller skriv ett nytt.
              </p>
            )}
            {p.measure?.followUp[i] && <ComputedBaselines rows={evaluation?.indicators.filter((r) => r.indicatorId === p.measure!.followUp[i]!.indicatorId && r.baseline.period === p.measure!.followUp[i]!.baselinePeriod)} />}
          </div>
        ))}
        <button type="button" onClick={() => followUp.append({ indicatorId: p.indicators[0]?.id ?? '', baselinePeriod: '2023', target: 0, targetPeriod: '2025' })}>
          Lägg till uppföljningsindikator
        </button>
      </fieldset>
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          Spara
        </button>
        <button type="button" onClick={p.onCancel}>
          Avbryt
        </button>
      </div>
      {p.measure && <DecisionHistory kind="measure" refId={p.measure.id} heading="Beslut om åtgärden" testId="measure-decisions" />}
    </form>
  )
}

/** The saved follow-up's baselines, as computed from the data: read only. */
function ComputedBaselines({ rows }: { rows: EvaluationRow[] | undefined }) {
  if (!rows || rows.length === 0) return null
  return (
    <p className="muted small followup-baseline" data-testid="computed-baseline">
      Beräknat utgångsvärde:{' '}
      {rows.map((r, i) => (
        <span key={r.areaId}>
          {i > 0 && '; '}
          {r.areaName} {r.baseline.suppressed ? 'dolt' : r.baseline.value === null ? 'saknas' : formatValue(r.baseline.value, r.unit)} ({periodLabel(r.baseline.period)})
        </span>
      ))}
    </p>
  )
}
