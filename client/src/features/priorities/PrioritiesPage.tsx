import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { DecisionHistory } from '../../components/DecisionHistory'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { useAreaList, useCycles } from '../../lib/queries'
import { isAnalyst, useSession } from '../../lib/session'
import { CycleForm } from './CycleForm'
import type { Perspective } from './model'
import { ProblemAreas } from './ProblemAreas'
import { useMakeCurrent, useStepStatus } from './queries'
import { StepsTable } from './StepsTable'
import { Wheel } from './Wheel'
import './priorities.css'

/**
 * The lägesbild cycle as the agreement runs it: Trygg i-hjulet's steps with their status per perspective
 * (the city, each stadsområde, each lokalpolisområde), and the prioritised problem areas with their
 * orsaksanalys. What a role may change is offered; the rest reads as text.
 */
export function PrioritiesPage() {
  const { user } = useSession()
  const analyst = isAnalyst(user)
  const [params, setParams] = useSearchParams()
  const cycles = useCycles()
  const list = cycles.data ?? []
  const wanted = Number(params.get('cykel'))
  const cycle = list.find((c) => c.id === wanted) ?? list.find((c) => c.current) ?? list[0]
  const areas = useAreaList().data ?? []
  const perspectives: Perspective[] = [
    { id: null, name: 'Staden', layer: 'staden' },
    ...areas.filter((a) => a.layer === 'stadsomrade').map((a) => ({ id: a.id, name: a.name, layer: 'stadsomrade' as const })),
    ...areas.filter((a) => a.layer === 'lokalpolisomrade').map((a) => ({ id: a.id, name: `LPO ${a.name}`, layer: 'lokalpolisomrade' as const })),
  ]
  // A local group's own stadsområde: the one place it writes.
  const ownAreaId = user?.role === 'local' ? (areas.find((a) => a.layer === 'stadsomrade' && a.code === user.stadsomrade?.code)?.id ?? null) : null
  const mayWrite = (areaId: number | null) => analyst || (ownAreaId !== null && areaId === ownAreaId)
  const perspectiveParam = params.get('perspektiv')
  const perspective =
    perspectives.find((p) => String(p.id ?? 'staden') === perspectiveParam) ?? (ownAreaId !== null ? perspectives.find((p) => p.id === ownAreaId) : undefined) ?? perspectives[0]!
  const status = useStepStatus(cycle?.id ?? null).data ?? []
  const statusOf = (stepId: number) => status.find((s) => s.stepId === stepId && s.areaId === perspective.id) ?? null
  const [starting, setStarting] = useState(false)
  const makeCurrent = useMakeCurrent()

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        if (value === null) next.delete(key)
        else next.set(key, value)
        return next
      },
      { replace: true },
    )

  return (
    <main className="page priorities-page" id="main">
      <h1>Prioriteringar</h1>
      <section aria-labelledby="cycle-h" className="cycle-bar">
        <h2 id="cycle-h" className="sr-only">
          Cykel
        </h2>
        {cycles.error && <FormProblem problem={cycles.error} />}
        <div className="inline cycle-choice">
          <Select
            id="cycle-select"
            label="Lägesbildscykel"
            value={cycle?.id ?? ''}
            onChange={(e) => setParam('cykel', e.target.value)}
            options={list.map((c) => ({ value: c.id, label: `${c.name}${c.current ? ' (aktuell)' : ''}` }))}
          />
          {analyst && cycle && !cycle.current && (
            <button type="button" onClick={() => makeCurrent.mutate(cycle.id)} disabled={makeCurrent.isPending}>
              Gör till aktuell cykel
            </button>
          )}
          {analyst && !starting && (
            <button type="button" onClick={() => setStarting(true)}>
              Starta ny cykel
            </button>
          )}
        </div>
        <FormProblem problem={makeCurrent.error} />
        {starting && (
          <CycleForm
            cycles={list}
            onCancel={() => setStarting(false)}
            onSaved={(c) => {
              setStarting(false)
              setParam('cykel', String(c.id))
            }}
          />
        )}
      </section>

      {cycle && (
        <section aria-labelledby="wheel-h">
          <h2 id="wheel-h">{cycle.name}</h2>
          <p className="muted">
            Trygg i-hjulets steg, för staden som helhet och för varje stadsområde och lokalpolisområde.
            {user?.role === 'local' && ' Din ledningsgrupp sätter status för sitt eget stadsområde; övriga visas som text.'}
          </p>
          <div className="perspective-choice">
            <Select
              id="perspective-select"
              label="Perspektiv"
              value={String(perspective.id ?? 'staden')}
              onChange={(e) => setParam('perspektiv', e.target.value)}
              groups={[
                { label: 'Staden', options: [{ value: 'staden', label: 'Staden som helhet' }] },
                { label: 'Stadsområden', options: perspectives.filter((p) => p.layer === 'stadsomrade').map((p) => ({ value: String(p.id), label: p.name })) },
                { label: 'Lokalpolisområden', options: perspectives.filter((p) => p.layer === 'lokalpolisomrade').map((p) => ({ value: String(p.id), label: p.name })) },
              ]}
            />
          </div>
          <div className="wheel-and-steps">
            <Wheel steps={cycle.steps} perspective={perspective.name} statusOf={(id) => statusOf(id)?.status ?? 'ej_paborjad'} />
            <StepsTable cycle={cycle} perspective={perspective} statusOf={statusOf} mayEditStatus={mayWrite(perspective.id)} mayEditSteps={analyst} />
          </div>
          <DecisionHistory kind="cycle" refId={cycle.id} heading={`Beslut om ${cycle.name}`} testId="cycle-decisions" />
        </section>
      )}

      {cycle && <ProblemAreas cycle={cycle} perspectives={perspectives} mayWrite={mayWrite} ownAreaId={ownAreaId} analyst={analyst} />}
    </main>
  )
}
