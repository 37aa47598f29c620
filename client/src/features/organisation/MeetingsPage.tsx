import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { isAnalyst, useSession } from '../../lib/session'
import { PlansTabs } from '../../components/PlansTabs'
import { useAreaList } from '../../lib/queries'
import { GroupForm } from './GroupForm'
import { MeetingAlerts } from './MeetingAlerts'
import { MeetingForm } from './MeetingForm'
import { ORG_LABELS, STATUS_LABELS, mayKeepMeetings, useGroups, useMeetingRules, useMeetings, useOpenAlerts, usePrimaryAreas, type GroupDto, type MeetingDto } from './queries'
import './organisation.css'

const KIND_LABELS: Record<GroupDto['kind'], string> = {
  ledningsgrupp: 'Ledningsgrupp',
  lokal_ledningsgrupp: 'Lokal ledningsgrupp',
  natverk: 'Nätverk',
  forum: 'Forum',
  arbetsgrupp: 'Arbetsgrupp',
}

const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())

/** The cooperation organisation's groups and a year of their meetings, with the agreement's rules checked. */
export function MeetingsPage() {
  const { user } = useSession()
  const [params, setParams] = useSearchParams()
  const thisYear = new Date().getFullYear()
  const year = Number(params.get('ar')) || thisYear
  const groups = useGroups()
  const meetings = useMeetings(`year=${year}`)
  const rules = useMeetingRules(year)
  const [editing, setEditing] = useState<{ groupId: string; meetingId: number | null } | null>(null)
  // The group whose members (and uppdragsdirektiv) are open for editing; 'new': a new working group.
  const [editingGroup, setEditingGroup] = useState<string | null>(null)
  const analyst = isAnalyst(user)
  const setYear = (y: number) => {
    const next = new URLSearchParams(params)
    next.set('ar', String(y))
    setParams(next, { replace: true })
    setEditing(null)
  }
  const broken = (rules.data ?? []).filter((r) => !r.ok)
  // Alerts for the local groups' next meetings, composed here from the alerts and areas routes.
  const today = localToday()
  const nextMeeting = (groupId: string) =>
    (meetings.data ?? []).filter((m) => m.groupId === groupId && m.status === 'planerad' && m.date >= today).sort((a, b) => a.date.localeCompare(b.date))[0]
  const wantAlerts = (groups.data ?? []).some((g) => g.stadsomradeCode && nextMeeting(g.id))
  const stadsomraden = (useAreaList().data ?? []).filter((a) => a.layer === 'stadsomrade')
  const soAlerts = useOpenAlerts('stadsomrade', wantAlerts)
  const poAlerts = useOpenAlerts('primaromrade', wantAlerts)
  const primary = usePrimaryAreas(wantAlerts)
  const alertsFor = (code: string) => {
    const so = stadsomraden.find((a) => a.code === code)
    const inside = new Set((primary.data ?? []).filter((a) => a.stadsomradeCode === code).map((a) => a.id))
    const list = [...(soAlerts.data?.alerts ?? []).filter((a) => a.areaId === so?.id), ...(poAlerts.data?.alerts ?? []).filter((a) => inside.has(a.areaId))]
    return { so, list: list.filter((a) => a.status === 'open'), primaryKnown: inside.size > 0 }
  }

  return (
    <main className="page meetings-page" id="main">
      <PlansTabs />
      <h1>Möten</h1>
      <p className="muted">Samverkansöverenskommelsens grupper, deras möten under året och reglerna för dem: minst fyra möten per ledningsgrupp, ett heldagsmöte för Trygg i Göteborg, växlande ordförandeskap, nätverket två gånger per år och Strategiskt forum lägesbildsåret.</p>
      <div className="meetings-year">
        <label htmlFor="meetings-year">År</label>
        <select id="meetings-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {Array.from({ length: 7 }, (_, i) => thisYear - 2 + i).map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </div>

      <section aria-labelledby="rules-h" className="rules">
        <h2 id="rules-h">Reglerna {year}</h2>
        <p data-testid="rules-summary">{rules.data ? (broken.length === 0 ? 'Alla regler är uppfyllda.' : `${broken.length} ${broken.length === 1 ? 'regel är' : 'regler är'} inte uppfyllda.`) : 'Läser in …'}</p>
        <ul className="plain-list rule-list" data-testid="rules">
          {(rules.data ?? []).map((r) => (
            <li key={`${r.groupId}:${r.rule}`} className={r.ok ? 'rule-ok' : 'rule-warn'} data-rule={`${r.groupId}:${r.rule}`}>
              <strong>{r.ok ? 'Uppfyllt' : 'Varning'}:</strong> {r.groupName} – {r.text}
              {!r.ok && r.missing !== null && <span className="muted"> (saknas: {typeof r.missing === 'number' ? `${r.missing} ${r.missing === 1 ? 'möte' : 'möten'}` : r.missing})</span>}
            </li>
          ))}
        </ul>
      </section>

      {analyst && (
        <section className="new-group" aria-label="Ny arbetsgrupp">
          {editingGroup === 'new' ? (
            <GroupForm group={null} groups={groups.data ?? []} onDone={() => setEditingGroup(null)} />
          ) : (
            <button type="button" onClick={() => setEditingGroup('new')}>
              Ny arbetsgrupp
            </button>
          )}
        </section>
      )}

      {(groups.data ?? []).map((g) => {
        const list = (meetings.data ?? []).filter((m) => m.groupId === g.id)
        const last = list.at(-1)
        const editable = mayKeepMeetings(user, g.id)
        const open = editing?.groupId === g.id
        return (
          <section key={g.id} className="group-card" aria-labelledby={`g-${g.id}`} data-group={g.id}>
            <h2 id={`g-${g.id}`}>
              {g.name} <span className="muted small">{KIND_LABELS[g.kind]}</span>
            </h2>
            {g.members.length > 0 && (
              <p className="small">
                Medlemmar: {g.members.map((m) => `${m.function} (${ORG_LABELS[m.organisation].toLowerCase()})`).join(', ')}
              </p>
            )}
            {g.mandate && (
              <details className="small">
                <summary>Uppdragsdirektiv</summary>
                <dl>
                  <dt>Syfte</dt>
                  <dd>{g.mandate.purpose}</dd>
                  <dt>Mål</dt>
                  <dd>{g.mandate.goals}</dd>
                  <dt>Leveranser</dt>
                  <dd>{g.mandate.deliverables}</dd>
                  <dt>Tidsgräns</dt>
                  <dd>{g.mandate.timeLimit}</dd>
                  <dt>Uppdragsgivare</dt>
                  <dd>{groups.data?.find((x) => x.id === g.mandate!.givenBy)?.name ?? g.mandate.givenBy}</dd>
                </dl>
              </details>
            )}
            {analyst &&
              (editingGroup === g.id ? (
                <GroupForm key={g.version} group={g} groups={groups.data ?? []} onDone={() => setEditingGroup(null)} />
              ) : (
                <button type="button" className="link" aria-label={`${g.kind === 'arbetsgrupp' ? 'Ändra gruppen och uppdragsdirektivet' : 'Ändra medlemmarna'} – ${g.name}`} onClick={() => setEditingGroup(g.id)}>
                  {g.kind === 'arbetsgrupp' ? 'Ändra gruppen och uppdragsdirektivet' : 'Ändra medlemmarna'}
                </button>
              ))}
            {list.length === 0 ? (
              <p className="muted small">Inga möten {year}.</p>
            ) : (
              <div className="table-scroll">
                <table className="meetings-table">
                  <thead>
                    <tr>
                      <th scope="col">Datum</th>
                      <th scope="col">Heldag</th>
                      <th scope="col">Ordförande</th>
                      <th scope="col">Anteckningar</th>
                      <th scope="col">Status</th>
                      <th scope="col">Uppgifter</th>
                      {editable && <th scope="col"><span className="sr-only">Ändra</span></th>}
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((m: MeetingDto) => (
                      <tr key={m.id} data-meeting={m.id}>
                        <th scope="row" className="nowrap">{m.date}</th>
                        <td>{m.fullDay ? 'Ja' : 'Nej'}</td>
                        <td>{ORG_LABELS[m.chairOrganisation]}</td>
                        <td>{m.notesOrganisation ? ORG_LABELS[m.notesOrganisation] : '–'}</td>
                        <td>{STATUS_LABELS[m.status]}</td>
                        <td>{m.actions.filter((a) => !a.doneAt).length + m.carriedOver.filter((a) => !a.doneAt).length} öppna</td>
                        {editable && (
                          <td>
                            <button type="button" className="link" aria-label={`Öppna mötet ${m.date}`} onClick={() => setEditing({ groupId: g.id, meetingId: m.id })}>
                              Öppna
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {g.stadsomradeCode &&
              (() => {
                const next = nextMeeting(g.id)
                const { so, list: pending, primaryKnown } = alertsFor(g.stadsomradeCode)
                if (!next || !so) return null
                return <MeetingAlerts meeting={next} stadsomrade={so} alerts={pending} primaryKnown={primaryKnown} loading={soAlerts.isLoading || poAlerts.isLoading} />
              })()}
            {editable && !open && (
              <button type="button" onClick={() => setEditing({ groupId: g.id, meetingId: null })}>
                Planera möte
              </button>
            )}
            {open && (
              <MeetingForm
                key={editing.meetingId ?? 'new'}
                groupId={g.id}
                groupName={g.name}
                meeting={list.find((m) => m.id === editing.meetingId) ?? null}
                // The agreement alternates the chair: suggest the other organisation than the last meeting's.
                suggestedChair={last?.chairOrganisation === 'staden' ? 'polisen' : 'staden'}
                onDone={() => setEditing(null)}
              />
            )}
          </section>
        )
      })}
    </main>
  )
}
