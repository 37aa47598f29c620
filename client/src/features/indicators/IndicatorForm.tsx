import { useEffect, useState } from 'react'
import { useForm, type FieldPath } from 'react-hook-form'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { optionsOf, Select } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { IndicatorDto } from '../../lib/api'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { CATEGORY_LABELS, POLARITY_LABELS, UNIT_LABELS } from '../../lib/labels'
import { useReloadIndicator, useSaveIndicator, type IndicatorDraft } from './queries'

/** The form's own shape: the threshold as the input holds it. */
type Values = Omit<IndicatorDraft, 'minPublishCount'> & { minPublishCount: number }

const ID_PATTERN = /^[a-z][a-z0-9_]*$/

function toValues(i: IndicatorDto | null): Values {
  if (!i) return { id: '', name: '', description: '', unit: 'count', category: 'brott', polarity: 'higher_is_worse', source: '', licence: '', minPublishCount: 5, survey: false }
  return { id: i.id, name: i.name, description: i.description, unit: i.unit, category: i.category, polarity: i.polarity, source: i.source, licence: i.licence, minPublishCount: i.minPublishCount, survey: i.survey }
}

const FIELDS: Array<FieldPath<Values>> = ['id', 'name', 'description', 'unit', 'category', 'polarity', 'source', 'licence', 'minPublishCount', 'survey']

export interface IndicatorFormProps {
  /** null: a new indicator. */
  indicator: IndicatorDto | null
  onSaved(i: IndicatorDto): void
  onCancel(): void
}

/**
 * Create or edit an indicator. Plain mistakes are said before sending, the server's refusals beside
 * their fields; a save over someone else's newer version shows what they changed and offers the new one.
 */
export function IndicatorForm(p: IndicatorFormProps) {
  // The version being edited: the one opened, or the newer one read after a refused save.
  const [base, setBase] = useState(p.indicator)
  const { register, handleSubmit, setError, setValue, watch, reset, formState } = useForm<Values>({ defaultValues: toValues(base) })
  const { errors } = formState
  const save = useSaveIndicator(base)
  const reload = useReloadIndicator()
  const [rest, setRest] = useState<ApiDetail[]>([])
  const category = watch('category')
  const unit = watch('unit')
  // Values are stored in the unit: it is fixed while there are any.
  const unitFixed = base !== null && base.periods.length > 0

  // An aktivitet counts effort (controls, drug offences found): more is neither better nor worse.
  useEffect(() => {
    if (category === 'aktivitet') setValue('polarity', 'neutral')
  }, [category, setValue])
  useEffect(() => {
    if (unit !== 'percent') setValue('survey', false)
  }, [unit, setValue])

  const submit = handleSubmit((v) => {
    setRest([])
    save.mutate(
      // A disabled box reads as undefined: a survey only with percent.
      { ...v, id: base?.id ?? v.id.trim(), minPublishCount: Number(v.minPublishCount), survey: v.survey === true && v.unit === 'percent' },
      { onSuccess: p.onSaved, onError: (e) => setRest(showServerErrors(e, setError, FIELDS)) },
    )
  })
  const stale = save.error?.status === 409 && base !== null && save.error.details.some((d) => d.field !== 'unit')
  const loadLatest = async () => {
    if (!base) return
    const latest = await reload(base.id)
    if (!latest) return
    save.reset()
    setRest([])
    setBase(latest)
    reset(toValues(latest))
  }

  const polarityOptions = optionsOf(POLARITY_LABELS).filter((o) => (category === 'aktivitet' ? o.value === 'neutral' : true))
  const unitOptions = optionsOf(UNIT_LABELS).filter((o) => !unitFixed || o.value === base.unit)

  return (
    <form className="measure-form indicator-form" data-testid="indicator-form" aria-labelledby="if-h" noValidate onSubmit={(e) => void submit(e)}>
      <h2 id="if-h">{base ? `Ändra indikator: ${base.name}` : 'Ny indikator'}</h2>
      <FormProblem problem={save.error} details={rest} testId="indicator-error" />
      {stale && (
        <p>
          Fälten nedan visar vad som ändrats sedan du öppnade indikatorn; dina ändringar finns kvar tills du hämtar den senaste versionen.{' '}
          <button type="button" onClick={() => void loadLatest()} data-testid="indicator-reload">
            Hämta den senaste versionen
          </button>
        </p>
      )}
      {base ? (
        <p className="muted">
          Id: <code>{base.id}</code> (ändras aldrig: värden, filer och länkar hänvisar till det) · version {base.version}
        </p>
      ) : (
        <TextField
          id="if-id"
          label="Id (i importfiler och länkar, ändras aldrig)"
          placeholder="t.ex. narkotika_kontroller"
          autoComplete="off"
          error={errors.id?.message}
          {...register('id', {
            required: 'ett id krävs',
            maxLength: { value: 64, message: 'id:t får ha högst 64 tecken' },
            validate: {
              pattern: (v) => ID_PATTERN.test(v.trim()) || 'id:t får bara ha små bokstäver a–z, siffror och _, och börjar med en bokstav',
              notDemo: (v) => !v.trim().startsWith('demo_') || 'id som börjar med demo_ är reserverade för demodata',
            },
          })}
        />
      )}
      <TextField
        id="if-name"
        label="Namn"
        error={errors.name?.message}
        {...register('name', { validate: (v) => v.trim().length >= 2 || 'namnet behöver minst 2 tecken', maxLength: { value: 200, message: 'namnet får ha högst 200 tecken' } })}
      />
      <div className="field">
        <label htmlFor="if-desc">Beskrivning (vad som räknas, och hur)</label>
        <textarea id="if-desc" rows={3} {...register('description', { maxLength: { value: 5000, message: 'beskrivningen får ha högst 5 000 tecken' } })} />
        <FieldError field="description" id="if-desc-err" message={errors.description?.message} />
      </div>
      <div className="field-row">
        <Select id="if-category" label="Kategori" error={errors.category?.message} options={optionsOf(CATEGORY_LABELS)} {...register('category')} />
        <Select id="if-polarity" label="Riktning" aria-describedby="if-polarity-help" error={errors.polarity?.message} options={polarityOptions} {...register('polarity')} />
        <Select id="if-unit" label="Enhet" aria-describedby={unitFixed ? 'if-unit-help' : undefined} error={errors.unit?.message} options={unitOptions} {...register('unit')} />
      </div>
      <p className="muted small" id="if-polarity-help">
        {category === 'aktivitet'
          ? 'En aktivitet räknar polisens eller stadens insatser (t.ex. narkotikabrott som upptäcks, kontroller): fler är varken bättre eller sämre, så riktningen är neutral och kartan färgas utan varningsfärger.'
          : 'Riktningen avgör färgerna: om en ökning visas som sämre eller bättre. Neutral för det som varken är bra eller dåligt i sig.'}
      </p>
      {unitFixed && (
        <p className="muted small" id="if-unit-help">
          Enheten kan inte ändras medan indikatorn har värden ({base.periods.length} perioder).
        </p>
      )}
      <div className="field">
        <label>
          <input type="checkbox" disabled={unit !== 'percent'} aria-describedby="if-survey-help" {...register('survey', { validate: (v, all) => !v || all.unit === 'percent' || 'en urvalsundersökning anges som andel (%)' })} />{' '}
          Urvalsundersökning (skattning med konfidensintervall)
        </label>
        <span className="muted small" id="if-survey-help">
          {unit === 'percent' ? 'T.ex. andelen som känner sig otrygga i en enkät.' : 'Bara för enheten Andel (%).'}
        </span>
        <FieldError field="survey" id="if-survey-err" message={errors.survey?.message} />
      </div>
      <div className="field-row">
        <TextField
          id="if-source"
          label="Källa"
          placeholder="t.ex. Polisen region Väst"
          error={errors.source?.message}
          {...register('source', { validate: (v) => v.trim().length >= 2 || 'ange källan: vem som tar fram siffrorna', maxLength: { value: 300, message: 'källan får ha högst 300 tecken' } })}
        />
        <TextField id="if-licence" label="Licens" placeholder="t.ex. CC BY 4.0" error={errors.licence?.message} {...register('licence', { maxLength: { value: 200, message: 'licensen får ha högst 200 tecken' } })} />
        <TextField
          id="if-threshold"
          label="Publiceringsgräns (minsta antal)"
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          aria-describedby="if-threshold-help"
          error={errors.minPublishCount?.message}
          {...register('minPublishCount', {
            valueAsNumber: true,
            validate: (v) => (Number.isInteger(v) && v >= 1) || 'publiceringsgränsen ska vara ett heltal, minst 1',
          })}
        />
      </div>
      <p className="muted small" id="if-threshold-help">
        Antal under gränsen, och andelar byggda på dem, döljs för alla utom analytiker. En ändring gäller genast; publicerade lägesbilder behåller sin.
      </p>
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          {base ? 'Spara ändringar' : 'Skapa indikator'}
        </button>
        <button type="button" onClick={p.onCancel}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
