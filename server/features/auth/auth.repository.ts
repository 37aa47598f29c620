import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, Organisation, Role } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export async function findUser(db: Executor, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listUsers(db: Executor) {
  return db.selectFrom('users').selectAll().orderBy('email').execute()
}

export async function insertUser(
  db: Executor,
  u: { email: string; name: string; password_hash: string; role: Role; stadsomrade_code: string | null; organisation: Organisation | null },
) {
  return db.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow()
}

export async function updateUser(
  db: Executor,
  id: number,
  patch: Partial<{ name: string; password_hash: string; role: Role; stadsomrade_code: string | null; organisation: Organisation | null; disabled: boolean }>,
) {
  return db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function deleteUser(db: Executor, id: number) {
  await db.deleteFrom('users').where('id', '=', id).execute()
}

export async function countActiveAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** The current stadsområde matching a code or a name (any case). */
export async function findStadsomrade(db: Executor, codeOrName: string) {
  return db
    .selectFrom('areas')
    .select(['id', 'code', 'name'])
    .where('layer_id', '=', 'stadsomrade')
    .where('valid_to', 'is', null)
    .where((e) => e.or([e(sql`lower(code)`, '=', codeOrName.toLowerCase()), e(sql`lower(name)`, '=', codeOrName.toLowerCase())]))
    .executeTakeFirst()
}

export async function stadsomradeNames(db: Executor) {
  return db.selectFrom('areas').select(['code', 'name']).where('layer_id', '=', 'stadsomrade').where('valid_to', 'is', null).orderBy('code').execute()
}

export async function insertSession(db: Executor, s: { token_hash: string; user_id: number; csrf_token: string; expires_at: Date }) {
  await db.insertInto('sessions').values(s).execute()
}

/** A live session with its user, or nothing (expired, unknown, or the account is disabled). */
export async function findSession(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.role', 'u.stadsomrade_code', 'u.organisation', 's.csrf_token', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled', '=', false)
    .executeTakeFirst()
}

export async function deleteSession(db: Executor, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}

export async function deleteSessionsOf(db: Executor, userId: number) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

export async function deleteExpiredSessions(db: Executor) {
  await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).execute()
}

export async function listAudit(db: Executor, q: { entity?: string; limit: number; before?: number }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit)
  if (q.entity) query = query.where('entity', '=', q.entity)
  if (q.before) query = query.where('id', '<', q.before)
  return query.execute()
}

/** Whether anything but the seed and the demo data was ever imported (then no demo accounts are made). */
export async function hasRealImport(db: Executor): Promise<boolean> {
  return (await db.selectFrom('import_log').select('id').where('is_demo', '=', false).where('kind', '<>', 'seed').executeTakeFirst()) !== undefined
}
