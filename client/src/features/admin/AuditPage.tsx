import { Fragment, useEffect, useState } from 'react'
import { useSearchParams } from 'react-router'
import type { AuditEntryDto } from '../../../../server/features/auth/auth.schema'
import { api } from '../../lib/api'
import { FIELD_LABELS } from '../../lib/labels'
import './admin.css'

const LIMIT = 100

/** Filter labels (plural), in menu order. */
const ENTITY_FILTERS: Array<[string, string]> = [
  ['import', 'Importer'],
  ['indicator', 'Indikatorer'],
  ['measure', 'Åtgärder'],
  ['plan', 'Åtgärdsplaner'],
  ['decision', 'Beslut'],
  ['samverkansform', 'Samverkansformer'],
  ['samverkansform_adaptation', 'Lokala anpassningar'],
  ['field_report', 'Trygghetsrapporter'],
  ['field_report_category', 'Rapportkategorier'],
  ['group', 'Grupper'],
  ['meeting', 'Möten'],
  ['meeting_action', 'Mötesuppgifter'],
  ['place', 'Platser'],
  ['cycle', 'Cykler'],
  ['cycle_step', 'Cykelsteg'],
  ['step_status', 'Stegstatus'],
  ['problem_area', 'Problemområden'],
  ['cause', 'Orsaker'],
  ['user', 'Användare'],
  ['api_token', 'API-nycklar'],
  ['snapshot', 'Ögonblicksbilder'],
  ['statement', 'Gemensamma uttalanden'],
  ['communication_plan', 'Kommunikationsplanen'],
]
/** One object of each kind, for the Objekt column. */
const ENTITY_LABELS: Record<string, string> = {
  import: 'Import',
  indicator: 'Indikator',
  measure: 'Åtgärd',
  plan: 'Åtgärdsplan',
  decision: 'Beslut',
  samverkansform: 'Samverkansform',
  samverkansform_adaptation: 'Lokal anpassning',
  field_report: 'Trygghetsrapport',
  field_report_category: 'Rapportkategori',
  group: 'Grupp',
  meeting: 'Möte',
  meeting_action: 'Mötesuppgift',
  place: 'Plats',
  cycle: 'Cykel',
  cycle_step: 'Cykelsteg',
  step_status: 'Stegstatus',
  problem_area: 'Problemområde',
  cause: 'Orsak',
  user: 'Konto',
  snapshot: 'Ögonblicksbild',
  statement: 'Gemensamt uttalande',
  communication_plan: 'Kommunikationsplan',
}
const ACTION_LABELS: Record<string, string> = {
  create: 'skapad',
  update: 'ändrad',
  delete: 'borttagen',
  import: 'import',
  publish: 'publicerad',
  replace: 'ersatt',
  adopt: 'antagen',
  approve: 'godkänd',
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'medium' })
const formatTime = (iso: string) => {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : timeFormat.format(d)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Deep equality of JSON values (key order ignored). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]))
  }
  return false
}

/** Top-level keys whose values differ between two objects. */
function changedKeys(before: unknown, after: unknown): string[] {
  if (!isObject(before) || !isObject(after)) return []
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  return keys.filter((k) => !same(before[k], after[k])).sort()
}

const pretty = (v: unknown) => (v === null || v === undefined ? '–' : JSON.stringify(v, null, 2))

async function fetchAudit(entity: string, before?: number): Promise<AuditEntryDto[]> {
  const q = new URLSearchParams({ limit: String(LIMIT) })
  if (entity) q.set('entity', entity)
  if (before !== undefined) q.set('before', String(before))
  // Read afresh on every visit: the log grows with every write, and pages are cut by `before`.
  return api.get<AuditEntryDto[]>(`/api/audit?${q}`)
}

/** Admin page: who changed what, newest first, with the stored before/after of each change. */
export function AuditPage() {
  const [params, setParams] = useSearchParams()
  const entity = params.get('objekt') ?? ''
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null)
  const [more, setMore] = useState(false)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set())

  useEffect(() => {
    let live = true
    setEntries(null)
    setOpen(new Set())
    setLoading(true)
    fetchAudit(entity).then(
      (page) => {
        if (!live) return
        setEntries(page)
        setMore(page.length === LIMIT)
        setError(null)
        setLoading(false)
      },
      (e: Error) => {
        if (!live) return
        setError(e.message)
        setLoading(false)
      },
    )
    return () => {
      live = false
    }
  }, [entity])

  const loadOlder = async () => {
    const last = entries?.at(-1)
    if (!last) return
    setLoading(true)
    try {
      const page = await fetchAudit(entity, last.id)
      setEntries((e) => [...(e ?? []), ...page])
      setMore(page.length === LIMIT)
      setError(null)
    } catch (e) {
      setError((e as Error).message)
    }
    setLoading(false)
  }

  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s)
      if (!next.delete(id)) next.add(id)
      return next
    })

  return (
    <main className="page admin" id="main">
      <h1>Logg över ändringar</h1>
      <div className="field audit-filter">
        <label htmlFor="audit-entity">Objekttyp</label>
        <select
          id="audit-entity"
          value={entity}
          onChange={(e) => {
            const next = new URLSearchParams(params)
            if (e.target.value) next.set('objekt', e.target.value)
            else next.delete('objekt')
            setParams(next, { replace: true })
          }}
        >
          <option value="">Alla</option>
          {ENTITY_FILTERS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p role="alert" className="import-error">
          Kunde inte hämta loggen: {error}
        </p>
      )}
      {!entries && loading && <p className="muted">Hämtar loggen…</p>}
      {entries && entries.length === 0 && <p role="status">Inga ändringar loggade.</p>}
      {entries && entries.length > 0 && (
        <div className="table-scroll">
          <table data-testid="audit-table" className="admin-table audit-table" aria-busy={loading}>
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Vem</th>
                <th scope="col">Vad</th>
                <th scope="col">Objekt</th>
                <th scope="col">Sammanfattning</th>
                <th scope="col">
                  <span className="sr-only">Detaljer</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((a) => {
                const expanded = open.has(a.id)
                const changed = a.action === 'update' ? changedKeys(a.before, a.after) : []
                return (
                  <Fragment key={a.id}>
                    <tr data-audit={a.id}>
                      <td>
                        <time dateTime={a.at}>{formatTime(a.at)}</time>
                      </td>
                      <td>{a.user ?? <span className="muted">systemet</span>}</td>
                      <td>{ACTION_LABELS[a.action] ?? a.action}</td>
                      <td>
                        {ENTITY_LABELS[a.entity] ?? a.entity}
                        {a.entityId !== null && <span className="muted"> {a.entityId}</span>}
                      </td>
                      <td>{a.summary}</td>
                      <td>
                        <button type="button" aria-expanded={expanded} aria-controls={`audit-${a.id}`} onClick={() => toggle(a.id)}>
                          {expanded ? 'Dölj' : 'Visa'}
                          <span className="sr-only"> före och efter för {a.summary}</span>
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr className="row-panel" id={`audit-${a.id}`}>
                        <td colSpan={6}>
                          {a.action === 'update' && (
                            <p className="small">
                              {changed.length > 0 ? (
                                <>
                                  Ändrade fält:{' '}
                                  {changed.map((k, i) => (
                                    <Fragment key={k}>
                                      {i > 0 && ', '}
                                      {FIELD_LABELS[k] ?? <code>{k}</code>}
                                    </Fragment>
                                  ))}
                                </>
                              ) : (
                                <span className="muted">Inga ändrade fält på översta nivån.</span>
                              )}
                            </p>
                          )}
                          <div className="before-after">
                            <section aria-label="Före">
                              <h3>Före</h3>
                              <pre tabIndex={0}>{pretty(a.before)}</pre>
                            </section>
                            <section aria-label="Efter">
                              <h3>Efter</h3>
                              <pre tabIndex={0}>{pretty(a.after)}</pre>
                            </section>
                          </div>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {entries && more && (
        <p>
          <button type="button" onClick={() => void loadOlder()} disabled={loading}>
            {loading ? 'Hämtar…' : 'Visa äldre'}
          </button>
        </p>
      )}
    </main>
  )
}
