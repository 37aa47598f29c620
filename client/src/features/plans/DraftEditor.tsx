import { useState } from 'react'
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { useSaveDraft, type PlanDto, type PlanVersionDto, type RowDraft } from './queries'

/** The form holds ids as the selects do: text, '' for none. */
interface RowValues extends Omit<RowDraft, 'causeId' | 'measureId'> {
  causeId: string
  measureId: string
}
interface DraftValues {
  rows: RowValues[]
}

const ROW_FIELDS = ['causeId', 'cause', 'measureId', 'action', 'goal', 'timing', 'responsible', 'followup'] as const
const empty: RowValues = { causeId: '', cause: '', measureId: '', action: '', goal: '', timing: '', responsible: '', followup: '' }

export interface DraftEditorProps {
  plan: PlanDto
  version: PlanVersionDto
  /** The problem area's causes; null when they cannot be read (then the cause is free text only). */
  causes: Array<{ id: number; title: string }> | null
  measures: Array<{ id: number; title: string }>
  onSaved(plan: PlanDto): void
  onCancel(): void
  /** A stale save: read the plan again (the form starts over from what is stored). */
  onReload(): void
}

/** A draft's rows: add, remove, reorder; each refused field shown at its row. */
export function DraftEditor({ plan, version, causes, measures, onSaved, onCancel, onReload }: DraftEditorProps) {
  const { register, handleSubmit, control, setError, formState, watch } = useForm<DraftValues>({
    defaultValues: {
      rows: version.rows.map((r) => ({
        causeId: r.causeId === null ? '' : String(r.causeId),
        // A cause picked from the analysis shows its title from there; a typed one keeps its text.
        cause: r.causeId !== null && causes?.some((c) => c.id === r.causeId && c.title === r.cause) ? '' : r.cause,
        measureId: r.measureId === null ? '' : String(r.measureId),
        action: r.action,
        goal: r.goal,
        timing: r.timing,
        responsible: r.responsible,
        followup: r.followup,
      })),
    },
  })
  const { errors } = formState
  const rows = useFieldArray({ control, name: 'rows' })
  const save = useSaveDraft(plan.id, version.version)
  const [rest, setRest] = useState<ApiDetail[]>([])
  const fields: Array<FieldPath<DraftValues>> = rows.fields.flatMap((_, i) => ROW_FIELDS.map((f) => `rows.${i}.${f}` as const))
  // mutateAsync: the answer is handled even if a refetch of the plan re-renders the page first.
  const submit = handleSubmit((v) =>
    save
      .mutateAsync({
        revision: version.revision,
        rows: v.rows.map((r) => ({ ...r, causeId: r.causeId ? Number(r.causeId) : null, measureId: r.measureId ? Number(r.measureId) : null })),
      })
      .then(onSaved, (e: unknown) => setRest(showServerErrors(e, setError, fields))),
  )
  const stale = save.error?.status === 409
  const err = (i: number, f: (typeof ROW_FIELDS)[number]) => errors.rows?.[i]?.[f]?.message
  const id = (i: number, f: string) => `dr-${i}-${f}`
  const described = (i: number, f: (typeof ROW_FIELDS)[number]) => (err(i, f) ? { 'aria-invalid': true, 'aria-describedby': `${id(i, f)}-err` } : {})
  const text = (i: number, f: 'action' | 'goal' | 'timing' | 'responsible' | 'followup', label: string, required: string | null, multiline: boolean) => (
    <div className={`field draft-${f}`}>
      <label htmlFor={id(i, f)}>{label}</label>
      {multiline ? (
        <textarea id={id(i, f)} rows={2} {...described(i, f)} {...register(`rows.${i}.${f}`, required ? { validate: (t) => t.trim().length > 0 || required } : {})} />
      ) : (
        <input id={id(i, f)} type="text" {...described(i, f)} {...register(`rows.${i}.${f}`, required ? { validate: (t) => t.trim().length > 0 || required } : {})} />
      )}
      <FieldError id={`${id(i, f)}-err`} field={`rows.${i}.${f}`} message={err(i, f)} />
    </div>
  )

  return (
    <form className="measure-form draft-editor no-print" data-testid="draft-editor" aria-labelledby="de-h" noValidate onSubmit={(e) => void submit(e)}>
      <h2 id="de-h">Redigera utkastet (version {version.version})</h2>
      {causes === null && <p className="notice">Orsaksanalysen kunde inte läsas: skriv orsaken som text.</p>}
      <FormProblem problem={save.error} details={rest} testId="draft-error" />
      {stale && (
        <p>
          <button type="button" onClick={onReload}>
            Läs in den sparade versionen
          </button>
        </p>
      )}
      {rows.fields.length === 0 && <p className="muted">Inga rader än.</p>}
      <ol className="draft-rows">
        {rows.fields.map((f, i) => {
          const causeId = watch(`rows.${i}.causeId`)
          return (
            <li key={f.id}>
              <fieldset className="draft-row" data-draft-row={i}>
                <legend>Rad {i + 1}</legend>
                <div className="field-row">
                  {causes !== null && (
                    <div className="field">
                      <label htmlFor={id(i, 'causeId')}>Orsak ur orsaksanalysen</label>
                      <select id={id(i, 'causeId')} {...described(i, 'causeId')} {...register(`rows.${i}.causeId`)}>
                        <option value="">Ingen (skriv orsaken)</option>
                        {causes.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.title}
                          </option>
                        ))}
                      </select>
                      <FieldError id={`${id(i, 'causeId')}-err`} field={`rows.${i}.causeId`} message={err(i, 'causeId')} />
                    </div>
                  )}
                  <div className="field">
                    <label htmlFor={id(i, 'cause')}>{causeId ? 'Orsak, egen formulering (tomt: analysens)' : 'Orsak'}</label>
                    <input
                      id={id(i, 'cause')}
                      type="text"
                      {...described(i, 'cause')}
                      {...register(`rows.${i}.cause`, { validate: (t, all) => t.trim().length > 0 || Boolean(all.rows[i]?.causeId) || 'ange orsaken: välj en ur orsaksanalysen eller skriv den' })}
                    />
                    <FieldError id={`${id(i, 'cause')}-err`} field={`rows.${i}.cause`} message={err(i, 'cause')} />
                  </div>
                </div>
                {text(i, 'action', 'Åtgärd', 'ange åtgärden', true)}
                <div className="field-row">
                  {text(i, 'goal', 'Operativt mål', 'ange det operativa målet', false)}
                  {text(i, 'timing', 'När', 'ange när', false)}
                  {text(i, 'responsible', 'Vem', 'ange vem som ansvarar', false)}
                </div>
                <div className="field-row">
                  {text(i, 'followup', 'Uppföljning (hur och med vad)', null, false)}
                  <div className="field">
                    <label htmlFor={id(i, 'measureId')}>Åtgärd i registret</label>
                    <select id={id(i, 'measureId')} {...described(i, 'measureId')} {...register(`rows.${i}.measureId`)}>
                      <option value="">Ingen</option>
                      {measures.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.title}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`${id(i, 'measureId')}-err`} field={`rows.${i}.measureId`} message={err(i, 'measureId')} />
                  </div>
                </div>
                <div className="actions">
                  <button type="button" onClick={() => rows.move(i, i - 1)} disabled={i === 0} aria-label={`Flytta rad ${i + 1} upp`}>
                    ↑ Upp
                  </button>
                  <button type="button" onClick={() => rows.move(i, i + 1)} disabled={i === rows.fields.length - 1} aria-label={`Flytta rad ${i + 1} ned`}>
                    ↓ Ned
                  </button>
                  <button type="button" className="danger" onClick={() => rows.remove(i)} aria-label={`Ta bort rad ${i + 1}`}>
                    Ta bort
                  </button>
                </div>
              </fieldset>
            </li>
          )
        })}
      </ol>
      <p>
        <button type="button" onClick={() => rows.append({ ...empty })}>
          Lägg till rad
        </button>
      </p>
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          Spara utkastet
        </button>
        <button type="button" onClick={onCancel}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
