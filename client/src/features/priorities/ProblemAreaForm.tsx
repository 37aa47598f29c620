import { useState } from 'react'
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { CycleDto, IndicatorDto, ProblemAreaDto } from '../../lib/api'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { parsePeriod } from '../../lib/periods'
import { useProblemAreas } from '../../lib/queries'
import type { Perspective } from './model'
import { useDecisions, useSaveProblemArea } from './queries'

/** The form's own shape: ids as the selects hold them. */
interface Values {
  title: string
  areaId: string
  parentId: string
  analysis: string
  goals: string
  indicatorIds: string[]
  targets: Array<{ indicatorId: string; target: number; targetPeriod: string }>
  decisionId: string
}

const toValues = (a: ProblemAreaDto | null, areaId: number | null): Values => ({
  title: a?.title ?? '',
  areaId: String(a ? (a.areaId ?? '') : (areaId ?? '')),
  parentId: String(a?.parentId ?? ''),
  analysis: a?.analysis ?? '',
  goals: a?.goals ?? '',
  indicatorIds: a?.indicatorIds ?? [],
  targets: a?.targets ?? [],
  decisionId: '',
})

export interface ProblemAreaFormProps {
  cycle: CycleDto
  /** null: a new problem area. */
  problemArea: ProblemAreaDto | null
  problemAreas: ProblemAreaDto[]
  perspectives: Perspective[]
  /** A local group may only use its own stadsområde; undefined: any area. */
  allowedArea?: number | null
  indicators: IndicatorDto[]
  onSaved(p: ProblemAreaDto): void
  onCancel(): void
}

/**
 * Create or change a problem area: title, whose priority it is (the city, a stadsområde or a
 * lokalpolisområde), the problem area it is part of, analysis, målsättning, indicators and measurable
 * targets, and the decision behind the change. A stale save says what changed and offers the newer version.
 */
export function ProblemAreaForm(p: ProblemAreaFormProps) {
  const [base, setBase] = useState(p.problemArea)
  const local = p.allowedArea !== undefined
  const { register, handleSubmit, control, setError, reset, formState } = useForm<Values>({ defaultValues: toValues(base, local ? (p.allowedArea ?? null) : null) })
  const { errors } = formState
  const targets = useFieldArray({ control, name: 'targets' })
  const save = useSaveProblemArea(base)
  const decisions = useDecisions().data ?? []
  const fresh = useProblemAreas(p.cycle.id)
  const [rest, setRest] = useState<ApiDetail[]>([])
  const fields: Array<FieldPath<Values>> = ['title', 'areaId', 'parentId', 'analysis', 'goals', 'indicatorIds', 'decisionId', ...targets.fields.map((_, i) => `targets.${i}` as const)]
  const id = base ? `paf-${base.id}` : 'paf-new'
  const submit = handleSubmit((v) => {
    setRest([])
    save.mutate(
      {
        cycleId: p.cycle.id,
        title: v.title.trim(),
        areaId: v.areaId ? Number(v.areaId) : null,
        parentId: v.parentId ? Number(v.parentId) : null,
        analysis: v.analysis,
        goals: v.goals,
        indicatorIds: v.indicatorIds,
        targets: v.targets.map((t) => ({ indicatorId: t.indicatorId, target: Number(t.target), targetPeriod: t.targetPeriod.trim() })),
        decisionId: v.decisionId ? Number(v.decisionId) : null,
      },
      { onSuccess: p.onSaved, onError: (e) => setRest(showServerErrors(e, setError, fields)) },
    )
  })
  const stale = save.error?.status === 409 && base !== null
  const loadLatest = async () => {
    const latest = (await fresh.refetch()).data?.find((x) => x.id === base?.id)
    if (!latest) return
    save.reset()
    setRest([])
    setBase(latest)
    reset(toValues(latest, null))
  }
  const areaOptions = p.perspectives
    .filter((x) => !local || x.id === p.allowedArea)
    .map((x) => ({ value: x.id ?? '', label: x.id === null ? 'Hela staden' : x.layer === 'stadsomrade' ? `Stadsområde ${x.name}` : x.name }))
  // Two levels: a parent is a top-level problem area of the cycle, not this one.
  const parents = p.problemAreas.filter((x) => x.parentId === null && x.id !== base?.id)
  const hasChildren = base !== null && p.problemAreas.some((x) => x.parentId === base.id)
  const rowError = (i: number) => {
    const e = errors.targets?.[i]
    return e?.message ?? e?.indicatorId?.message ?? e?.target?.message ?? e?.targetPeriod?.message
  }

  return (
    <form className="measure-form problem-area-form" data-testid="problem-area-form" aria-labelledby={`${id}-h`} noValidate onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-h`}>{base ? `Ändra problemområde: ${base.title}` : 'Nytt problemområde'}</h3>
      <FormProblem problem={save.error} details={rest} testId="problem-area-error" />
      {stale && (
        <p>
          Någon annan har ändrat problemområdet sedan du öppnade det; dina ändringar finns kvar tills du hämtar den senaste versionen.{' '}
          <button type="button" onClick={() => void loadLatest()}>
            Hämta den senaste versionen
          </button>
        </p>
      )}
      <TextField
        id={`${id}-title`}
        label="Titel"
        error={errors.title?.message}
        {...register('title', { validate: (v) => v.trim().length >= 3 || 'titeln behöver minst 3 tecken', maxLength: { value: 200, message: 'titeln får ha högst 200 tecken' } })}
      />
      <div className="field-row">
        <Select id={`${id}-area`} label="Gäller" error={errors.areaId?.message} options={areaOptions} {...register('areaId')} />
        <Select
          id={`${id}-parent`}
          label="Del av"
          error={errors.parentId?.message}
          disabled={hasChildren}
          options={[{ value: '', label: hasChildren ? 'Inget (har egna delområden)' : 'Inget: ett eget problemområde' }, ...parents.map((x) => ({ value: x.id, label: x.title }))]}
          {...register('parentId')}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-analysis`}>Analys</label>
        <textarea id={`${id}-analysis`} rows={3} {...register('analysis', { maxLength: { value: 10000, message: 'analysen får ha högst 10 000 tecken' } })} />
        <FieldError field="analysis" message={errors.analysis?.message} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-goals`}>Målsättning</label>
        <textarea id={`${id}-goals`} rows={2} {...register('goals', { maxLength: { value: 5000, message: 'målsättningen får ha högst 5 000 tecken' } })} />
        <FieldError field="goals" message={errors.goals?.message} />
      </div>
      <fieldset className="field">
        <legend>Indikatorer som följer problemområdet</legend>
        <div className="indicator-picks">
          {p.indicators.map((ind) => (
            <label key={ind.id}>
              <input type="checkbox" value={ind.id} {...register('indicatorIds')} /> {ind.name}
            </label>
          ))}
        </div>
        <FieldError field="indicatorIds" message={errors.indicatorIds?.message} />
      </fieldset>
      <fieldset className="field">
        <legend>Mätbara mål</legend>
        {targets.fields.map((f, i) => (
          <div className="field-row followup-row" key={f.id}>
            <label className="row-field wide">
              <span>Indikator</span>
              <Select
                id={`${id}-t-${i}-ind`}
                aria-label={`Målindikator ${i + 1}`}
                options={p.indicators.map((ind) => ({ value: ind.id, label: ind.name }))}
                {...register(`targets.${i}.indicatorId`, { required: 'välj en indikator' })}
              />
            </label>
            <label className="row-field">
              <span>Målvärde</span>
              <input aria-label={`Målvärde ${i + 1}`} type="number" step="any" {...register(`targets.${i}.target`, { valueAsNumber: true, validate: (v) => Number.isFinite(v) || 'målvärdet ska vara ett tal' })} />
            </label>
            <label className="row-field">
              <span>Målperiod</span>
              <input
                aria-label={`Målperiod ${i + 1}`}
                type="text"
                placeholder="t.ex. 2027"
                {...register(`targets.${i}.targetPeriod`, { validate: (v) => parsePeriod(v.trim()) !== null || 'ange en period som 2027, 2027-H1, 2027-Q3 eller 2027-05' })}
              />
            </label>
            <button type="button" className="row-remove" onClick={() => targets.remove(i)} aria-label={`Ta bort mål ${i + 1}`} title="Ta bort målet">
              ×
            </button>
            <FieldError field={`targets.${i}`} message={rowError(i)} />
          </div>
        ))}
        <button type="button" onClick={() => targets.append({ indicatorId: p.indicators[0]?.id ?? '', target: 0, targetPeriod: String(p.cycle.endYear) })}>
          Lägg till mål
        </button>
      </fieldset>
      <Select
        id={`${id}-decision`}
        label="Beslut som ändringen bygger på (valfritt)"
        error={errors.decisionId?.message}
        options={[{ value: '', label: 'Inget beslut angivet' }, ...decisions.map((d) => ({ value: d.id, label: `${d.date} ${d.groupName}: ${d.text.length > 70 ? `${d.text.slice(0, 69)}…` : d.text}` }))]}
        {...register('decisionId')}
      />
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          {base ? 'Spara ändringar' : 'Skapa problemområdet'}
        </button>
        <button type="button" onClick={p.onCancel}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
