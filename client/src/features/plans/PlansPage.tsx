import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import type { ProblemAreaDto } from '../../lib/api'
import { useAreaList, useCycles, useProblemAreas } from '../../lib/queries'
import { useSession } from '../../lib/session'
import './plans.css'
import { PlansTabs } from '../../components/PlansTabs'
import { mayEditPlan, useCreatePlan, usePlans, type PlanDto } from './queries'

/** A plan's state in a line: the version in force and whether a draft is under way. */
function planState(plan: PlanDto): string {
  const current = plan.versions.find((v) => v.current)
  const draft = plan.versions.find((v) => v.status === 'utkast')
  const parts = [
    current ? `Version ${current.version} antagen ${current.decision?.date ?? ''} (${current.decision?.groupName ?? ''})` : 'Inte antagen',
    ...(draft ? [`utkast till version ${draft.version}`] : []),
  ]
  return parts.join(' · ')
}

/** Creates a plan for one problem area: a title, then to the plan. */
function CreatePlan({ problemArea, onCancel }: { problemArea: ProblemAreaDto; onCancel(): void }) {
  const [title, setTitle] = useState(`Åtgärdsplan: ${problemArea.title}`)
  const create = useCreatePlan()
  const navigate = useNavigate()
  const titleError = create.error?.details.find((d) => d.field === 'title')?.message
  return (
    <form
      className="plan-create"
      aria-label={`Ny åtgärdsplan för ${problemArea.title}`}
      onSubmit={(e) => {
        e.preventDefault()
        create.mutateAsync({ problemAreaId: problemArea.id, title }).then((p) => navigate(`/atgardsplaner/${p.id}`), () => undefined)
      }}
    >
      <div className="field">
        <label htmlFor={`np-${problemArea.id}`}>Planens titel</label>
        <div className="plan-create-row">
          <input
            id={`np-${problemArea.id}`}
            type="text"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={titleError ? true : undefined}
            aria-describedby={titleError ? `np-${problemArea.id}-err` : undefined}
          />
          <button type="submit" className="primary" disabled={create.isPending}>
            Skapa
          </button>
          <button type="button" onClick={onCancel}>
            Avbryt
          </button>
        </div>
        <FieldError id={`np-${problemArea.id}-err`} field="title" message={titleError} />
      </div>
      <FormProblem problem={create.error} details={create.error?.details.filter((d) => d.field !== 'title')} />
    </form>
  )
}

/** The åtgärdsplaner of a cycle, one per problem area; a problem area without one can get one. */
export function PlansPage() {
  const { user } = useSession()
  const [params, setParams] = useSearchParams()
  const cycles = useCycles().data ?? []
  const chosen = Number(params.get('cykel')) || null
  const cycle = cycles.find((c) => c.id === chosen) ?? cycles.find((c) => c.current) ?? cycles[0]
  const problemAreas = useProblemAreas(cycle?.id ?? null)
  const plans = usePlans(cycle?.id ?? null)
  const areas = useAreaList().data ?? []
  const [creating, setCreating] = useState<number | null>(null)
  const areaName = (id: number | null) => (id === null ? 'Hela staden' : (areas.find((a) => a.id === id)?.name ?? `Område ${id}`))
  const list = [...(problemAreas.data ?? [])].sort((a, b) => (a.parentId ?? a.id) - (b.parentId ?? b.id) || (a.parentId === null ? -1 : 1))

  return (
    <main className="page" id="main">
      <PlansTabs />
      <h1>Åtgärdsplaner</h1>
      <p className="lead">
        En åtgärdsplan per prioriterat problemområde, i Brå:s form: orsak, åtgärd, operativt mål, när, vem och uppföljning. En version antas genom ett beslut och är sedan fryst; ändringar görs i en ny version.
      </p>
      {cycles.length > 1 && (
        <section className="compare-controls filters" aria-label="Cykel">
          <Select
            id="p-cycle"
            label="Cykel"
            value={cycle?.id ?? ''}
            onChange={(e) => setParams({ cykel: e.target.value }, { replace: true })}
            options={cycles.map((c) => ({ value: c.id, label: `${c.name}${c.current ? ' (aktuell)' : ''}` }))}
          />
        </section>
      )}
      {cycle && <h2 className="cycle-name">{cycle.name}</h2>}
      {(problemAreas.error || plans.error) && <FormProblem problem={problemAreas.error ?? plans.error} />}
      {problemAreas.isPending && <p role="status">Hämtar problemområdena…</p>}
      {problemAreas.data && list.length === 0 && (
        <p role="status">
          Cykeln har inga prioriterade problemområden än. En åtgärdsplan skrivs för ett problemområde: lägg till dem under <Link to="/prioriteringar">Prioriteringar</Link>.
        </p>
      )}
      <ul className="plan-list" data-testid="plan-list">
        {list.map((pa) => {
          const plan = plans.data?.find((p) => p.problemAreaId === pa.id)
          const may = mayEditPlan(user, { areaId: pa.areaId ?? null }, areas)
          return (
            <li key={pa.id} data-problem-area={pa.id} data-retired={pa.retiredAt ? 'true' : undefined} className={[pa.parentId ? 'sub' : '', pa.retiredAt ? 'retired' : ''].filter(Boolean).join(' ') || undefined}>
              <div className="plan-list-head">
                <h3>{pa.title}</h3>
                <span className="muted small">{areaName(pa.areaId ?? null)}</span>
                {pa.retiredAt && <span className="badge retired-badge">Avslutat {pa.retiredAt.slice(0, 10)}</span>}
              </div>
              {plan ? (
                <p>
                  <Link to={`/atgardsplaner/${plan.id}`}>{plan.title}</Link>
                  <br />
                  <span className="muted small" data-testid="plan-state">
                    {planState(plan)}
                  </span>
                </p>
              ) : creating === pa.id ? (
                <CreatePlan problemArea={pa} onCancel={() => setCreating(null)} />
              ) : (
                <p className="muted">
                  {/* A retired problem area gets no new plan; one it already has stays readable above. */}
                  {pa.retiredAt ? 'Ingen åtgärdsplan; problemområdet är avslutat.' : 'Ingen åtgärdsplan.'}{' '}
                  {may && !pa.retiredAt && (
                    <button type="button" onClick={() => setCreating(pa.id)}>
                      Skapa åtgärdsplan
                    </button>
                  )}
                </p>
              )}
            </li>
          )
        })}
      </ul>
    </main>
  )
}
