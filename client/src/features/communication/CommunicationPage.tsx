import { useState, type FormEvent } from 'react'
import { PlansTabs } from '../../components/PlansTabs'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import type { ApiDetail } from '../../lib/apiError'
import { isAnalyst, useSession } from '../../lib/session'
import { useCommunicationPlan, useSaveCommunicationPlan, type CommunicationPlanDto, type CommunicationPlanRowDto } from './queries'
import './communication.css'

const ORG_LABELS: Record<CommunicationPlanRowDto['organisation'], string> = { staden: 'Staden', polisen: 'Polisen' }

/** The communication plan: for each topic, which function speaks for staden and which for polisen. */
export function CommunicationPage() {
  const { user } = useSession()
  const plan = useCommunicationPlan()
  const [editing, setEditing] = useState(false)
  const p = plan.data
  return (
    <main className="page comm-page" id="main">
      <PlansTabs />
      <h1>Kommunikationsplan</h1>
      <p className="lead">
        Staden och polisen kommunicerar gemensamt enligt överenskommelsen. Planen säger vem som uttalar sig för vilken part i varje ämne. Ange funktioner och gemensamma
        kontaktvägar, inte privata nummer.
      </p>
      {plan.error && <p role="alert">{plan.error.message}</p>}
      {p && (editing ? <PlanForm key={p.version} plan={p} onDone={() => setEditing(false)} /> : <PlanTable plan={p} />)}
      {p && !editing && isAnalyst(user) && (
        <p>
          <button type="button" onClick={() => setEditing(true)}>
            Ändra kommunikationsplanen
          </button>
        </p>
      )}
    </main>
  )
}

function PlanTable({ plan }: { plan: CommunicationPlanDto }) {
  if (plan.rows.length === 0) return <p className="muted">Kommunikationsplanen är tom. En analytiker lägger in ämnen och funktioner.</p>
  const topics = [...new Set(plan.rows.map((r) => r.topic))]
  return (
    <>
      <div className="table-scroll">
        <table className="comm-table" data-testid="communication-plan">
          <caption className="sr-only">Kommunikationsplan: funktion per ämne och part</caption>
          <thead>
            <tr>
              <th scope="col">Ämne</th>
              <th scope="col">Part</th>
              <th scope="col">Funktion</th>
              <th scope="col">Kontaktväg</th>
            </tr>
          </thead>
          <tbody>
            {topics.flatMap((t) =>
              plan.rows
                .filter((r) => r.topic === t)
                .map((r, i, rows) => (
                  <tr key={`${t}-${r.organisation}`}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={rows.length}>
                        {t}
                      </th>
                    )}
                    <td>{ORG_LABELS[r.organisation]}</td>
                    <td>{r.function}</td>
                    <td>{r.contact || <span className="muted">–</span>}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Version {plan.version}
        {plan.updatedAt ? `, ändrad ${plan.updatedAt.slice(0, 10)}` : ''}
        {plan.updatedBy ? ` av ${plan.updatedBy}` : ''}
      </p>
    </>
  )
}

const emptyRow = (): CommunicationPlanRowDto => ({ topic: '', organisation: 'staden', function: '', contact: '' })

function PlanForm({ plan, onDone }: { plan: CommunicationPlanDto; onDone: () => void }) {
  const save = useSaveCommunicationPlan()
  const [rows, setRows] = useState<CommunicationPlanRowDto[]>(plan.rows.length ? plan.rows : [emptyRow()])
  const [problem, setProblem] = useState<{ message: string; details: ApiDetail[] } | null>(null)
  const errorAt = (i: number, field: string) => problem?.details.find((d) => d.field === `rows.${i}.${field}`)?.message
  const set = (i: number, patch: Partial<CommunicationPlanRowDto>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    try {
      await save.mutateAsync({ version: plan.version, rows })
      onDone()
    } catch (err) {
      const e2 = err as { message: string; details?: ApiDetail[] }
      setProblem({ message: e2.message, details: e2.details ?? [] })
    }
  }
  const field = (i: number, name: 'topic' | 'function' | 'contact', label: string) => {
    const id = `comm-${i}-${name}`
    const error = errorAt(i, name)
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} value={rows[i]![name]} onChange={(e) => set(i, { [name]: e.target.value })} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined} />
        <FieldError id={`${id}-err`} field={`rows.${i}.${name}`} message={error} />
      </div>
    )
  }
  return (
    <form className="comm-form" onSubmit={onSubmit} noValidate aria-label="Ändra kommunikationsplanen">
      <FormProblem problem={problem} details={problem?.details.filter((d) => !/^rows\.\d+\./.test(d.field ?? ''))} />
      <ol className="plain-list comm-rows">
        {rows.map((r, i) => (
          <li key={i} className="comm-row" aria-label={`Rad ${i + 1}`}>
            {field(i, 'topic', 'Ämne')}
            <div className="field">
              <label htmlFor={`comm-${i}-organisation`}>Part</label>
              <select id={`comm-${i}-organisation`} value={r.organisation} onChange={(e) => set(i, { organisation: e.target.value as CommunicationPlanRowDto['organisation'] })}>
                <option value="staden">Staden</option>
                <option value="polisen">Polisen</option>
              </select>
            </div>
            {field(i, 'function', 'Funktion')}
            {field(i, 'contact', 'Kontaktväg')}
            <button type="button" className="comm-remove" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={`Ta bort rad ${i + 1}`}>
              Ta bort
            </button>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button type="button" onClick={() => setRows((rs) => [...rs, emptyRow()])}>
          Lägg till rad
        </button>
        <button type="submit" disabled={save.isPending}>
          Spara kommunikationsplanen
        </button>
        <button type="button" onClick={onDone}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
