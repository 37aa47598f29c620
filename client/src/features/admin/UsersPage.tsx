import { useQueryClient } from '@tanstack/react-query'
import { useRef, useState, type ComponentProps, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import type { UserDto } from '../../../../server/features/auth/auth.schema'
import { api, paths, type ApiError } from '../../lib/api'
import { invalidate, useLayerAreas } from '../../lib/queries'
import { ROLE_LABELS, useSession } from '../../lib/session'
import { useUsers } from './queries'
import './admin.css'

type Role = UserDto['role']

const ROLES = Object.keys(ROLE_LABELS) as Role[]

type Problem = ApiError
type Result<T> = { ok: true; data: T } | { ok: false; problem: Problem }

async function send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<Result<T>> {
  try {
    const data = method === 'POST' ? await api.post<T>(path, body) : method === 'PATCH' ? await api.patch<T>(path, body) : await api.delete<T>(path)
    return { ok: true, data }
  } catch (e) {
    return { ok: false, problem: e as ApiError }
  }
}

const dateFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short' })
const formatDate = (iso: string) => {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d)
}

/** Field errors of one form: each detail beside its input, the rest under the message. */
function useFieldErrors(problem: Problem | null, prefix: string) {
  const errorId = (field: string) => `${prefix}-${field}-err`
  const messages = (field: string) =>
    problem?.details
      .filter((d) => d.field === field)
      .map((d) => d.message)
      .join('; ')
  return {
    /** Props for the input of `field`: described by its error, marked invalid. */
    described: (field: string) => (messages(field) ? { 'aria-describedby': errorId(field), 'aria-invalid': true as const } : {}),
    error: (field: string) => {
      const m = messages(field)
      return m ? (
        <span className="field-error" id={errorId(field)} role="alert" data-field={field}>
          {m}
        </span>
      ) : null
    },
    summary: (fields: string[]) =>
      problem && (
        <div className="import-error" role="alert" data-testid="user-error">
          <strong>{problem.message}</strong>
          {problem.details.some((d) => !d.field || !fields.includes(d.field)) && (
            <ul>
              {problem.details
                .filter((d) => !d.field || !fields.includes(d.field))
                .map((d, i) => (
                  <li key={i}>{d.message}</li>
                ))}
            </ul>
          )}
        </div>
      ),
  }
}

function AreaSelect(p: { id: string; value: string; names: string[]; onChange(v: string): void; extra?: ComponentProps<'select'> }) {
  return (
    <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value)} {...p.extra}>
      <option value="">Välj stadsområde</option>
      {p.names.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  )
}

function RoleSelect(p: { id: string; value: Role; onChange(r: Role): void; extra?: ComponentProps<'select'> }) {
  return (
    <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value as Role)} {...p.extra}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </select>
  )
}

/** Admin page: list, create, change, disable and remove accounts. */
export function UsersPage() {
  const me = useSession().user
  const areas = useLayerAreas(paths.layerAreas('stadsomrade')).data
  const areaNames = (areas?.features ?? []).map((f) => f.properties.name).sort((a, b) => a.localeCompare(b, 'sv'))
  const usersQuery = useUsers()
  const users = usersQuery.data ?? null
  const loadError = usersQuery.error?.message ?? null
  const [status, setStatus] = useState('')
  const qc = useQueryClient()

  const done = (message: string) => {
    setStatus(message)
    void invalidate(qc, 'users', 'audit')
  }

  return (
    <main className="page admin" id="main">
      <h1>Användare</h1>
      <p role="status" className="admin-status">
        {status}
      </p>
      {loadError && (
        <p role="alert" className="import-error">
          Kunde inte hämta kontona: {loadError}
        </p>
      )}
      {!users && !loadError && <p className="muted">Hämtar konton…</p>}
      {users && (
        <div className="table-scroll">
          <table data-testid="users-table" className="admin-table">
            <thead>
              <tr>
                <th scope="col">E-post</th>
                <th scope="col">Namn</th>
                <th scope="col">Roll</th>
                <th scope="col">Stadsområde</th>
                <th scope="col">Status</th>
                <th scope="col">Skapad</th>
                <th scope="col">
                  <span className="sr-only">Hantera</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <UserRow key={u.id} user={u} self={me?.email === u.email} areaNames={areaNames} onDone={done} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewUserForm areaNames={areaNames} onCreated={(u) => done(`Kontot ${u.email} har skapats.`)} />
    </main>
  )
}

type Mode = 'role' | 'password' | 'delete' | null

function UserRow({ user: u, self, areaNames, onDone }: { user: UserDto; self: boolean; areaNames: string[]; onDone(message: string): void }) {
  const prefix = `u${u.id}`
  const [mode, setMode] = useState<Mode>(null)
  const [role, setRole] = useState<Role>(u.role)
  const [area, setArea] = useState(u.stadsomrade?.name ?? '')
  const [password, setPassword] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const opener = useRef<HTMLButtonElement | null>(null)
  const f = useFieldErrors(problem, prefix)

  const open = (m: Mode, button: HTMLButtonElement) => {
    opener.current = button
    setProblem(null)
    setRole(u.role)
    setArea(u.stadsomrade?.name ?? '')
    setPassword('')
    setMode(mode === m ? null : m)
  }
  const close = () => {
    setMode(null)
    setProblem(null)
    opener.current?.focus()
  }
  const run = async (method: 'PATCH' | 'DELETE', body: unknown, message: string) => {
    setBusy(true)
    const r = await send(method, `/api/users/${u.id}`, body)
    setBusy(false)
    if (!r.ok) return setProblem(r.problem)
    setMode(null)
    setProblem(null)
    onDone(message)
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (mode === 'role') void run('PATCH', role === 'local' ? { role, stadsomrade: area || null } : { role }, `Rollen för ${u.email} har ändrats.`)
    if (mode === 'password') void run('PATCH', { password }, `Lösenordet för ${u.email} har bytts.`)
  }
  const escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close()
  }
  const actionButton = (m: Exclude<Mode, null>, label: string, extra?: { className?: string }) => (
    <button type="button" aria-expanded={mode === m} aria-controls={`${prefix}-panel`} onClick={(e) => open(m, e.currentTarget)} {...extra}>
      {label}
    </button>
  )

  let panel: ReactNode = null
  if (mode === 'role' || mode === 'password') {
    panel = (
      <form className="inline-form" aria-label={`${mode === 'role' ? 'Ändra roll' : 'Nytt lösenord'} för ${u.email}`} onSubmit={submit} onKeyDown={escape} noValidate>
        {f.summary(mode === 'role' ? ['role', 'stadsomrade'] : ['password'])}
        {mode === 'role' ? (
          <>
            <div className="field">
              <label htmlFor={`${prefix}-role`}>Roll</label>
              <RoleSelect id={`${prefix}-role`} value={role} onChange={setRole} extra={{ autoFocus: true, ...f.described('role') }} />
              {f.error('role')}
            </div>
            {role === 'local' && (
              <div className="field">
                <label htmlFor={`${prefix}-area`}>Stadsområde</label>
                <AreaSelect id={`${prefix}-area`} value={area} names={areaNames} onChange={setArea} extra={f.described('stadsomrade')} />
                {f.error('stadsomrade')}
              </div>
            )}
          </>
        ) : (
          <div className="field">
            <label htmlFor={`${prefix}-pw`}>Nytt lösenord (minst 10 tecken)</label>
            <input
              id={`${prefix}-pw`}
              type="password"
              autoComplete="new-password"
              autoFocus
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              {...f.described('password')}
            />
            {f.error('password')}
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {mode === 'role' ? 'Spara roll' : 'Byt lösenord'}
          </button>
          <button type="button" onClick={close}>
            Avbryt
          </button>
        </div>
      </form>
    )
  } else if (mode === 'delete') {
    panel = (
      <div className="inline-form" role="group" aria-label={`Ta bort ${u.email}`} onKeyDown={escape}>
        {f.summary([])}
        <p>
          Ta bort kontot <strong>{u.email}</strong>
          {self ? ' (ditt eget konto)' : ''}? Det går inte att ångra.
        </p>
        <div className="actions">
          <button type="button" className="danger" autoFocus disabled={busy} onClick={() => void run('DELETE', undefined, `Kontot ${u.email} har tagits bort.`)}>
            Ja, ta bort
          </button>
          <button type="button" onClick={close}>
            Avbryt
          </button>
        </div>
      </div>
    )
  } else if (problem) {
    // A failed enable/disable: no form is open, the message stands on its own.
    panel = (
      <div className="inline-form">
        {f.summary([])}
        <button type="button" onClick={close}>
          Stäng
        </button>
      </div>
    )
  }

  return (
    <>
      <tr data-user={u.id} className={u.disabled ? 'user-disabled' : undefined}>
        <th scope="row">
          {u.email}
          {self && <span className="badge">du</span>}
        </th>
        <td>{u.name}</td>
        <td>{ROLE_LABELS[u.role]}</td>
        <td>{u.stadsomrade?.name ?? <span className="muted">–</span>}</td>
        <td>{u.disabled ? 'Avstängd' : 'Aktiv'}</td>
        <td>
          <time dateTime={u.createdAt}>{formatDate(u.createdAt)}</time>
        </td>
        <td>
          <div className="actions" role="group" aria-label={`Hantera ${u.email}`}>
            {actionButton('role', 'Ändra roll')}
            {actionButton('password', 'Byt lösenord')}
            <button
              type="button"
              disabled={busy}
              onClick={(e) => {
                opener.current = e.currentTarget
                setMode(null)
                void run('PATCH', { disabled: !u.disabled }, `Kontot ${u.email} har ${u.disabled ? 'aktiverats' : 'stängts av'}.`)
              }}
            >
              {u.disabled ? 'Aktivera' : 'Stäng av'}
            </button>
            {actionButton('delete', 'Ta bort', { className: 'danger' })}
          </div>
        </td>
      </tr>
      {panel && (
        <tr className="row-panel" id={`${prefix}-panel`}>
          <td colSpan={7}>{panel}</td>
        </tr>
      )}
    </>
  )
}

const EMPTY = { email: '', name: '', password: '', role: 'analyst' as Role, stadsomrade: '' }

function NewUserForm({ areaNames, onCreated }: { areaNames: string[]; onCreated(u: UserDto): void }) {
  const prefix = 'new-user'
  const [draft, setDraft] = useState(EMPTY)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const f = useFieldErrors(problem, prefix)
  const set = <K extends keyof typeof EMPTY>(k: K, v: (typeof EMPTY)[K]) => setDraft((d) => ({ ...d, [k]: v }))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const { stadsomrade, ...rest } = draft
    const r = await send<UserDto>('POST', '/api/users', draft.role === 'local' ? { ...rest, stadsomrade: stadsomrade || null } : rest)
    setBusy(false)
    if (!r.ok) return setProblem(r.problem)
    setProblem(null)
    setDraft(EMPTY)
    onCreated(r.data)
  }
  const input = (field: 'email' | 'name' | 'password', label: string, type: string, autoComplete: string) => (
    <div className="field">
      <label htmlFor={`${prefix}-${field}`}>{label}</label>
      <input
        id={`${prefix}-${field}`}
        type={type}
        autoComplete={autoComplete}
        required={field !== 'name'}
        value={draft[field]}
        onChange={(e) => set(field, e.target.value)}
        {...f.described(field)}
      />
      {f.error(field)}
    </div>
  )

  return (
    <form className="admin-form" aria-label="Nytt konto" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Nytt konto</h2>
      {f.summary(['email', 'name', 'password', 'role', 'stadsomrade'])}
      <div className="field-row">
        {input('email', 'E-post', 'email', 'off')}
        {input('name', 'Namn', 'text', 'off')}
      </div>
      <div className="field-row">
        {input('password', 'Lösenord (minst 10 tecken)', 'password', 'new-password')}
        <div className="field">
          <label htmlFor={`${prefix}-role`}>Roll</label>
          <RoleSelect id={`${prefix}-role`} value={draft.role} onChange={(r) => set('role', r)} extra={f.described('role')} />
          {f.error('role')}
        </div>
        {draft.role === 'local' && (
          <div className="field">
            <label htmlFor={`${prefix}-stadsomrade`}>Stadsområde</label>
            <AreaSelect id={`${prefix}-stadsomrade`} value={draft.stadsomrade} names={areaNames} onChange={(v) => set('stadsomrade', v)} extra={f.described('stadsomrade')} />
            {f.error('stadsomrade')}
          </div>
        )}
      </div>
      <button type="submit" className="primary" disabled={busy}>
        Skapa konto
      </button>
    </form>
  )
}
