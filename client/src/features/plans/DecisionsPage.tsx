import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { DataTable, type Column } from '../../components/DataTable'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { isAnalyst, useSession } from '../../lib/session'
import { affectHref, useAffectChoices } from './choices'
import { DecisionForm } from './DecisionForm'
import './plans.css'
import { PlansTabs } from '../../components/PlansTabs'
import { AFFECT_LABELS, groupsFor, useDecisionGroups, useDecisions, useDeleteDecision, type DecisionDto } from './queries'

/** The register of the ledningsgruppernas decisions: newest first, filtered by group; register one. */
export function DecisionsPage() {
  const { user } = useSession()
  const [params, setParams] = useSearchParams()
  const group = params.get('grupp') ?? ''
  const groups = useDecisionGroups().data ?? []
  const decisions = useDecisions(group ? `group=${encodeURIComponent(group)}` : '')
  const choices = useAffectChoices()
  // From a meeting (Möten): the form opens for that meeting of its group (once the groups are known).
  const meeting = Number(params.get('mote')) || undefined
  const [adding, setAdding] = useState(meeting !== undefined)
  const [saved, setSaved] = useState<DecisionDto | null>(null)
  const remove = useDeleteDecision()
  const mine = groupsFor(user, groups)

  const setGroup = (g: string) => {
    const next = new URLSearchParams(params)
    if (g) next.set('grupp', g)
    else next.delete('grupp')
    setParams(next, { replace: true })
  }

  const columns: Array<Column<DecisionDto>> = [
    { key: 'date', header: 'Datum', cell: (d) => <span className="nowrap">{d.date}</span>, rowHeader: true },
    { key: 'group', header: 'Grupp', cell: (d) => d.groupName },
    { key: 'text', header: 'Beslut', cell: (d) => <span className="decision-text">{d.text}</span> },
    {
      key: 'affects',
      header: 'Påverkar',
      cell: (d) =>
        d.affects.length === 0 ? (
          <span className="muted">–</span>
        ) : (
          <ul className="plain-list">
            {d.affects.map((a) => (
              <li key={`${a.kind}:${a.id}`}>
                <span className="muted">{AFFECT_LABELS[a.kind]}:</span> <Link to={affectHref(a.kind, a.id)}>{a.label}</Link>
              </li>
            ))}
          </ul>
        ),
    },
    ...(isAnalyst(user)
      ? [
          {
            key: 'actions',
            header: <span className="sr-only">Åtgärder</span>,
            cell: (d: DecisionDto) => (
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Ta bort beslutet ${d.date} av ${d.groupName} ur registret? Gör det bara för en felregistrering.`)) remove.mutate(d.id)
                }}
              >
                Ta bort
              </button>
            ),
          },
        ]
      : []),
  ]

  return (
    <main className="page" id="main">
      <PlansTabs />
      <h1>Beslut</h1>
      <p className="lead">
        Ledningsgruppernas beslut: när, av vem, vad som beslutades och vad det ändrar. Registret ändras inte i efterhand; ett beslut som något vilar på kan inte tas bort.
      </p>
      <section className="compare-controls filters" aria-label="Filter">
        <Select id="d-group" label="Grupp" value={group} onChange={(e) => setGroup(e.target.value)} options={[{ value: '', label: 'Alla grupper' }, ...groups.map((g) => ({ value: g.id, label: g.name }))]} />
      </section>
      {mine.length > 0 && !adding && (
        <p>
          <button type="button" className="primary" onClick={() => { setAdding(true); setSaved(null) }}>
            Registrera beslut
          </button>
        </p>
      )}
      {saved && (
        <p className="success" role="status">
          Beslutet {saved.date} av {saved.groupName} är registrerat.
        </p>
      )}
      {adding && mine.length > 0 && (
        <DecisionForm
          title="Registrera beslut"
          idPrefix="decision"
          groups={mine}
          choices={choices}
          initialGroup={group || undefined}
          initialMeetingId={meeting}
          onCancel={() => setAdding(false)}
          onSaved={(d) => {
            setAdding(false)
            setSaved(d)
          }}
        />
      )}
      <FormProblem problem={remove.error} />
      {decisions.error && <FormProblem problem={decisions.error} />}
      {decisions.data && decisions.data.length === 0 && (
        <p role="status">
          Inga beslut {group ? 'av den gruppen ' : ''}är registrerade.{mine.length > 0 && !adding && ' Registrera ett med Registrera beslut.'}
        </p>
      )}
      {decisions.data && decisions.data.length > 0 && (
        <DataTable testId="decisions" className="decision-table" rows={decisions.data} rowKey={(d) => d.id} rowProps={(d) => ({ 'data-decision': d.id })} columns={columns} />
      )}
    </main>
  )
}
