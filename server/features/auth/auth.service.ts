import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import { keptPerGeneration } from '../../../db/changes'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, endDemoAccounts } from '../../../db/demo-accounts'
import type { Database, Organisation, Role } from '../../../db/schema'
import { AppError } from '../../errors'
import type { SessionUser } from '../../http/access'
import * as repo from './auth.repository'
import type { AuditEntryDto, NewUserInput, UserDto, UserPatch } from './auth.schema'
import { burnTime, hashPassword, verifyPassword } from './passwords'

export const SESSION_HOURS = 12

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>

async function toUserDto(db: Kysely<Database>, u: UserRow): Promise<UserDto> {
  const area = u.stadsomrade_code ? await repo.findStadsomrade(db, u.stadsomrade_code) : undefined
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    stadsomrade: u.stadsomrade_code ? { code: u.stadsomrade_code, name: area?.name ?? u.stadsomrade_code } : null,
    organisation: u.organisation,
    disabled: u.disabled,
    createdAt: new Date(u.created_at).toISOString(),
  }
}

/** What the audit log keeps of an account: never the password hash. */
const auditable = (u: UserRow) => ({ email: u.email, name: u.name, role: u.role, stadsomrade: u.stadsomrade_code, organisation: u.organisation, disabled: u.disabled })

/** Checks a password and opens a session; the same error for an unknown e-mail and a wrong password. */
export async function signIn(db: Kysely<Database>, email: string, password: string) {
  const user = await repo.findUserByEmail(db, email)
  if (!user || user.disabled) {
    await burnTime(password)
    throw AppError.unauthorized('Fel e-postadress eller lösenord')
  }
  if (!(await verifyPassword(password, user.password_hash))) throw AppError.unauthorized('Fel e-postadress eller lösenord')
  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(32).toString('base64url')
  await repo.deleteExpiredSessions(db)
  await repo.insertSession(db, {
    token_hash: tokenHash(token),
    user_id: user.id,
    csrf_token: csrfToken,
    expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
  })
  return { token, csrfToken, user: await toUserDto(db, user) }
}

/**
 * Sessions found, kept in memory until any write commits (a sign-out, a changed role or a disabled account
 * among them) or the session expires: a signed-in read costs no query.
 */
const sessions = keptPerGeneration<{ user: SessionUser; expiresAt: number }>({ maxEntries: 10_000 })

/**
 * Lookups under way per database and token, shared by the requests that arrive meanwhile at the same
 * generation: after a save, the many readers of one session ask the database once, not each.
 */
const reading = new WeakMap<object, Map<string, { generation: number; found: Promise<{ user: SessionUser; expiresAt: number } | undefined> }>>()

async function readSession(db: Kysely<Database>, hash: string): Promise<{ user: SessionUser; expiresAt: number } | undefined> {
  const s = await repo.findSession(db, hash)
  if (!s) return undefined
  const user: SessionUser = { id: s.id, email: s.email, name: s.name, role: s.role, stadsomradeCode: s.stadsomrade_code, organisation: s.organisation, csrfToken: s.csrf_token }
  return { user, expiresAt: new Date(s.expires_at).getTime() }
}

export async function sessionUser(db: Kysely<Database>, token: string): Promise<SessionUser | undefined> {
  const hash = tokenHash(token)
  const kept = sessions.get(db, hash)
  if (kept && kept.expiresAt > Date.now()) return kept.user
  const generation = sessions.begin(db)
  if (generation === undefined) return (await readSession(db, hash))?.user
  const pending = reading.get(db) ?? reading.set(db, new Map()).get(db)!
  let read = pending.get(hash)
  if (!read || read.generation !== generation) {
    const mine = { generation, found: readSession(db, hash) }
    pending.set(hash, (read = mine))
    mine.found
      .then((f) => f && sessions.set(db, generation, hash, f), () => {})
      .finally(() => pending.get(hash) === mine && pending.delete(hash))
  }
  return (await read.found)?.user
}

export async function signOut(db: Kysely<Database>, token: string) {
  await repo.deleteSession(db, tokenHash(token))
}

export async function describeSessionUser(db: Kysely<Database>, u: SessionUser) {
  const area = u.stadsomradeCode ? await repo.findStadsomrade(db, u.stadsomradeCode) : undefined
  return {
    email: u.email,
    name: u.name,
    role: u.role,
    stadsomrade: u.stadsomradeCode ? { code: u.stadsomradeCode, name: area?.name ?? u.stadsomradeCode } : null,
    organisation: u.organisation,
  }
}

/** A local account belongs to one stadsområde; admins and analysts to none. */
async function resolveStadsomrade(db: Kysely<Database>, role: Role, given: string | null | undefined): Promise<string | null> {
  if (role !== 'local') {
    if (given) throw new AppError(422, 'validation_failed', 'Bara lokala konton hör till ett stadsområde', [{ field: 'stadsomrade', message: 'anges bara för rollen local' }])
    return null
  }
  if (!given) throw new AppError(422, 'validation_failed', 'Ett lokalt konto måste höra till ett stadsområde', [{ field: 'stadsomrade', message: 'saknas' }])
  const area = await repo.findStadsomrade(db, given)
  if (!area) {
    const known = (await repo.stadsomradeNames(db)).map((a) => a.name).join(', ')
    throw new AppError(422, 'validation_failed', `Okänt stadsområde: ${given}`, [{ field: 'stadsomrade', message: `finns inte; välj bland ${known}` }])
  }
  return area.code
}

export async function listUserDtos(db: Kysely<Database>): Promise<UserDto[]> {
  return Promise.all((await repo.listUsers(db)).map((u) => toUserDto(db, u)))
}

/**
 * `endDemoAccounts`: the command line's first admin marks the start of real use, so the demo accounts end
 * in the same transaction as the account is made.
 */
export async function createUser(db: Kysely<Database>, actor: Actor, input: NewUserInput, options: { endDemoAccounts?: boolean } = {}): Promise<UserDto> {
  const stadsomradeCode = await resolveStadsomrade(db, input.role, input.stadsomrade)
  const password_hash = await hashPassword(input.password)
  const row = await db.transaction().execute(async (trx) => {
    if (await repo.findUserByEmail(trx, input.email)) {
      throw new AppError(409, 'conflict', `Det finns redan ett konto för ${input.email}`, [{ field: 'email', message: 'används redan' }])
    }
    const u = await repo.insertUser(trx, { email: input.email, name: input.name, password_hash, role: input.role, stadsomrade_code: stadsomradeCode, organisation: input.organisation ?? null })
    await recordAudit(trx, actor, { action: 'create', entity: 'user', entityId: u.id, summary: `Konto ${u.email} (${u.role}) skapat`, after: auditable(u) })
    if (options.endDemoAccounts && u.role === 'admin') await endDemoAccounts(trx, actor, `administratören ${u.email} skapad med npm run user:add`)
    return u
  })
  return toUserDto(db, row)
}

export async function patchUser(db: Kysely<Database>, actor: Actor, id: number, patch: UserPatch): Promise<UserDto> {
  const before = await repo.findUser(db, id)
  if (!before) throw AppError.notFound(`Inget konto med id ${id}`, [{ field: 'id', message: 'finns inte' }])
  const role = patch.role ?? before.role
  const stadsomrade = patch.stadsomrade !== undefined ? patch.stadsomrade : role === 'local' ? before.stadsomrade_code : null
  const stadsomrade_code = await resolveStadsomrade(db, role, stadsomrade)
  const password_hash = patch.password ? await hashPassword(patch.password) : undefined
  const row = await db.transaction().execute(async (trx) => {
    const after = await repo.updateUser(trx, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(password_hash && { password_hash }),
      ...(patch.disabled !== undefined && { disabled: patch.disabled }),
      ...(patch.organisation !== undefined && { organisation: patch.organisation }),
      role,
      stadsomrade_code,
    })
    if ((await repo.countActiveAdmins(trx)) === 0) {
      throw new AppError(409, 'conflict', 'Det måste finnas minst en aktiv administratör', [{ field: 'role', message: 'sista administratören' }])
    }
    // A changed role, password or a disabled account takes effect now, not when the session expires.
    if (password_hash || patch.disabled || role !== before.role || stadsomrade_code !== before.stadsomrade_code) await repo.deleteSessionsOf(trx, id)
    const changed = [
      patch.password ? 'lösenord' : null,
      role !== before.role ? `roll ${before.role} → ${role}` : null,
      after.organisation !== before.organisation ? `organisation ${before.organisation ?? 'ingen'} → ${after.organisation ?? 'ingen'}` : null,
      patch.disabled !== undefined && patch.disabled !== before.disabled ? (patch.disabled ? 'avstängt' : 'aktiverat') : null,
    ]
    await recordAudit(trx, actor, {
      action: 'update',
      entity: 'user',
      entityId: id,
      summary: `Konto ${before.email} ändrat${changed.some(Boolean) ? `: ${changed.filter(Boolean).join(', ')}` : ''}`,
      before: auditable(before),
      after: { ...auditable(after), ...(patch.password ? { password: 'ändrat' } : {}) },
    })
    return after
  })
  return toUserDto(db, row)
}

export async function removeUser(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await repo.findUser(trx, id)
    if (!before) throw AppError.notFound(`Inget konto med id ${id}`, [{ field: 'id', message: 'finns inte' }])
    await repo.deleteUser(trx, id)
    if ((await repo.countActiveAdmins(trx)) === 0) {
      throw new AppError(409, 'conflict', 'Det måste finnas minst en aktiv administratör', [{ field: 'id', message: 'sista administratören' }])
    }
    await recordAudit(trx, actor, { action: 'delete', entity: 'user', entityId: id, summary: `Konto ${before.email} borttaget`, before: auditable(before) })
  })
}

export async function auditEntries(db: Kysely<Database>, q: { entity?: string; limit: number; before?: number }): Promise<AuditEntryDto[]> {
  const rows = await repo.listAudit(db, q)
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    user: r.user_email,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    summary: r.summary,
    before: r.before ?? null,
    after: r.after ?? null,
  }))
}

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../../db/demo-accounts'

/**
 * A database holding only the demo data gets demo accounts, so `npm start` can be tried at once. Returns
 * the demo accounts whose password is still the published demo password (those must never guard real data).
 */
/** Is there any account at all (a fresh installation without the demo has none until user:add)? */
export async function hasAccounts(db: Kysely<Database>): Promise<boolean> {
  return (await repo.listUsers(db)).length > 0
}

export async function ensureDemoAccounts(db: Kysely<Database>): Promise<Array<{ email: string; role: Role }>> {
  const users = await repo.listUsers(db)
  if (users.length === 0) {
    if (await repo.hasRealImport(db)) return []
    const hash = await hashPassword(DEMO_PASSWORD)
    await db.transaction().execute(async (trx) => {
      for (const a of DEMO_ACCOUNTS) {
        const code = a.stadsomrade ? ((await repo.findStadsomrade(trx, a.stadsomrade))?.code ?? null) : null
        if (a.role === 'local' && !code) continue
        const u = await repo.insertUser(trx, { email: a.email, name: a.name, password_hash: hash, role: a.role, stadsomrade_code: code, organisation: a.organisation })
        await recordAudit(trx, { id: null, email: 'demostart' }, { action: 'create', entity: 'user', entityId: u.id, summary: `Demokonto ${u.email} skapat`, after: auditable(u) })
      }
    })
  }
  // scrypt runs on libuv's threads: checking the three accounts side by side keeps start-up short.
  const checked = await Promise.all(
    DEMO_ACCOUNTS.map(async (a) => {
      const u = await repo.findUserByEmail(db, a.email)
      return u && !u.disabled && (await verifyPassword(DEMO_PASSWORD, u.password_hash)) ? { email: u.email, role: u.role } : null
    }),
  )
  return checked.filter((a): a is { email: string; role: Role } => a !== null)
}

/**
 * At start, on a database holding real data (a real import): no account may keep the published demo password.
 * Those accounts are disabled (audited) rather than the start refused, so the service stays up and the data
 * stays closed; the operator makes an admin with `npm run user:add` or gives the account a new password.
 */
export async function retireDefaultPasswords(db: Kysely<Database>): Promise<Array<{ email: string; role: Role }>> {
  if (!(await repo.hasRealImport(db))) return []
  const active = (await repo.listUsers(db)).filter((u) => !u.disabled)
  // scrypt runs on libuv's threads: the accounts are checked side by side.
  const flags = await Promise.all(active.map((u) => verifyPassword(DEMO_PASSWORD, u.password_hash)))
  const weak = active.filter((_, i) => flags[i])
  if (weak.length === 0) return []
  await db.transaction().execute(async (trx) => {
    for (const u of weak) {
      const after = await repo.updateUser(trx, u.id, { disabled: true })
      await repo.deleteSessionsOf(trx, u.id)
      await recordAudit(trx, { id: null, email: 'uppstart' }, {
        action: 'update',
        entity: 'user',
        entityId: u.id,
        summary: `Konto ${u.email} avstängt vid start: demolösenordet i en databas med riktiga data`,
        before: auditable(u),
        after: auditable(after),
      })
    }
  })
  return weak.map((u) => ({ email: u.email, role: u.role }))
}
