import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { ApiTokenDto, NewApiTokenDto } from '../../../../server/features/auth/tokens.schema'
import { DataTable } from '../../components/DataTable'
import { FormProblem } from '../../components/FormProblem'
import { api, ApiError } from '../../lib/api'
import './tokens.css'

const KEY = ['api-tokens']
const when = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' })
const day = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short' })
const fmt = (iso: string | null, f = when) => (iso ? f.format(new Date(iso)) : null)

/** Personal read-only API tokens: for QGIS, GDAL, R and scripts, which cannot sign in with a browser. */
export function ApiTokensPage() {
  const qc = useQueryClient()
  const tokens = useQuery({ queryKey: KEY, queryFn: ({ signal }) => api.get<ApiTokenDto[]>('/api/tokens', signal) })
  const [created, setCreated] = useState<NewApiTokenDto | null>(null)
  const [status, setStatus] = useState('')
  const revoke = useMutation({
    mutationFn: (t: ApiTokenDto) => api.delete(`/api/tokens/${t.id}`),
    onSuccess: (_r, t) => {
      setStatus(`Nyckeln ${t.name} är återkallad och fungerar inte längre.`)
      if (created?.id === t.id) setCreated(null)
      void qc.invalidateQueries({ queryKey: KEY })
    },
  })
  const origin = window.location.origin
  return (
    <main className="page tokens" id="main">
      <h1>Mina API-nycklar</h1>
      <p>
        En API-nyckel låter program som QGIS, GDAL, R eller ett skript läsa samma data som du ser här, utan att logga in i webbläsaren.
        Nyckeln ger <strong>bara läsrätt</strong> och samma behörighet som ditt konto: interna siffror syns bara om ditt konto får se dem.
        Behandla den som ett lösenord och återkalla den när den inte behövs.
      </p>
      <p role="status" className="admin-status">
        {status}
      </p>
      <NewTokenForm
        onCreated={(t) => {
          setCreated(t)
          setStatus('')
          void qc.invalidateQueries({ queryKey: KEY })
        }}
      />
      {created && <CreatedToken token={created} origin={origin} onClose={() => setCreated(null)} />}
      <h2>Dina nycklar</h2>
      {tokens.error && (
        <p role="alert" className="import-error">
          Kunde inte hämta nycklarna: {tokens.error.message}
        </p>
      )}
      <FormProblem problem={revoke.error instanceof ApiError ? revoke.error : null} />
      {tokens.data?.length === 0 && <p className="muted">Du har inga API-nycklar.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <DataTable
          testId="tokens-table"
          className="admin-table"
          rows={tokens.data}
          rowKey={(t) => t.id}
          rowProps={(t) => ({ 'data-token': t.id, className: t.revokedAt ? 'user-disabled' : undefined })}
          columns={[
            { key: 'name', header: 'Namn', rowHeader: true, cell: (t) => t.name },
            { key: 'created', header: 'Skapad', cell: (t) => fmt(t.createdAt) },
            { key: 'used', header: 'Senast använd', cell: (t) => fmt(t.lastUsedAt) ?? <span className="muted">aldrig</span> },
            { key: 'expires', header: 'Gäller till', cell: (t) => fmt(t.expiresAt, day) ?? <span className="muted">tills vidare</span> },
            {
              key: 'status',
              header: 'Status',
              cell: (t) =>
                t.revokedAt ? `Återkallad ${fmt(t.revokedAt)}` : t.expiresAt && new Date(t.expiresAt) < new Date() ? 'Utgången' : 'Gäller',
            },
            {
              key: 'actions',
              header: <span className="sr-only">Hantera</span>,
              cell: (t) =>
                t.revokedAt ? null : (
                  <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(t)} aria-label={`Återkalla ${t.name}`}>
                    Återkalla
                  </button>
                ),
            },
          ]}
        />
      )}
    </main>
  )
}

function NewTokenForm({ onCreated }: { onCreated(t: NewApiTokenDto): void }) {
  const [name, setName] = useState('')
  const [expiresAt, setExpiresAt] = useState('')
  const create = useMutation({
    mutationFn: () => api.post<NewApiTokenDto>('/api/tokens', { name, expiresAt: expiresAt || null }),
    onSuccess: (t) => {
      setName('')
      setExpiresAt('')
      onCreated(t)
    },
  })
  const problem = create.error instanceof ApiError ? create.error : create.error ? { message: create.error.message } : null
  const fieldError = (f: string) => (problem && 'details' in problem ? problem.details.find((d) => d.field === f)?.message : undefined)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">Skapa en nyckel</h2>
      <div className="inline-form">
        <label className="field">
          Namn (vad den används till)
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="QGIS på min dator" aria-invalid={Boolean(fieldError('name'))} />
        </label>
        <label className="field">
          Gäller till och med (valfritt)
          <input type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} aria-invalid={Boolean(fieldError('expiresAt'))} />
        </label>
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            Skapa nyckel
          </button>
        </div>
        <FormProblem problem={problem} />
      </div>
    </form>
  )
}

function CreatedToken({ token, origin, onClose }: { token: NewApiTokenDto; origin: string; onClose(): void }) {
  const [copied, setCopied] = useState('')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.secret)
      setCopied('Kopierad.')
    } catch {
      setCopied('Kunde inte kopiera; markera nyckeln och kopiera den själv.')
    }
  }
  const header = `Authorization: Bearer ${token.secret}`
  return (
    <section className="token-created" aria-labelledby="token-created-heading" data-testid="token-created">
      <h2 id="token-created-heading">Nyckeln {token.name} är skapad</h2>
      <p>
        <strong>Kopiera den nu: den visas bara den här gången.</strong> Lägesbild sparar bara ett kontrollvärde av nyckeln och kan inte visa den igen.
      </p>
      <div className="token-secret">
        <code data-testid="token-secret">{token.secret}</code>
        <button type="button" onClick={() => void copy()}>
          Kopiera
        </button>
        <span role="status">{copied}</span>
      </div>
      <h3>Så använder du den</h3>
      <p>Skicka nyckeln i varje anrop som rubriken <code>{'Authorization: Bearer <nyckel>'}</code>. Den fungerar bara för läsning (GET).</p>
      <dl className="token-usage">
        <dt>curl</dt>
        <dd>
          <pre>{`curl -H "${header}" ${origin}/api/indicators`}</pre>
        </dd>
        <dt>GDAL / ogr2ogr</dt>
        <dd>
          <pre>{`GDAL_HTTP_HEADERS="${header}" ogrinfo ${origin}/api/layers/stadsomrade/areas`}</pre>
        </dd>
        <dt>QGIS</dt>
        <dd>
          Inställningar → Alternativ → Autentisering: lägg till en konfiguration av typen <em>API-rubrik</em> (API Header) med rubriken <code>Authorization</code> och värdet{' '}
          <code>{'Bearer <nyckel>'}</code>, och välj den när du lägger till lagret.
        </dd>
        <dt>R (httr2)</dt>
        <dd>
          <pre>{`library(httr2)\nrequest("${origin}/api/indicators") |>\n  req_auth_bearer_token(Sys.getenv("LAGESBILD_TOKEN")) |>\n  req_perform() |>\n  resp_body_json()`}</pre>
        </dd>
      </dl>
      <button type="button" onClick={onClose}>
        Jag har sparat nyckeln
      </button>
    </section>
  )
}
