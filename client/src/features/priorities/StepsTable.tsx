import { useState } from 'react'
import { FormProblem } from '../../components/FormProblem'
import type { CycleDto, StepStatusDto } from '../../lib/api'
import { STEP_STATUS_LABELS } from '../../lib/labels'
import type { Perspective } from './model'
import { useSetStepStatus, useStepEdits } from './queries'

type Step = CycleDto['steps'][number]
type Status = StepStatusDto['status']

export interface StepsTableProps {
  cycle: CycleDto
  perspective: Perspective
  statusOf(stepId: number): StepStatusDto | null
  /** The role may set this perspective's status (analysts: all; a local group: its own stadsområde). */
  mayEditStatus: boolean
  /** Analysts rename, move, add and remove steps. */
  mayEditSteps: boolean
}

/** The cycle's steps for one perspective: status, date, responsible function and note, editable where the role may. */
export function StepsTable(p: StepsTableProps) {
  const setStatus = useSetStepStatus(p.cycle.id)
  const edits = useStepEdits(p.cycle.id)
  const problem = setStatus.error ?? edits.update.error ?? edits.add.error ?? edits.remove.error
  return (
    <div className="steps">
      <FormProblem problem={problem} />
      <div className="table-scroll">
        <table data-testid="cycle-steps" className="steps-table stack-narrow">
          <caption className="sr-only">
            Stegen i {p.cycle.name}, {p.perspective.name}
          </caption>
          <thead>
            <tr>
              <th scope="col">Steg</th>
              <th scope="col">Status</th>
              <th scope="col">Datum</th>
              <th scope="col">Ansvarig</th>
              <th scope="col">Anteckning</th>
              {p.mayEditStatus && (
                <th scope="col">
                  <span className="sr-only">Spara</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {p.cycle.steps.map((s, i) => (
              <StepRow
                key={`${s.id}:${p.perspective.id}`}
                step={s}
                first={i === 0}
                last={i === p.cycle.steps.length - 1}
                stored={p.statusOf(s.id)}
                perspective={p.perspective}
                mayEditStatus={p.mayEditStatus}
                mayEditSteps={p.mayEditSteps}
                busy={setStatus.isPending || edits.update.isPending || edits.remove.isPending}
                onStatus={(change) => setStatus.mutate({ stepId: s.id, areaId: p.perspective.id, ...change })}
                onRename={(name) => edits.update.mutate({ stepId: s.id, name })}
                onMove={(ordinal) => edits.update.mutate({ stepId: s.id, ordinal })}
                onRemove={() => edits.remove.mutate(s.id)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {p.mayEditSteps && <AddStep count={p.cycle.steps.length} pending={edits.add.isPending} onAdd={(name, ordinal) => edits.add.mutate({ name, ordinal }, { onSuccess: () => edits.add.reset() })} />}
    </div>
  )
}

interface StepRowProps {
  step: Step
  first: boolean
  last: boolean
  stored: StepStatusDto | null
  perspective: Perspective
  mayEditStatus: boolean
  mayEditSteps: boolean
  busy: boolean
  onStatus(change: { status: Status; date?: string | null; responsible?: string; note?: string }): void
  onRename(name: string): void
  onMove(ordinal: number): void
  onRemove(): void
}

function StepRow(p: StepRowProps) {
  const status = p.stored?.status ?? 'ej_paborjad'
  const [date, setDate] = useState(p.stored?.date ?? '')
  const [responsible, setResponsible] = useState(p.stored?.responsible ?? '')
  const [note, setNote] = useState(p.stored?.note ?? '')
  // What is stored changed (a save, here or elsewhere): the fields show it.
  const [seen, setSeen] = useState(p.stored?.updatedAt)
  if (seen !== p.stored?.updatedAt) {
    setSeen(p.stored?.updatedAt)
    setDate(p.stored?.date ?? '')
    setResponsible(p.stored?.responsible ?? '')
    setNote(p.stored?.note ?? '')
  }
  const [renaming, setRenaming] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const dirty = date !== (p.stored?.date ?? '') || responsible !== (p.stored?.responsible ?? '') || note !== (p.stored?.note ?? '')
  const name = p.step.name
  return (
    <tr data-step={p.step.id} className={`step-row step-${status}`}>
      <th scope="row">
        {renaming === null ? (
          <span className="step-name">
            {p.step.ordinal}. {name}
          </span>
        ) : (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault()
              if (renaming.trim().length >= 2) p.onRename(renaming.trim())
              setRenaming(null)
            }}
          >
            <input type="text" aria-label={`Nytt namn för ${name}`} value={renaming} onChange={(e) => setRenaming(e.target.value)} maxLength={200} autoFocus />
            <button type="submit">Spara</button>
            <button type="button" onClick={() => setRenaming(null)}>
              Avbryt
            </button>
          </form>
        )}
        {p.mayEditSteps && renaming === null && (
          <div className="step-tools">
            <button type="button" aria-label={`Flytta upp ${name}`} title="Flytta upp" disabled={p.first || p.busy} onClick={() => p.onMove(p.step.ordinal - 1)}>
              ↑
            </button>
            <button type="button" aria-label={`Flytta ner ${name}`} title="Flytta ner" disabled={p.last || p.busy} onClick={() => p.onMove(p.step.ordinal + 1)}>
              ↓
            </button>
            <button type="button" aria-label={`Byt namn på ${name}`} onClick={() => setRenaming(name)}>
              Byt namn
            </button>
            {confirming ? (
              <span role="alertdialog" aria-label={`Ta bort ${name}?`} className="inline">
                <button type="button" className="danger" onClick={() => (setConfirming(false), p.onRemove())}>
                  Ja, ta bort
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Behåll
                </button>
              </span>
            ) : (
              <button type="button" aria-label={`Ta bort ${name}`} onClick={() => setConfirming(true)}>
                Ta bort
              </button>
            )}
          </div>
        )}
      </th>
      {p.mayEditStatus ? (
        <>
          <td data-label="Status">
            <select aria-label={`${name}, ${p.perspective.name}`} value={status} className={`step-${status}`} onChange={(e) => p.onStatus({ status: e.target.value as Status, date: date || null, responsible, note })}>
              {Object.entries(STEP_STATUS_LABELS).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </td>
          <td data-label="Datum">
            <input type="date" aria-label={`Datum, ${name}`} value={date} onChange={(e) => setDate(e.target.value)} />
          </td>
          <td data-label="Ansvarig">
            <input type="text" aria-label={`Ansvarig, ${name}`} placeholder="t.ex. planeringsledare" value={responsible} maxLength={200} onChange={(e) => setResponsible(e.target.value)} />
          </td>
          <td data-label="Anteckning" className="stack-wide">
            <textarea aria-label={`Anteckning, ${name}`} rows={1} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </td>
          <td className="step-save">
            <button type="button" aria-label={`Spara ${name}`} disabled={!dirty || p.busy} onClick={() => p.onStatus({ status, date: date || null, responsible, note })}>
              Spara
            </button>
          </td>
        </>
      ) : (
        <>
          <td data-label="Status">
            <span className={`status-text step-${status}`}>{STEP_STATUS_LABELS[status]}</span>
          </td>
          <td data-label="Datum">{p.stored?.date ?? '–'}</td>
          <td data-label="Ansvarig">{p.stored?.responsible || '–'}</td>
          <td data-label="Anteckning" className="step-note stack-wide">
            {p.stored?.note || '–'}
          </td>
        </>
      )}
    </tr>
  )
}

function AddStep({ count, pending, onAdd }: { count: number; pending: boolean; onAdd(name: string, ordinal?: number): void }) {
  const [name, setName] = useState('')
  const [at, setAt] = useState('')
  return (
    <form
      className="add-step field-row"
      onSubmit={(e) => {
        e.preventDefault()
        if (name.trim().length < 2) return
        onAdd(name.trim(), at ? Number(at) : undefined)
        setName('')
        setAt('')
      }}
    >
      <div className="field">
        <label htmlFor="add-step-name">Nytt steg</label>
        <input id="add-step-name" type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} placeholder="t.ex. Förankring i ledningsgruppen" />
      </div>
      <div className="field">
        <label htmlFor="add-step-at">Plats</label>
        <select id="add-step-at" value={at} onChange={(e) => setAt(e.target.value)}>
          <option value="">Sist</option>
          {Array.from({ length: count }, (_, i) => (
            <option key={i} value={i + 1}>
              Som steg {i + 1}
            </option>
          ))}
        </select>
      </div>
      <div className="field add-step-button">
        <button type="submit" disabled={pending || name.trim().length < 2}>
          Lägg till steg
        </button>
      </div>
    </form>
  )
}
