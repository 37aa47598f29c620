import { useState } from 'react'
import { Link } from 'react-router'
import { FormProblem } from '../../components/FormProblem'
import type { CycleDto, IndicatorDto, ProblemAreaDto } from '../../lib/api'
import { countOf, formatValue, periodLabel } from '../../lib/format'
import { useIndicators, useProblemAreas } from '../../lib/queries'
import { Causes } from './Causes'
import type { Names, Perspective } from './model'
import { ProblemAreaForm } from './ProblemAreaForm'
import { useProblemAreaHistory, useRetireProblemArea } from './queries'

const timeFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' })
const when = (iso: string) => timeFormat.format(new Date(iso))

export interface ProblemAreasProps {
  cycle: CycleDto
  perspectives: Perspective[]
  /** The role may write problem areas of this area (null: city-wide). */
  mayWrite(areaId: number | null): boolean
  /** A local group's own stadsområde (null for other roles). */
  ownAreaId: number | null
  analyst: boolean
}

/**
 * The cycle's prioritised problem areas, grouped city-wide and per stadsområde and lokalpolisområde, each
 * with its sub-areas, indicators, measurable targets, history and orsaksanalys. Retired ones are greyed.
 */
export function ProblemAreas(p: ProblemAreasProps) {
  const problemAreas = useProblemAreas(p.cycle.id)
  const list = problemAreas.data ?? []
  const indicators = useIndicators().data ?? []
  const [creating, setCreating] = useState(false)
  const names: Names = {
    indicator: (id) => indicators.find((i) => i.id === id),
    area: (id) => (id === null ? 'Hela staden' : (p.perspectives.find((x) => x.id === id)?.name ?? `område ${id}`)),
  }
  const top = list.filter((a) => a.parentId === null)
  const groups = [{ id: null as number | null, name: 'Hela staden' }, ...p.perspectives.filter((x) => x.id !== null).map((x) => ({ id: x.id, name: x.name }))]
    .map((g) => ({ ...g, areas: top.filter((a) => a.areaId === g.id) }))
    .filter((g) => g.areas.length > 0)
  const mayCreate = p.analyst || p.ownAreaId !== null

  return (
    <section aria-labelledby="pa-h">
      <h2 id="pa-h">Prioriterade problemområden</h2>
      {problemAreas.error && <FormProblem problem={problemAreas.error} />}
      {mayCreate && !creating && (
        <button type="button" onClick={() => setCreating(true)}>
          Nytt problemområde
        </button>
      )}
      {creating && (
        <ProblemAreaForm
          cycle={p.cycle}
          problemArea={null}
          problemAreas={list}
          perspectives={p.perspectives}
          allowedArea={p.analyst ? undefined : p.ownAreaId}
          indicators={indicators}
          onSaved={() => setCreating(false)}
          onCancel={() => setCreating(false)}
        />
      )}
      <div data-testid="problem-areas" className="problem-area-groups">
        {problemAreas.isSuccess && list.length === 0 && (
          <p className="muted">
            Inga problemområden i den här cykeln ännu.{mayCreate && ' Lägg till det första med Nytt problemområde.'}
          </p>
        )}
        {groups.map((g) => (
          <section key={g.id ?? 'staden'} aria-labelledby={`pa-g-${g.id ?? 'staden'}`} className="problem-area-group">
            <h3 id={`pa-g-${g.id ?? 'staden'}`}>{g.name}</h3>
            <ol className="problem-areas">
              {g.areas.map((a) => (
                <li key={a.id}>
                  <ProblemArea {...p} problemArea={a} all={list} names={names} indicators={indicators} />
                  {list.some((c) => c.parentId === a.id) && (
                    <ol type="a" className="problem-areas sub-areas">
                      {list
                        .filter((c) => c.parentId === a.id)
                        .map((c) => (
                          <li key={c.id}>
                            <ProblemArea {...p} problemArea={c} all={list} names={names} indicators={indicators} />
                          </li>
                        ))}
                    </ol>
                  )}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </section>
  )
}

type Panel = 'edit' | 'history' | null

function ProblemArea(p: ProblemAreasProps & { problemArea: ProblemAreaDto; all: ProblemAreaDto[]; names: Names; indicators: IndicatorDto[] }) {
  const a = p.problemArea
  const [panel, setPanel] = useState<Panel>(null)
  const [causesOpen, setCausesOpen] = useState(false)
  const retire = useRetireProblemArea()
  const writable = p.mayWrite(a.areaId)
  const headingId = `pa-${a.id}-h`
  if (panel === 'edit') {
    return (
      <ProblemAreaForm
        cycle={p.cycle}
        problemArea={a}
        problemAreas={p.all}
        perspectives={p.perspectives}
        allowedArea={p.analyst ? undefined : p.ownAreaId}
        indicators={p.indicators}
        onSaved={() => setPanel(null)}
        onCancel={() => setPanel(null)}
      />
    )
  }
  return (
    <article className={`problem-area${a.retiredAt ? ' retired' : ''}`} data-problem-area={a.id} aria-labelledby={headingId}>
      <h4 id={headingId}>
        {a.title}
        {/* Top-level areas are under their area's heading; a sub-area may belong elsewhere. */}
        {a.parentId !== null && a.areaId !== null && <span className="badge area-badge">{p.names.area(a.areaId)}</span>}
        {a.retiredAt && <span className="badge retired-badge">Avslutat {a.retiredAt}</span>}
      </h4>
      {a.analysis && (
        <p>
          <strong>Analys:</strong> {a.analysis}
        </p>
      )}
      {a.goals && (
        <p>
          <strong>Målsättning:</strong> {a.goals}
        </p>
      )}
      {a.indicatorIds.length > 0 && (
        <p>
          <strong>Indikatorer:</strong>{' '}
          {a.indicatorIds.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <Link to={`/?indikator=${id}`}>{p.names.indicator(id)?.name ?? id}</Link>
            </span>
          ))}
        </p>
      )}
      {a.targets.length > 0 && (
        <div className="targets">
          <strong>Mätbara mål:</strong>
          <ul>
            {a.targets.map((t, i) => {
              const indicator = p.names.indicator(t.indicatorId)
              return (
                <li key={i}>
                  {indicator?.name ?? t.indicatorId}: {indicator ? formatValue(t.target, indicator.unit) : t.target} ({periodLabel(t.targetPeriod)})
                </li>
              )
            })}
          </ul>
        </div>
      )}
      <p>
        <Link to={`/atgarder?problemAreaId=${a.id}`}>{countOf(a.measureCount, 'åtgärd', 'åtgärder')}</Link>
        <span className="muted small"> · version {a.version}</span>
      </p>
      <div className="problem-area-actions">
        <button type="button" aria-expanded={causesOpen} aria-controls={`causes-${a.id}`} onClick={() => setCausesOpen((o) => !o)}>
          Orsaksanalys
        </button>
        <button type="button" aria-expanded={panel === 'history'} onClick={() => setPanel(panel === 'history' ? null : 'history')} aria-label={`Versioner av ${a.title}`}>
          Versioner
        </button>
        {writable && (
          <>
            <button type="button" onClick={() => setPanel('edit')} aria-label={`Ändra ${a.title}`}>
              Ändra
            </button>
            <button type="button" disabled={retire.isPending} onClick={() => retire.mutate({ problemArea: a, retired: a.retiredAt === null })} aria-label={`${a.retiredAt ? 'Återuppta' : 'Avsluta'} ${a.title}`}>
              {a.retiredAt ? 'Återuppta' : 'Avsluta'}
            </button>
          </>
        )}
      </div>
      <FormProblem problem={retire.error} />
      {panel === 'history' && <History problemArea={a} onClose={() => setPanel(null)} />}
      {causesOpen && <Causes id={`causes-${a.id}`} problemArea={a} mayWrite={writable} names={p.names} indicators={p.indicators} perspectives={p.perspectives} />}
    </article>
  )
}

/** Every version, newest first, with the decision that made it and what it changed. */
function History({ problemArea, onClose }: { problemArea: ProblemAreaDto; onClose(): void }) {
  const history = useProblemAreaHistory(problemArea.id)
  const versions = history.data ?? []
  return (
    <section className="pa-history" aria-label={`Versioner av ${problemArea.title}`} data-testid="problem-area-history">
      {history.error && <FormProblem problem={history.error} />}
      {history.isPending && <p role="status">Hämtar versionerna…</p>}
      <ol reversed className="indicator-versions">
        {versions.map((v, i) => (
          <li key={v.version} data-version={v.version}>
            <strong>
              Version {v.version}
              {v.current ? ' (nuvarande)' : ''}
            </strong>{' '}
            <span className="muted">
              {when(v.savedAt)}
              {v.savedBy ? `, ${v.savedBy}` : ''}
            </span>
            {v.decision ? (
              <div className="decision">
                Beslut {v.decision.date}: {v.decision.text}
              </div>
            ) : (
              <div className="muted small">Inget beslut angivet</div>
            )}
            {v.note && <div>{v.note}</div>}
            {v.changes.length > 0 ? (
              <ul>
                {v.changes.map((c, k) => (
                  <li key={k}>{c.message}</li>
                ))}
              </ul>
            ) : (
              !v.note && <div>{i === versions.length - 1 ? (v.version === 1 ? 'Skapat' : 'Tidigaste sparade versionen') : 'Inga ändrade fält'}</div>
            )}
          </li>
        ))}
      </ol>
      <button type="button" onClick={onClose}>
        Stäng
      </button>
    </section>
  )
}
