import { useState } from 'react'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import type { ApiError } from '../../lib/apiError'
import { isAnalyst, useSession } from '../../lib/session'
import { useApproveStatement, useStatement, useWriteStatement, type StatementDto } from './queries'

const PARTIES = [
  { id: 'staden', label: 'staden' },
  { id: 'polisen', label: 'polisen' },
] as const

const day = (iso: string) => new Date(iso).toLocaleDateString('sv-SE')

/** The approved statement as everyone sees it: the text and the two parties behind it. */
export function ApprovedStatement({ statement, headingLevel = 'h2' }: { statement: StatementDto; headingLevel?: 'h2' | 'h3' }) {
  const H = headingLevel
  return (
    <section className="statement statement-approved" aria-labelledby={`statement-${statement.snapshotId}`} data-testid="approved-statement">
      <H id={`statement-${statement.snapshotId}`}>Gemensamt uttalande från staden och polisen</H>
      <p className="statement-text">{statement.text}</p>
      <p className="muted small">
        Godkänt av {statement.approvals.map((a) => `${a.organisation === 'staden' ? 'Göteborgs Stad' : 'Polisområde Storgöteborg'} ${day(a.approvedAt)}`).join(' och ')}
      </p>
    </section>
  )
}

/**
 * The joint statement on a lägesbild. Analysts write it and approve it for their own party (staden or
 * polisen, from their account); once both have approved, the public sees it. Others see only that.
 */
export function StatementPanel({ snapshotId, published }: { snapshotId: number; published: boolean }) {
  const { user } = useSession()
  const query = useStatement(snapshotId)
  if (!isAnalyst(user)) return query.data?.approved ? <ApprovedStatement statement={query.data} /> : null
  if (query.error) return <p role="alert">Den gemensamma kommentaren kunde inte hämtas: {query.error.message}</p>
  if (!query.data) return null
  const st = query.data
  const status = !st.text ? 'inte skrivet' : st.approved ? 'godkänt av staden och polisen, visas för allmänheten' : `väntar på godkännande (${st.approvals.length} av 2)`
  return (
    <details className="statement-details" data-testid="statement-details">
      <summary>Gemensamt uttalande: {status}</summary>
      <StatementEditor key={st.version} statement={st} published={published} />
    </details>
  )
}

function StatementEditor({ statement, published }: { statement: StatementDto; published: boolean }) {
  const { user } = useSession()
  const write = useWriteStatement(statement.snapshotId)
  const approve = useApproveStatement(statement.snapshotId)
  const [text, setText] = useState(statement.text)
  const [problem, setProblem] = useState<ApiError | null>(null)
  const dirty = text.trim() !== statement.text
  const textError = problem?.details?.find((d) => d.field === 'text')?.message
  const run = async (p: Promise<unknown>) => {
    setProblem(null)
    try {
      await p
    } catch (err) {
      setProblem(err as ApiError)
    }
  }
  const own = user?.organisation ?? null
  return (
    <section className="statement" aria-label="Gemensamt uttalande" data-testid="statement-panel">
      <p className="muted small">
        Staden och polisen godkänner var sin gång. Först när båda har godkänt visas uttalandet för allmänheten, på lägesbilden och stadsområdenas sidor. Ändras texten tas
        godkännandena bort.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void run(write.mutateAsync({ text, version: statement.version }))
        }}
        noValidate
      >
        <div className="field">
          <label htmlFor="statement-text">Text</label>
          <textarea
            id="statement-text"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={textError ? true : undefined}
            aria-describedby={textError ? 'statement-text-err' : undefined}
          />
          <FieldError id="statement-text-err" field="text" message={textError} />
        </div>
        <button type="submit" disabled={!dirty || write.isPending}>
          Spara texten
        </button>{' '}
        {statement.updatedAt && (
          <span className="muted small">
            Version {statement.version}, sparad {day(statement.updatedAt)}
            {statement.updatedBy ? ` av ${statement.updatedBy}` : ''}
          </span>
        )}
      </form>
      <ul className="plain-list statement-approvals" aria-label="Godkännanden">
        {PARTIES.map((p) => {
          const given = statement.approvals.find((a) => a.organisation === p.id)
          if (given) {
            return (
              <li key={p.id} data-testid={`approval-${p.id}`}>
                <span aria-hidden="true">✓</span> Godkänt för {p.label} av {given.name || given.email} {day(given.approvedAt)}
              </li>
            )
          }
          const why = !published
            ? 'publicera lägesbilden först'
            : !statement.text
              ? 'skriv och spara texten först'
              : dirty
                ? 'spara texten först'
                : own !== p.id
                  ? `godkänns av en analytiker från ${p.label}`
                  : null
          return (
            <li key={p.id} data-testid={`approval-${p.id}`}>
              <button type="button" disabled={why !== null || approve.isPending} onClick={() => void run(approve.mutateAsync({ version: statement.version }))} aria-describedby={why ? `approve-${p.id}-why` : undefined}>
                Godkänn för {p.label}
              </button>{' '}
              {why && (
                <span className="muted small" id={`approve-${p.id}-why`}>
                  ({why})
                </span>
              )}
            </li>
          )
        })}
      </ul>
      {!own && <p className="muted small">Ditt konto hör inte till staden eller polisen, så du kan inte godkänna. En administratör anger organisationen under Användare.</p>}
      {statement.approved && <p className="statement-public">Godkänt av båda parter: uttalandet visas för allmänheten.</p>}
      <FormProblem problem={problem} details={problem?.details?.filter((d) => d.field !== 'text')} />
    </section>
  )
}
