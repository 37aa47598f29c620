import type { ReactNode } from 'react'
import type { UserDto } from '../../../../server/features/auth/auth.schema'
import { DataTable } from '../../components/DataTable'
import { FormProblem } from '../../components/FormProblem'
import { ROLE_LABELS } from '../../lib/session'
import { DeleteConfirm, NewUserForm, ORGANISATION_LABELS, PasswordForm, RoleForm } from './UserForms'
import { useUsersPage, type PanelMode, type UsersPageModel } from './useUsersPage'
import './admin.css'

const dateFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short' })
const formatDate = (iso: string) => {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d)
}

/** Admin page: list, create, change, disable and remove accounts. */
export function UsersPage() {
  const m = useUsersPage()
  return (
    <main className="page admin" id="main">
      <h1>Användare</h1>
      <p role="status" className="admin-status">
        {m.status}
      </p>
      {m.loadError && (
        <p role="alert" className="import-error">
          Kunde inte hämta kontona: {m.loadError}
        </p>
      )}
      {m.loading && <p className="muted">Hämtar konton…</p>}
      {m.users && (
        <DataTable
          testId="users-table"
          className="admin-table"
          scroll
          rows={m.users}
          rowKey={(u) => u.id}
          rowProps={(u) => ({ 'data-user': u.id, className: u.disabled ? 'user-disabled' : undefined })}
          after={(u) => <UserPanel m={m} user={u} />}
          columns={[
            {
              key: 'email',
              header: 'E-post',
              rowHeader: true,
              cell: (u) => (
                <>
                  {u.email}
                  {m.isSelf(u) && <span className="badge">du</span>}
                </>
              ),
            },
            { key: 'name', header: 'Namn', cell: (u) => u.name },
            { key: 'role', header: 'Roll', cell: (u) => ROLE_LABELS[u.role] },
            { key: 'organisation', header: 'Organisation', cell: (u) => (u.organisation ? ORGANISATION_LABELS[u.organisation] : <span className="muted">–</span>) },
            { key: 'area', header: 'Stadsområde', cell: (u) => u.stadsomrade?.name ?? <span className="muted">–</span> },
            { key: 'status', header: 'Status', cell: (u) => (u.disabled ? 'Avstängd' : 'Aktiv') },
            { key: 'created', header: 'Skapad', cell: (u) => <time dateTime={u.createdAt}>{formatDate(u.createdAt)}</time> },
            { key: 'actions', header: <span className="sr-only">Hantera</span>, cell: (u) => <UserActions m={m} user={u} /> },
          ]}
        />
      )}
      <NewUserForm areaNames={m.areaNames} onCreated={(u) => m.done(`Kontot ${u.email} har skapats.`)} />
    </main>
  )
}

function UserActions({ m, user: u }: { m: UsersPageModel; user: UserDto }) {
  const panelId = `u${u.id}-panel`
  const toggle = (mode: PanelMode, label: string, className?: string) => (
    <button type="button" className={className} aria-expanded={m.panel?.userId === u.id && m.panel.mode === mode} aria-controls={panelId} onClick={(e) => m.toggle(u.id, mode, e.currentTarget)}>
      {label}
    </button>
  )
  return (
    <div className="actions" role="group" aria-label={`Hantera ${u.email}`}>
      {toggle('role', 'Ändra roll och organisation')}
      {toggle('password', 'Byt lösenord')}
      <button type="button" disabled={m.busy(u)} onClick={(e) => m.setDisabled(u, e.currentTarget)}>
        {u.disabled ? 'Aktivera' : 'Stäng av'}
      </button>
      {toggle('delete', 'Ta bort', 'danger')}
    </div>
  )
}

/** The row's open panel, in a row of its own under it. */
function UserPanel({ m, user: u }: { m: UsersPageModel; user: UserDto }) {
  const panel = m.panel?.userId === u.id ? m.panel : null
  if (!panel) return null
  const props = { user: u, onDone: m.done, onClose: m.close }
  let body: ReactNode
  if (panel.mode === 'problem')
    // A refused enable/disable: no form is open, the message stands on its own.
    body = (
      <div className="inline-form">
        <FormProblem problem={panel.problem} testId="user-error" />
        <button type="button" onClick={m.close}>
          Stäng
        </button>
      </div>
    )
  else if (panel.mode === 'role') body = <RoleForm {...props} areaNames={m.areaNames} />
  else if (panel.mode === 'password') body = <PasswordForm {...props} />
  else body = <DeleteConfirm {...props} self={m.isSelf(u)} />
  return (
    <tr className="row-panel" id={`u${u.id}-panel`}>
      <td colSpan={8}>{body}</td>
    </tr>
  )
}
