import { Link } from 'react-router'
import type { ProblemAreaDto, StepStatusDto } from '../../lib/api'
import { STEP_STATUS_LABELS } from '../../lib/labels'
import { useAreaList, useCycles, useIndicators, useProblemAreas } from '../../lib/queries'
import { useSetStepStatus, useStepStatus } from './queries'
import { countOf } from '../../lib/format'

/** The lägesbild cycle: its steps per perspective, and the prioritised problem areas with their indicators. */
export function PrioritiesPage() {
  const cycles = useCycles().data ?? []
  const cycle = cycles.find((c) => c.current) ?? cycles[0]
  const areas = useAreaList().data ?? []
  const indicators = useIndicators().data ?? []
  const problemAreas = useProblemAreas(cycle?.id ?? null).data ?? []
  const status = useStepStatus(cycle?.id ?? null).data ?? []
  const setStatus = useSetStepStatus(cycle?.id ?? null)
  const error = setStatus.error?.message ?? null

  const perspectives: Array<{ id: number | null; name: string }> = [
    { id: null, name: 'Staden' },
    ...areas.filter((a) => a.layer === 'stadsomrade').map((a) => ({ id: a.id, name: a.name })),
    ...areas.filter((a) => a.layer === 'lokalpolisomrade').map((a) => ({ id: a.id, name: `LPO ${a.name}` })),
  ]
  const statusOf = (stepId: number, areaId: number | null) => status.find((s) => s.stepId === stepId && s.areaId === areaId)?.status ?? 'ej_paborjad'
  const setStep = (stepId: number, areaId: number | null, value: StepStatusDto['status']) => setStatus.mutate({ stepId, areaId, status: value })
  const indicatorName = (id: string) => indicators.find((i) => i.id === id)?.name ?? id
  const top = problemAreas.filter((p) => p.parentId === null)

  return (
    <main className="page" id="main">
      <h1>Prioriteringar</h1>
      {cycle && (
        <section aria-labelledby="cycle-h">
          <h2 id="cycle-h">{cycle.name}</h2>
          <p className="muted">Trygg i-hjulets steg, staden som helhet och varje stadsområde och lokalpolisområde.</p>
          {error && <p role="alert">{error}</p>}
          <div className="table-scroll">
            <table data-testid="cycle-steps">
              <thead>
                <tr>
                  <th scope="col">Steg</th>
                  {perspectives.map((p) => (
                    <th scope="col" key={p.id ?? 0}>
                      {p.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cycle.steps.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {s.ordinal}. {s.name}
                    </th>
                    {perspectives.map((p) => (
                      <td key={p.id ?? 0}>
                        <select
                          aria-label={`${s.name}, ${p.name}`}
                          value={statusOf(s.id, p.id)}
                          onChange={(e) => setStep(s.id, p.id, e.target.value as StepStatusDto['status'])}
                          className={`step-${statusOf(s.id, p.id)}`}
                        >
                          {Object.entries(STEP_STATUS_LABELS).map(([v, label]) => (
                            <option key={v} value={v}>
                              {label}
                            </option>
                          ))}
                        </select>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section aria-labelledby="pa-h">
        <h2 id="pa-h">Prioriterade problemområden</h2>
        <ol className="problem-areas" data-testid="problem-areas">
          {top.map((p) => (
            <li key={p.id}>
              <ProblemArea p={p} indicatorName={indicatorName} />
              {problemAreas.some((c) => c.parentId === p.id) && (
                <ol type="a">
                  {problemAreas
                    .filter((c) => c.parentId === p.id)
                    .map((c) => (
                      <li key={c.id}>
                        <ProblemArea p={c} indicatorName={indicatorName} />
                      </li>
                    ))}
                </ol>
              )}
            </li>
          ))}
        </ol>
      </section>
    </main>
  )
}

function ProblemArea({ p, indicatorName }: { p: ProblemAreaDto; indicatorName: (id: string) => string }) {
  return (
    <article className="problem-area" data-problem-area={p.id}>
      <h3>{p.title}</h3>
      <p>
        <strong>Orsaksanalys:</strong> {p.analysis}
      </p>
      <p>
        <strong>Målsättning:</strong> {p.goals}
      </p>
      {p.indicatorIds.length > 0 && (
        <p>
          <strong>Indikatorer:</strong>{' '}
          {p.indicatorIds.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <Link to={`/?indikator=${id}`}>{indicatorName(id)}</Link>
            </span>
          ))}
        </p>
      )}
      <p>
        <Link to={`/atgarder?problemAreaId=${p.id}`}>{countOf(p.measureCount, 'åtgärd', 'åtgärder')}</Link>
      </p>
    </article>
  )
}
