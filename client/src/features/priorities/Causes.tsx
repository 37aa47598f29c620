import { useState } from 'react'
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { optionsOf, Select } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { IndicatorDto, LayerDto, ProblemAreaDto } from '../../lib/api'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { countOf, formatValue, periodLabel, suppressedLabel } from '../../lib/format'
import { parsePeriod } from '../../lib/periods'
import { useAreaList, useLayers } from '../../lib/queries'
import type { Names, Perspective } from './model'
import { useCauses, useDeleteCause, useSaveCause, type CauseDto } from './queries'

/** The problem-analysis triangle, then risk and protective factors: the order the analysis is read in. */
export const CAUSE_KIND_LABELS: Record<CauseDto['kind'], string> = {
  garningsperson: 'Gärningsperson',
  offer_mal: 'Offer/mål',
  plats: 'Plats',
  riskfaktor: 'Riskfaktorer',
  skyddsfaktor: 'Skyddsfaktorer',
}

export interface CausesProps {
  id: string
  problemArea: ProblemAreaDto
  mayWrite: boolean
  names: Names
  indicators: IndicatorDto[]
  perspectives: Perspective[]
}

/** A problem area's orsaksanalys: causes by kind, each with its evidence (figures as the reader may see them) and sources. */
export function Causes(p: CausesProps) {
  const causes = useCauses(p.problemArea.id)
  const list = causes.data ?? []
  const areas = useAreaList().data ?? []
  const [open, setOpen] = useState<number | 'new' | null>(null)
  const [confirming, setConfirming] = useState<number | null>(null)
  const remove = useDeleteCause(p.problemArea.id)
  const areaName = (id: number | null) => (id === null ? 'Staden' : (p.perspectives.find((x) => x.id === id)?.name ?? areas.find((a) => a.id === id)?.name ?? `område ${id}`))
  const form = (cause: CauseDto | null) => (
    <CauseForm problemArea={p.problemArea} cause={cause} indicators={p.indicators} perspectives={p.perspectives} onDone={() => setOpen(null)} />
  )

  return (
    <section id={p.id} className="causes" aria-label={`Orsaksanalys för ${p.problemArea.title}`} data-testid="causes">
      <h5>Orsaksanalys</h5>
      {causes.error && <FormProblem problem={causes.error} />}
      {causes.isPending && <p role="status">Hämtar orsakerna…</p>}
      {causes.isSuccess && list.length === 0 && (
        <p className="muted">
          Inga orsaker beskrivna ännu.
          {p.mayWrite && ' Lägg till dem en i taget, längs problemanalystriangeln (gärningsperson, offer/mål, plats) och som risk- och skyddsfaktorer.'}
        </p>
      )}
      <FormProblem problem={remove.error} />
      {(Object.keys(CAUSE_KIND_LABELS) as Array<CauseDto['kind']>)
        .filter((k) => list.some((c) => c.kind === k))
        .map((kind) => (
          <div key={kind} className="cause-kind">
            <h6>{CAUSE_KIND_LABELS[kind]}</h6>
            <ul>
              {list
                .filter((c) => c.kind === kind)
                .map((c) =>
                  open === c.id ? (
                    <li key={c.id}>{form(c)}</li>
                  ) : (
                    <li key={c.id} className="cause" data-cause={c.id}>
                      <strong>{c.title}</strong>
                      {c.description && <p>{c.description}</p>}
                      {c.evidence.length > 0 && (
                        <ul className="evidence">
                          {c.evidence.map((e, i) => {
                            const indicator = p.names.indicator(e.indicatorId)
                            const figure = e.figure
                            return (
                              <li key={i}>
                                {indicator?.name ?? e.indicatorId}, {areaName(e.areaId)}, {periodLabel(e.period)}:{' '}
                                <strong className="figure">
                                  {figure === null ? 'inget värde' : figure.suppressed ? suppressedLabel(indicator?.minPublishCount ?? 5) : formatValue(figure.value, (figure.unit as IndicatorDto['unit']) ?? 'count')}
                                </strong>
                              </li>
                            )
                          })}
                        </ul>
                      )}
                      {c.sources && (
                        <p className="small">
                          <span className="muted">Källor:</span> {c.sources}
                        </p>
                      )}
                      {c.measureIds.length > 0 && <p className="small muted">{countOf(c.measureIds.length, 'åtgärd angriper', 'åtgärder angriper')} orsaken</p>}
                      {p.mayWrite && (
                        <div className="problem-area-actions">
                          <button type="button" onClick={() => setOpen(c.id)} aria-label={`Ändra orsaken ${c.title}`}>
                            Ändra
                          </button>
                          {confirming === c.id ? (
                            <span role="alertdialog" aria-label={`Ta bort orsaken ${c.title}?`} className="inline">
                              <button type="button" className="danger" onClick={() => (setConfirming(null), remove.mutate(c))}>
                                Ja, ta bort
                              </button>
                              <button type="button" onClick={() => setConfirming(null)}>
                                Behåll
                              </button>
                            </span>
                          ) : (
                            <button type="button" onClick={() => (remove.reset(), setConfirming(c.id))} aria-label={`Ta bort orsaken ${c.title}`}>
                              Ta bort
                            </button>
                          )}
                        </div>
                      )}
                    </li>
                  ),
                )}
            </ul>
          </div>
        ))}
      {p.mayWrite && (open === 'new' ? form(null) : <button type="button" onClick={() => setOpen('new')}>Lägg till orsak</button>)}
    </section>
  )
}

interface Values {
  kind: CauseDto['kind']
  title: string
  description: string
  sources: string
  evidence: Array<{ indicatorId: string; areaId: string; period: string }>
}

function CauseForm({ problemArea, cause, indicators, perspectives, onDone }: { problemArea: ProblemAreaDto; cause: CauseDto | null; indicators: IndicatorDto[]; perspectives: Perspective[]; onDone(): void }) {
  const { register, handleSubmit, control, setError, formState } = useForm<Values>({
    defaultValues: {
      kind: cause?.kind ?? 'garningsperson',
      title: cause?.title ?? '',
      description: cause?.description ?? '',
      sources: cause?.sources ?? '',
      evidence: (cause?.evidence ?? []).map((e) => ({ indicatorId: e.indicatorId, areaId: String(e.areaId ?? ''), period: e.period })),
    },
  })
  const { errors } = formState
  const evidence = useFieldArray({ control, name: 'evidence' })
  const save = useSaveCause(problemArea.id, cause)
  const [rest, setRest] = useState<ApiDetail[]>([])
  const layers = useLayers().data ?? []
  const areas = useAreaList().data ?? []
  const fields: Array<FieldPath<Values>> = ['kind', 'title', 'description', 'sources', ...evidence.fields.map((_, i) => `evidence.${i}` as const)]
  const id = cause ? `cf-${cause.id}` : `cf-new-${problemArea.id}`
  const submit = handleSubmit((v) =>
    save.mutate(
      { kind: v.kind, title: v.title.trim(), description: v.description, sources: v.sources, evidence: v.evidence.map((e) => ({ indicatorId: e.indicatorId, areaId: e.areaId ? Number(e.areaId) : null, period: e.period.trim() })) },
      { onSuccess: onDone, onError: (e) => setRest(showServerErrors(e, setError, fields)) },
    ),
  )
  // The problem area's own area first, then the city's partitions and the finer layers (no grids).
  const areaGroups = [
    { label: 'Staden', options: [{ value: '', label: 'Staden som helhet' }] },
    ...layers
      .filter((l: LayerDto) => l.kind !== 'grid')
      .map((l) => ({ label: l.name, options: areas.filter((a) => a.layer === l.id).map((a) => ({ value: a.id, label: a.name })) }))
      .filter((g) => g.options.length > 0),
  ]
  const rowError = (i: number) => {
    const e = errors.evidence?.[i]
    return e?.message ?? e?.indicatorId?.message ?? e?.areaId?.message ?? e?.period?.message
  }
  const defaultArea = problemArea.areaId === null ? '' : String(perspectives.find((x) => x.id === problemArea.areaId)?.id ?? '')

  return (
    <form className="measure-form cause-form" data-testid="cause-form" aria-labelledby={`${id}-h`} noValidate onSubmit={(e) => void submit(e)}>
      <h6 id={`${id}-h`}>{cause ? `Ändra orsak: ${cause.title}` : 'Ny orsak'}</h6>
      <FormProblem problem={save.error} details={rest} testId="cause-error" />
      <div className="field-row">
        <Select id={`${id}-kind`} label="Slag" error={errors.kind?.message} options={optionsOf(CAUSE_KIND_LABELS)} {...register('kind')} />
        <TextField
          id={`${id}-title`}
          label="Orsak"
          error={errors.title?.message}
          {...register('title', { validate: (v) => v.trim().length >= 3 || 'orsaken behöver minst 3 tecken', maxLength: { value: 200, message: 'orsaken får ha högst 200 tecken' } })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-desc`}>Beskrivning</label>
        <textarea id={`${id}-desc`} rows={2} {...register('description', { maxLength: { value: 5000, message: 'beskrivningen får ha högst 5 000 tecken' } })} />
        <FieldError field="description" message={errors.description?.message} />
      </div>
      <fieldset className="field">
        <legend>Belägg (siffran hämtas ur indikatorns värden)</legend>
        {evidence.fields.map((f, i) => (
          <div className="field-row followup-row" key={f.id}>
            <label className="row-field wide">
              <span>Indikator</span>
              <Select id={`${id}-e-${i}-ind`} aria-label={`Beläggets indikator ${i + 1}`} options={indicators.map((ind) => ({ value: ind.id, label: ind.name }))} {...register(`evidence.${i}.indicatorId`, { required: 'välj en indikator' })} />
            </label>
            <label className="row-field wide">
              <span>Område</span>
              <Select id={`${id}-e-${i}-area`} aria-label={`Beläggets område ${i + 1}`} groups={areaGroups} {...register(`evidence.${i}.areaId`)} />
            </label>
            <label className="row-field">
              <span>Period</span>
              <input
                aria-label={`Beläggets period ${i + 1}`}
                type="text"
                placeholder="t.ex. 2025"
                {...register(`evidence.${i}.period`, { validate: (v) => parsePeriod(v.trim()) !== null || 'ange en period som 2025, 2025-H1, 2025-Q3, 2025-05 eller 2025-W10' })}
              />
            </label>
            <button type="button" className="row-remove" onClick={() => evidence.remove(i)} aria-label={`Ta bort belägg ${i + 1}`} title="Ta bort belägget">
              ×
            </button>
            <FieldError field={`evidence.${i}`} message={rowError(i)} />
          </div>
        ))}
        <button type="button" onClick={() => evidence.append({ indicatorId: problemArea.indicatorIds[0] ?? indicators[0]?.id ?? '', areaId: defaultArea, period: String(new Date().getFullYear() - 1) })}>
          Lägg till belägg
        </button>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-sources`}>Källor</label>
        <textarea id={`${id}-sources`} rows={2} placeholder="t.ex. Polisens lägesbild 2025; trygghetsvandring i Hjällbo" {...register('sources', { maxLength: { value: 5000, message: 'källorna får ha högst 5 000 tecken' } })} />
        <FieldError field="sources" message={errors.sources?.message} />
      </div>
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          {cause ? 'Spara orsaken' : 'Lägg till orsaken'}
        </button>
        <button type="button" onClick={onDone}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
