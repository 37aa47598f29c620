import { useState, type KeyboardEvent } from 'react'
import { useForm, type FieldPath } from 'react-hook-form'
import type { UserDto } from '../../../../server/features/auth/auth.schema'
import { FormProblem } from '../../components/FormProblem'
import { Select, type Option } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { ROLE_LABELS } from '../../lib/session'
import { useCreateUser, useDeleteUser, useUpdateUser, type Organisation, type Role } from './queries'

const ROLE_OPTIONS: Option[] = (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: ROLE_LABELS[r] }))
export const ORGANISATION_LABELS: Record<Organisation, string> = { staden: 'Staden', polisen: 'Polisen' }
// '' stands for "none given" (a select cannot hold null).
const ORGANISATION_OPTIONS: Option[] = [...(Object.keys(ORGANISATION_LABELS) as Organisation[]).map((o) => ({ value: o, label: ORGANISATION_LABELS[o] })), { value: '', label: 'Ingen angiven' }]
const organisationOf = (value: string): Organisation | null => (value === '' ? null : (value as Organisation))
const areaOptions = (names: string[]): Option[] => [{ value: '', label: 'Välj stadsområde' }, ...names.map((n) => ({ value: n, label: n }))]

const PASSWORD_RULES = {
  required: 'ange ett lösenord',
  minLength: { value: 10, message: 'lösenordet måste ha minst 10 tecken' },
  maxLength: { value: 200, message: 'lösenordet får ha högst 200 tecken' },
}

/** A panel form's buttons: save, or close without saving. */
function Actions({ label, busy, onClose }: { label: string; busy: boolean; onClose(): void }) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy}>
        {label}
      </button>
      <button type="button" onClick={onClose}>
        Avbryt
      </button>
    </div>
  )
}

interface PanelProps {
  user: UserDto
  onDone(message: string): void
  onClose(): void
}

const escapeCloses = (onClose: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Escape') onClose()
}

export function RoleForm({ user: u, areaNames, onDone, onClose }: PanelProps & { areaNames: string[] }) {
  const prefix = `u${u.id}`
  const update = useUpdateUser()
  const { register, handleSubmit, setError, watch, formState } = useForm<{ role: Role; stadsomrade: string; organisation: string }>({
    defaultValues: { role: u.role, stadsomrade: u.stadsomrade?.name ?? '', organisation: u.organisation ?? '' },
  })
  const { errors } = formState
  const [rest, setRest] = useState<ApiDetail[]>([])
  const submit = handleSubmit(({ role, stadsomrade, organisation }) =>
    update.mutate(
      { id: u.id, change: { role, ...(role === 'local' && { stadsomrade: stadsomrade || null }), organisation: organisationOf(organisation) } },
      { onSuccess: () => onDone(`Roll och organisation för ${u.email} har sparats.`), onError: (e) => setRest(showServerErrors(e, setError, ['role', 'stadsomrade', 'organisation'])) },
    ),
  )
  return (
    <form className="inline-form" aria-label={`Ändra roll och organisation för ${u.email}`} onSubmit={(e) => void submit(e)} onKeyDown={escapeCloses(onClose)} noValidate>
      <FormProblem problem={update.error} details={rest} testId="user-error" />
      <Select id={`${prefix}-role`} label="Roll" autoFocus options={ROLE_OPTIONS} error={errors.role?.message} {...register('role')} />
      {watch('role') === 'local' && <Select id={`${prefix}-area`} label="Stadsområde" options={areaOptions(areaNames)} error={errors.stadsomrade?.message} {...register('stadsomrade')} />}
      <Select id={`${prefix}-organisation`} label="Organisation" options={ORGANISATION_OPTIONS} error={errors.organisation?.message} {...register('organisation')} />
      <Actions label="Spara" busy={update.isPending} onClose={onClose} />
    </form>
  )
}

export function PasswordForm({ user: u, onDone, onClose }: PanelProps) {
  const id = `u${u.id}-pw`
  const update = useUpdateUser()
  const { register, handleSubmit, setError, formState } = useForm<{ password: string }>({ defaultValues: { password: '' } })
  const { errors } = formState
  const [rest, setRest] = useState<ApiDetail[]>([])
  const submit = handleSubmit(({ password }) =>
    update.mutate({ id: u.id, change: { password } }, { onSuccess: () => onDone(`Lösenordet för ${u.email} har bytts.`), onError: (e) => setRest(showServerErrors(e, setError, ['password'])) }),
  )
  return (
    <form className="inline-form" aria-label={`Nytt lösenord för ${u.email}`} onSubmit={(e) => void submit(e)} onKeyDown={escapeCloses(onClose)} noValidate>
      <FormProblem problem={update.error} details={rest} testId="user-error" />
      <TextField id={id} label="Nytt lösenord (minst 10 tecken)" type="password" autoComplete="new-password" autoFocus error={errors.password?.message} {...register('password', PASSWORD_RULES)} />
      <Actions label="Byt lösenord" busy={update.isPending} onClose={onClose} />
    </form>
  )
}

export function DeleteConfirm({ user: u, self, onDone, onClose }: PanelProps & { self: boolean }) {
  const remove = useDeleteUser()
  return (
    <div className="inline-form" role="group" aria-label={`Ta bort ${u.email}`} onKeyDown={escapeCloses(onClose)}>
      <FormProblem problem={remove.error} testId="user-error" />
      <p>
        Ta bort kontot <strong>{u.email}</strong>
        {self ? ' (ditt eget konto)' : ''}? Det går inte att ångra.
      </p>
      <div className="actions">
        <button type="button" className="danger" autoFocus disabled={remove.isPending} onClick={() => remove.mutate(u.id, { onSuccess: () => onDone(`Kontot ${u.email} har tagits bort.`) })}>
          Ja, ta bort
        </button>
        <button type="button" onClick={onClose}>
          Avbryt
        </button>
      </div>
    </div>
  )
}

interface NewUserValues {
  email: string
  name: string
  password: string
  role: Role
  stadsomrade: string
  organisation: string
}
const EMPTY: NewUserValues = { email: '', name: '', password: '', role: 'analyst', stadsomrade: '', organisation: '' }
const NEW_USER_FIELDS: Array<FieldPath<NewUserValues>> = ['email', 'name', 'password', 'role', 'stadsomrade', 'organisation']

export function NewUserForm({ areaNames, onCreated }: { areaNames: string[]; onCreated(u: UserDto): void }) {
  const prefix = 'new-user'
  const create = useCreateUser()
  const { register, handleSubmit, setError, watch, reset, formState } = useForm<NewUserValues>({ defaultValues: EMPTY })
  const { errors } = formState
  const [rest, setRest] = useState<ApiDetail[]>([])
  const submit = handleSubmit(({ stadsomrade, organisation, ...values }) =>
    create.mutate({ ...values, ...(values.role === 'local' && { stadsomrade: stadsomrade || null }), organisation: organisationOf(organisation) }, {
      onSuccess: (u) => {
        reset(EMPTY)
        onCreated(u)
      },
      onError: (e) => setRest(showServerErrors(e, setError, NEW_USER_FIELDS)),
    }),
  )
  const input = (field: 'email' | 'name' | 'password', label: string, type: string, autoComplete: string, rules: Parameters<typeof register>[1]) => (
    <TextField id={`${prefix}-${field}`} label={label} type={type} autoComplete={autoComplete} error={errors[field]?.message} {...register(field, rules)} />
  )

  return (
    <form className="admin-form" aria-label="Nytt konto" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Nytt konto</h2>
      <FormProblem problem={create.error} details={rest} testId="user-error" />
      <div className="field-row">
        {input('email', 'E-post', 'email', 'off', { required: 'ange en e-postadress', pattern: { value: /^\S+@\S+\.\S+$/, message: 'ogiltig e-postadress' } })}
        {input('name', 'Namn', 'text', 'off', { maxLength: { value: 200, message: 'namnet får ha högst 200 tecken' } })}
      </div>
      <div className="field-row">
        {input('password', 'Lösenord (minst 10 tecken)', 'password', 'new-password', PASSWORD_RULES)}
        <Select id={`${prefix}-role`} label="Roll" options={ROLE_OPTIONS} error={errors.role?.message} {...register('role')} />
        {watch('role') === 'local' && (
          <Select id={`${prefix}-stadsomrade`} label="Stadsområde" options={areaOptions(areaNames)} error={errors.stadsomrade?.message} {...register('stadsomrade')} />
        )}
        <Select id={`${prefix}-organisation`} label="Organisation" options={ORGANISATION_OPTIONS} error={errors.organisation?.message} {...register('organisation')} />
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>
        Skapa konto
      </button>
    </form>
  )
}
