import { useEffect, useRef, useState } from 'react'
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { AFFECT_LABELS, todayIso, useCreateDecision, useGroupMeetings, type AffectKind, type DecisionDto, type DecisionGroupDto } from './queries'

/** What a decision may name, per kind: the choices the picker offers. */
export type AffectChoices = Record<AffectKind, Array<{ id: number | string; label: string }>>

interface DecisionValues {
  date: string
  group: string
  /** '' for none: a decision need not be taken at a registered meeting. */
  meetingId: string
  text: string
  affects: Array<{ kind: AffectKind; ref: string; label: string }>
}

export interface DecisionFormProps {
  /** The groups this user may register decisions for (and, adopting, that may adopt). */
  groups: DecisionGroupDto[]
  choices: AffectChoices
  initialAffects?: Array<{ kind: AffectKind; id: number | string }>
  /** A meeting (and its group) to record the decision for, as the meetings page links here. */
  initialGroup?: string
  initialMeetingId?: number
  /** The form's heading and its id prefix (two forms may share a page). */
  title: string
  idPrefix: string
  onSaved(d: DecisionDto): void
  onCancel(): void
}

/** Registers a decision of a ledningsgrupp: date, group, text and what it changes. */
export function DecisionForm(p: DecisionFormProps) {
  const labelOf = (kind: AffectKind, ref: string) => p.choices[kind].find((c) => String(c.id) === ref)?.label ?? `${AFFECT_LABELS[kind]} ${ref}`
  const initialGroup = p.groups.find((g) => g.id === p.initialGroup)?.id
  const { register, handleSubmit, control, setError, formState, watch, getValues, setValue } = useForm<DecisionValues>({
    defaultValues: {
      date: todayIso(),
      group: initialGroup ?? p.groups[0]?.id ?? '',
      meetingId: '',
      text: '',
      affects: (p.initialAffects ?? []).map((a) => ({ kind: a.kind, ref: String(a.id), label: labelOf(a.kind, String(a.id)) })),
    },
  })
  const { errors } = formState
  const affects = useFieldArray({ control, name: 'affects' })
  const [kind, setKind] = useState<AffectKind>('problem_area')
  const [pick, setPick] = useState('')
  const save = useCreateDecision()
  const [rest, setRest] = useState<ApiDetail[]>([])
  const id = (f: string) => `${p.idPrefix}-${f}`
  const groupMeetings = useGroupMeetings(watch('group')).data
  const meetings = groupMeetings ?? []
  // The meeting the form was opened for is chosen once its group's meetings arrive; another group chosen
  // replaces the list, and a meeting of the former group no longer applies.
  const initialApplied = useRef(false)
  useEffect(() => {
    if (!groupMeetings) return
    if (!initialApplied.current && p.initialMeetingId && groupMeetings.some((m) => m.id === p.initialMeetingId)) {
      initialApplied.current = true
      setValue('meetingId', String(p.initialMeetingId))
    } else if (!groupMeetings.some((m) => String(m.id) === getValues('meetingId'))) setValue('meetingId', '')
  }, [groupMeetings, getValues, setValue, p.initialMeetingId])
  const fields: Array<FieldPath<DecisionValues>> = ['date', 'group', 'meetingId', 'text', ...affects.fields.map((_, i) => `affects.${i}` as const)]
  const submit = handleSubmit((v) =>
    save
      .mutateAsync({ date: v.date, group: v.group, meetingId: v.meetingId ? Number(v.meetingId) : null, text: v.text, affects: v.affects.map((a) => ({ kind: a.kind, id: a.kind === 'samverkansform' ? a.ref : Number(a.ref) })) })
      .then(p.onSaved, (e: unknown) => setRest(showServerErrors(e, setError, fields))),
  )
  const options = p.choices[kind].filter((c) => !affects.fields.some((a) => a.kind === kind && a.ref === String(c.id)))
  const add = () => {
    const ref = pick || (options[0] ? String(options[0].id) : '')
    if (!ref) return
    affects.append({ kind, ref, label: labelOf(kind, ref) })
    setPick('')
  }

  return (
    <form className="measure-form decision-form" data-testid={`${p.idPrefix}-form`} aria-labelledby={id('h')} noValidate onSubmit={(e) => void submit(e)}>
      <h2 id={id('h')}>{p.title}</h2>
      <FormProblem problem={save.error} details={rest} testId={`${p.idPrefix}-error`} />
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('date')}>Datum</label>
          <input
            id={id('date')}
            type="date"
            max={todayIso()}
            aria-invalid={errors.date ? true : undefined}
            aria-describedby={errors.date ? id('date-err') : undefined}
            {...register('date', { required: 'ange beslutets datum', validate: (d) => d <= todayIso() || 'datumet ligger i framtiden' })}
          />
          <FieldError id={id('date-err')} field="date" message={errors.date?.message} />
        </div>
        <Select
          id={id('group')}
          label="Grupp"
          error={errors.group?.message}
          options={p.groups.map((g) => ({ value: g.id, label: g.name }))}
          {...register('group', { required: 'välj en grupp' })}
        />
        <Select
          id={id('meeting')}
          label="Möte"
          error={errors.meetingId?.message}
          options={[{ value: '', label: 'Inget registrerat möte' }, ...meetings.map((m) => ({ value: String(m.id), label: `${m.date}${m.status === 'planerad' ? ' (planerat)' : ''}` }))]}
          {...register('meetingId')}
        />
      </div>
      <div className="field">
        <label htmlFor={id('text')}>Beslut</label>
        <textarea
          id={id('text')}
          rows={3}
          aria-invalid={errors.text ? true : undefined}
          aria-describedby={errors.text ? id('text-err') : undefined}
          {...register('text', {
            validate: (t) => t.trim().length >= 3 || 'beslutstexten behöver minst 3 tecken',
            maxLength: { value: 5000, message: 'beslutstexten får ha högst 5 000 tecken' },
          })}
        />
        <FieldError id={id('text-err')} field="text" message={errors.text?.message} />
      </div>
      <fieldset className="field">
        <legend>Påverkar</legend>
        {affects.fields.length === 0 ? (
          <p className="muted small">Inget valt: lägg till vad beslutet ändrar.</p>
        ) : (
          <ul className="chips affect-chips">
            {affects.fields.map((a, i) => (
              <li key={a.id} data-affect={`${a.kind}:${a.ref}`}>
                <span>
                  <span className="muted">{AFFECT_LABELS[a.kind]}:</span> {a.label}
                </span>
                <button type="button" aria-label={`Ta bort ${AFFECT_LABELS[a.kind].toLowerCase()} ${a.label}`} onClick={() => affects.remove(i)}>
                  ×
                </button>
                <FieldError field={`affects.${i}`} message={errors.affects?.[i]?.message} />
              </li>
            ))}
          </ul>
        )}
        <div className="affect-picker">
          <Select
            id={id('kind')}
            aria-label="Slag"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as AffectKind)
              setPick('')
            }}
            options={Object.entries(AFFECT_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <Select
            id={id('pick')}
            aria-label={`Vilken ${AFFECT_LABELS[kind].toLowerCase()}`}
            value={pick || (options[0] ? String(options[0].id) : '')}
            onChange={(e) => setPick(e.target.value)}
            disabled={options.length === 0}
            options={options.length ? options.map((o) => ({ value: String(o.id), label: o.label })) : [{ value: '', label: 'Inget att välja' }]}
          />
          <button type="button" onClick={add} disabled={options.length === 0}>
            Lägg till
          </button>
        </div>
      </fieldset>
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending || p.groups.length === 0}>
          Registrera beslut
        </button>
        <button type="button" onClick={p.onCancel}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
