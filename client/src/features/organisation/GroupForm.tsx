import { useState } from 'react'
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form'
import { useQueryClient } from '@tanstack/react-query'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { invalidate } from '../../lib/queries'
import { ORG_LABELS, useSaveGroup, type GroupDraft, type GroupDto, type OrganisationId } from './queries'

interface Values {
  name: string
  members: Array<{ function: string; organisation: OrganisationId }>
  mandate: { purpose: string; goals: string; deliverables: string; timeLimit: string; givenBy: string }
}

const MANDATE_FIELDS = ['purpose', 'goals', 'deliverables', 'timeLimit', 'givenBy'] as const

/**
 * A new working group with its uppdragsdirektiv (group null), or a group's members; a working group's name and
 * uppdragsdirektiv too. The server's field errors show beside their fields; a stale version offers to read the group again.
 */
export function GroupForm(p: { group: GroupDto | null; groups: GroupDto[]; onDone(): void }) {
  const g = p.group
  const working = g === null || g.kind === 'arbetsgrupp'
  const qc = useQueryClient()
  const { register, control, handleSubmit, setError, formState } = useForm<Values>({
    defaultValues: {
      name: g?.name ?? '',
      members: g?.members ?? [{ function: '', organisation: 'staden' }],
      mandate: g?.mandate ?? { purpose: '', goals: '', deliverables: '', timeLimit: '', givenBy: 'trygg_i_goteborg' },
    },
  })
  const members = useFieldArray({ control, name: 'members' })
  const { errors } = formState
  const save = useSaveGroup()
  const [rest, setRest] = useState<ApiDetail[]>([])
  const prefix = g ? `group-${g.id.replace(/[^a-z0-9]/gi, '-')}` : 'group-new'
  const id = (f: string) => `${prefix}-${f}`
  const stale = save.error?.status === 409

  const submit = handleSubmit((v) => {
    const draft: GroupDraft = { members: v.members }
    if (working) Object.assign(draft, { name: v.name, mandate: v.mandate })
    const fields: Array<FieldPath<Values>> = [
      'name',
      ...v.members.flatMap((_, i) => [`members.${i}.function`, `members.${i}.organisation`] as Array<FieldPath<Values>>),
      'members',
      ...MANDATE_FIELDS.map((f) => `mandate.${f}` as const),
    ]
    return save.mutateAsync({ id: g?.id ?? null, version: g?.version, draft }).then(p.onDone, (e: unknown) => setRest(showServerErrors(e, setError, fields)))
  })

  const mandateError = (f: (typeof MANDATE_FIELDS)[number]) => errors.mandate?.[f]?.message
  return (
    <form className="measure-form group-form" data-testid="group-form" aria-labelledby={id('h')} noValidate onSubmit={(e) => void submit(e)}>
      <h3 id={id('h')}>{g ? (working ? `Ändra ${g.name}` : `Medlemmar i ${g.name}`) : 'Ny arbetsgrupp'}</h3>
      <FormProblem problem={save.error} details={rest} testId="group-error" />
      {stale && (
        <p>
          <button type="button" onClick={() => void invalidate(qc, 'groups').then(p.onDone)}>
            Läs in gruppen igen
          </button>
        </p>
      )}
      {working && <TextField id={id('name')} label="Namn" error={errors.name?.message} {...register('name', { required: 'ange gruppens namn' })} />}

      <fieldset className="group-members">
        <legend>Medlemmar</legend>
        {members.fields.length === 0 && <p className="muted small">Inga medlemmar.</p>}
        {members.fields.map((f, i) => (
          <div className="field-row member-row" key={f.id} data-member={i}>
            <TextField
              id={id(`m${i}-function`)}
              label={`Funktion ${i + 1}`}
              error={errors.members?.[i]?.function?.message}
              {...register(`members.${i}.function`, { required: 'ange funktionen' })}
            />
            <Select
              id={id(`m${i}-org`)}
              label={`Organisation ${i + 1}`}
              error={errors.members?.[i]?.organisation?.message}
              options={Object.entries(ORG_LABELS).map(([value, label]) => ({ value, label }))}
              {...register(`members.${i}.organisation`)}
            />
            <button type="button" className="link" aria-label={`Ta bort medlem ${i + 1}`} onClick={() => members.remove(i)}>
              Ta bort
            </button>
          </div>
        ))}
        <FieldError field="members" message={errors.members?.message ?? errors.members?.root?.message} />
        <button type="button" onClick={() => members.append({ function: '', organisation: 'staden' })}>
          Lägg till medlem
        </button>
      </fieldset>

      {working && (
        <fieldset className="group-mandate">
          <legend>Uppdragsdirektiv</legend>
          {(
            [
              ['purpose', 'Syfte', 'ange syftet'],
              ['goals', 'Mål', 'ange målen'],
              ['deliverables', 'Leveranser', 'ange vad gruppen ska leverera'],
            ] as const
          ).map(([f, label, required]) => (
            <div className="field" key={f}>
              <label htmlFor={id(f)}>{label}</label>
              <textarea
                id={id(f)}
                rows={2}
                {...(mandateError(f) ? { 'aria-invalid': true, 'aria-describedby': `${id(f)}-err` } : {})}
                {...register(`mandate.${f}`, { required })}
              />
              <FieldError id={`${id(f)}-err`} field={`mandate.${f}`} message={mandateError(f)} />
            </div>
          ))}
          <div className="field-row">
            <TextField id={id('timeLimit')} type="date" label="Tidsgräns" error={mandateError('timeLimit')} {...register('mandate.timeLimit', { required: 'ange tidsgränsen' })} />
            <Select
              id={id('givenBy')}
              label="Uppdragsgivare"
              error={mandateError('givenBy')}
              options={p.groups.filter((x) => x.kind !== 'arbetsgrupp' || x.id !== g?.id).map((x) => ({ value: x.id, label: x.name }))}
              {...register('mandate.givenBy')}
            />
          </div>
        </fieldset>
      )}
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          {g ? 'Spara gruppen' : 'Skapa arbetsgruppen'}
        </button>
        <button type="button" onClick={p.onDone}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
