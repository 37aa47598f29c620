import { useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { useAreaList } from '../../lib/queries'
import { useSession } from '../../lib/session'
import { affectHref, useAffectChoices } from './choices'
import { DecisionForm } from './DecisionForm'
import { DraftEditor } from './DraftEditor'
import { PlanTable } from './PlanTable'
import './plans.css'
import {
  AFFECT_LABELS,
  LIGHT_LABELS,
  LIGHT_MEANINGS,
  groupsFor,
  mayEditPlan,
  todayIso,
  useAddFollowUp,
  useAdopt,
  useCauses,
  useDecisionGroups,
  useDecisions,
  useDeletePlan,
  useMeasureTitles,
  useNewVersion,
  usePlan,
  type PlanDto,
  type PlanRowDto,
  type PlanVersionDto,
  type TrafficLight,
} from './queries'

const dateTime = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long' })
const longDate = (iso: string) => dateTime.format(new Date(iso.length === 10 ? `${iso}T12:00:00` : iso))

/** Records one follow-up on an adopted row: grön/gul/röd, a date and a comment; appended, never replacing. */
function FollowUpForm({ plan, row, onDone }: { plan: PlanDto; row: PlanRowDto; onDone(): void }) {
  const [status, setStatus] = useState<TrafficLight>(row.latest ?? 'gron')
  const [date, setDate] = useState(todayIso())
  const [comment, setComment] = useState('')
  const add = useAddFollowUp(plan.id)
  const fieldError = (f: string) => add.error?.details.find((d) => d.field === f)?.message
  const p = `fu-${row.id}`
  return (
    <tr className="row-panel no-print">
      <td colSpan={7} className="stack-wide">
        <form
          className="followup-form"
          aria-label={`Uppföljning av rad ${row.ordinal}`}
          onSubmit={(e) => {
            e.preventDefault()
            add.mutateAsync({ rowId: row.id, status, date, comment }).then(onDone, () => undefined)
          }}
        >
          <fieldset className="field light-choice">
            <legend>Läge</legend>
            {(Object.keys(LIGHT_LABELS) as TrafficLight[]).map((s) => (
              <label key={s} className={`light-option light-${s}`}>
                <input type="radio" name={`${p}-status`} value={s} checked={status === s} onChange={() => setStatus(s)} />
                <span className="light-dot" aria-hidden="true" /> {LIGHT_LABELS[s]} <span className="muted small">({LIGHT_MEANINGS[s]})</span>
              </label>
            ))}
            <FieldError field="status" message={fieldError('status')} />
          </fieldset>
          <div className="field">
            <label htmlFor={`${p}-date`}>Datum</label>
            <input id={`${p}-date`} type="date" max={todayIso()} value={date} onChange={(e) => setDate(e.target.value)} aria-invalid={fieldError('date') ? true : undefined} />
            <FieldError field="date" message={fieldError('date')} />
          </div>
          <div className="field followup-comment">
            <label htmlFor={`${p}-comment`}>Kommentar</label>
            <textarea id={`${p}-comment`} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
          </div>
          <FormProblem problem={add.error} />
          <div className="inline">
            <button type="submit" className="primary" disabled={add.isPending}>
              Spara uppföljning
            </button>
            <button type="button" onClick={onDone}>
              Avbryt
            </button>
          </div>
        </form>
      </td>
    </tr>
  )
}

/** Adopting a draft: a decision of a group that may adopt this plan, picked or registered here. */
function AdoptPanel({ plan, version, onDone }: { plan: PlanDto; version: PlanVersionDto; onDone(): void }) {
  const { user } = useSession()
  const groups = useDecisionGroups().data ?? []
  const decisions = (useDecisions().data ?? []).filter((d) => plan.adoptionGroups.includes(d.group))
  const choices = useAffectChoices()
  const [decisionId, setDecisionId] = useState('')
  const [registering, setRegistering] = useState(false)
  const adopt = useAdopt(plan.id, version.version)
  const mine = groupsFor(user, groups).filter((g) => plan.adoptionGroups.includes(g.id))
  const names = plan.adoptionGroups.map((g) => groups.find((x) => x.id === g)?.name ?? g)
  // A decision that adopted an earlier version is offered, marked, but not picked for the user.
  const adopted = new Map(plan.versions.flatMap((v) => (v.decision ? [[v.decision.id, v.version] as const] : [])))
  const fresh = decisions.find((d) => !adopted.has(d.id))
  const chosen = decisionId || (fresh ? String(fresh.id) : '')
  return (
    <section className="measure-form adopt-panel no-print" aria-labelledby="adopt-h" data-testid="adopt-panel">
      <h2 id="adopt-h">Anta version {version.version}</h2>
      <p className="muted">
        Versionen antas genom ett beslut av {names.join(' eller ')}. Därefter är den fryst; ändringar görs i en ny version.
      </p>
      {!registering && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            adopt.mutateAsync({ decisionId: Number(chosen), revision: version.revision }).then(onDone, () => undefined)
          }}
        >
          {decisions.length > 0 ? (
            <Select
              id="adopt-decision"
              label="Beslut"
              value={chosen}
              onChange={(e) => setDecisionId(e.target.value)}
              error={adopt.error?.details.find((d) => d.field === 'decisionId')?.message}
              options={[
                ...(chosen ? [] : [{ value: '', label: 'Välj beslutet som antar versionen' }]),
                ...decisions.map((d) => ({
                  value: String(d.id),
                  label: `${d.date} · ${d.groupName}: ${d.text.length > 90 ? `${d.text.slice(0, 90)}…` : d.text}${adopted.has(d.id) ? ` (antog version ${adopted.get(d.id)})` : ''}`,
                })),
              ]}
            />
          ) : (
            <p>Det finns inget registrerat beslut av {names.join(' eller ')} än.</p>
          )}
          <FormProblem problem={adopt.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={!chosen || adopt.isPending}>
              Anta version {version.version}
            </button>
            {mine.length > 0 && (
              <button type="button" onClick={() => setRegistering(true)}>
                Registrera nytt beslut
              </button>
            )}
            <button type="button" onClick={onDone}>
              Avbryt
            </button>
          </div>
        </form>
      )}
      {registering && (
        <DecisionForm
          title="Nytt beslut"
          idPrefix="adopt-decision-new"
          groups={mine}
          choices={choices}
          initialAffects={[{ kind: 'problem_area', id: plan.problemAreaId }]}
          onCancel={() => setRegistering(false)}
          onSaved={(d) => {
            setDecisionId(String(d.id))
            setRegistering(false)
          }}
        />
      )}
    </section>
  )
}

/** One åtgärdsplan: its versions, Brå's table, editing the draft, adoption, follow-up, print. */
export function PlanView() {
  const { user } = useSession()
  const navigate = useNavigate()
  const id = Number(useParams().id) || null
  const planQuery = usePlan(id)
  const plan = planQuery.data
  const [params, setParams] = useSearchParams()
  const areas = useAreaList().data ?? []
  const causesQuery = useCauses(plan?.problemAreaId ?? null)
  const measures = useMeasureTitles(plan?.problemAreaId).data ?? []
  const history = useDecisions(plan ? `kind=plan&ref=${plan.id}` : '')
  const newVersion = useNewVersion(plan?.id ?? 0)
  const deletePlan = useDeletePlan()
  const [mode, setMode] = useState<'view' | 'edit' | 'adopt'>('view')
  const [followUpRow, setFollowUpRow] = useState<number | null>(null)

  if (planQuery.error) {
    return (
      <main className="page" id="main">
        <h1>Åtgärdsplan</h1>
        <FormProblem problem={planQuery.error} />
        <p>
          <Link to="/atgardsplaner">Till åtgärdsplanerna</Link>
        </p>
      </main>
    )
  }
  if (!plan) return <p className="map-loading">Hämtar åtgärdsplanen…</p>

  const current = plan.versions.find((v) => v.current)
  const draft = plan.versions.find((v) => v.status === 'utkast')
  const wanted = Number(params.get('version'))
  const version = plan.versions.find((v) => v.version === wanted) ?? current ?? plan.versions.at(-1)!
  const may = mayEditPlan(user, plan, areas)
  const showVersion = (v: number) => {
    setMode('view')
    setFollowUpRow(null)
    setParams({ version: String(v) }, { replace: true })
  }
  const causes = causesQuery.error ? null : (causesQuery.data ?? [])
  const measureTitle = (mid: number) => measures.find((m) => m.id === mid)?.title
  const newer = plan.versions.find((v) => v.status === 'antagen' && v.version > version.version)
  const statusText = version.status === 'utkast' ? 'Utkast' : version.current ? 'Antagen, gällande' : `Antagen, ersatt av version ${newer?.version ?? ''}`

  return (
    <main className="page plan-page" id="main">
      <p className="no-print">
        <Link to="/atgardsplaner">← Åtgärdsplaner</Link>
      </p>
      <article className="plan-document" data-testid="plan-document" data-version={version.version}>
        <header className="plan-head">
          <p className="plan-kicker">Åtgärdsplan · Trygg i Göteborg</p>
          <h1>{plan.title}</h1>
          <dl className="plan-facts">
            <dt>Problemområde</dt>
            <dd>
              {plan.problemAreaTitle}
              {plan.areaName ? ` (${plan.areaName})` : ' (hela staden)'}
            </dd>
            <dt>Version</dt>
            <dd data-testid="plan-status">
              {version.version} · {statusText}
            </dd>
            {version.decision ? (
              <>
                <dt>Antagen</dt>
                <dd>
                  {longDate(version.decision.date)} genom beslut av {version.decision.groupName}
                </dd>
                <dt>Beslut</dt>
                <dd className="decision-text">{version.decision.text}</dd>
              </>
            ) : (
              <>
                <dt>Senast sparad</dt>
                <dd>{longDate(version.updatedAt)}</dd>
              </>
            )}
          </dl>
          <p className="print-only plan-printed">Utskriven {longDate(new Date().toISOString())} ur Lägesbild.</p>
        </header>

        <nav className="version-tabs no-print" aria-label="Versioner">
          {plan.versions.map((v) => (
            <button key={v.version} type="button" aria-current={v.version === version.version ? 'true' : undefined} onClick={() => showVersion(v.version)} data-version-tab={v.version}>
              Version {v.version}
              <span className="small"> {v.status === 'utkast' ? 'utkast' : v.current ? 'gällande' : 'ersatt'}</span>
            </button>
          ))}
        </nav>

        <div className="actions no-print plan-actions">
          {may && version.status === 'utkast' && mode === 'view' && (
            <>
              <button type="button" onClick={() => setMode('edit')}>
                Redigera utkastet
              </button>
              <button type="button" className="primary" onClick={() => setMode('adopt')} disabled={version.rows.length === 0} title={version.rows.length === 0 ? 'Lägg till rader först' : undefined}>
                Anta version
              </button>
            </>
          )}
          {may && !draft && (
            <button type="button" onClick={() => newVersion.mutateAsync().then((p) => showVersion(p.versions.at(-1)!.version), () => undefined)} disabled={newVersion.isPending}>
              Ny version
            </button>
          )}
          <button type="button" onClick={() => window.print()}>
            Skriv ut
          </button>
          {may && !current && (
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (window.confirm(`Ta bort åtgärdsplanen ”${plan.title}”? Inget av den är antaget.`)) deletePlan.mutateAsync(plan.id).then(() => navigate('/atgardsplaner'), () => undefined)
              }}
            >
              Ta bort planen
            </button>
          )}
        </div>
        <FormProblem problem={newVersion.error ?? deletePlan.error} />
        {mode === 'adopt' && <AdoptPanel plan={plan} version={version} onDone={() => setMode('view')} />}

        {mode === 'edit' && version.status === 'utkast' ? (
          <DraftEditor
            key={version.version}
            plan={plan}
            version={version}
            causes={causes}
            measures={measures}
            onSaved={() => setMode('view')}
            onCancel={() => setMode('view')}
            onReload={() => {
              setMode('view')
              void planQuery.refetch().then(() => setMode('edit'))
            }}
          />
        ) : (
          <PlanTable
            version={version}
            measureTitle={measureTitle}
            emptyHint={may && version.status === 'utkast' ? 'Skriv raderna med Redigera utkastet; en version med rader kan antas.' : undefined}
            followUpAction={
              may && version.current
                ? (r) =>
                    followUpRow !== r.id && (
                      <button type="button" className="no-print small-button" onClick={() => setFollowUpRow(r.id)} aria-label={`Följ upp rad ${r.ordinal}`}>
                        Följ upp
                      </button>
                    )
                : undefined
            }
            after={(r) => (followUpRow === r.id ? <FollowUpForm plan={plan} row={r} onDone={() => setFollowUpRow(null)} /> : null)}
          />
        )}
      </article>

      <section className="no-print plan-history" aria-labelledby="ph-h">
        <h2 id="ph-h">Beslut om planen</h2>
        {history.data && history.data.length === 0 && <p className="muted">Inga beslut nämner planen än.</p>}
        {history.data && history.data.length > 0 && (
          <ul className="plain-list decision-history">
            {history.data.map((d) => {
              const adopted = plan.versions.filter((v) => v.decision?.id === d.id).map((v) => v.version)
              return (
                <li key={d.id} data-decision={d.id}>
                  <strong>{d.date}</strong> · {d.groupName}
                  {adopted.length > 0 && <span className="badge">antog version {adopted.join(', ')}</span>}
                  <div>{d.text}</div>
                  {d.affects.some((a) => !(a.kind === 'plan' && a.id === plan.id)) && (
                    <div className="small muted">
                      Påverkar också:{' '}
                      {d.affects
                        .filter((a) => !(a.kind === 'plan' && a.id === plan.id))
                        .map((a, i) => (
                          <span key={`${a.kind}:${a.id}`}>
                            {i > 0 && ', '}
                            {AFFECT_LABELS[a.kind].toLowerCase()} <Link to={affectHref(a.kind, a.id)}>{a.label}</Link>
                          </span>
                        ))}
                    </div>
                  )}
                </li>
              )
            })}
          </ul>
        )}
        <p>
          <Link to="/beslut">Alla beslut</Link>
        </p>
      </section>
    </main>
  )
}
