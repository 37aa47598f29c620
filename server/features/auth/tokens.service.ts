import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { recordAudit } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import type { SessionUser } from '../../http/access'
import { tokenHash } from './auth.service'
import type { ApiTokenDto, NewApiTokenDto, NewTokenInput } from './tokens.schema'

/** Recognisable in logs and secret scanners; the 32 random bytes after it are what makes it unguessable. */
export const TOKEN_PREFIX = 'lgb_'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

type Row = { id: number; name: string; created_at: Date | string; last_used_at: Date | string | null; expires_at: Date | string | null; revoked_at: Date | string | null }
const toDto = (r: Row): ApiTokenDto => ({ id: r.id, name: r.name, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at) })

/** A date means "through that day" (Stockholm is ahead of UTC, so the end of the UTC day covers it). */
function expiry(given: string | null | undefined): Date | null {
  if (!given) return null
  const at = /^\d{4}-\d{2}-\d{2}$/.test(given) ? new Date(`${given}T23:59:59.999Z`) : new Date(given)
  if (at.getTime() <= Date.now()) throw new AppError(422, 'validation_failed', 'Utgångsdatumet har redan passerat', [{ field: 'expiresAt', message: 'måste ligga i framtiden' }])
  return at
}

export async function listTokens(db: Kysely<Database>, user: SessionUser): Promise<ApiTokenDto[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
    .where('user_id', '=', user.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(toDto)
}

export async function createToken(db: Kysely<Database>, user: SessionUser, input: NewTokenInput): Promise<NewApiTokenDto> {
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const expires_at = expiry(input.expiresAt)
  const row = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('api_tokens')
      .values({ user_id: user.id, name: input.name, token_hash: tokenHash(secret), expires_at })
      .returning(['id', 'name', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
      .executeTakeFirstOrThrow()
    await recordAudit(trx, user, { action: 'create', entity: 'api_token', entityId: r.id, summary: `API-nyckeln ${r.name} skapad`, after: { name: r.name, expiresAt: iso(r.expires_at) } })
    return r
  })
  return { ...toDto(row), secret }
}

export async function revokeToken(db: Kysely<Database>, user: SessionUser, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst()
    if (!r) throw AppError.notFound(`Ingen giltig API-nyckel med id ${id} bland dina`, [{ field: 'id', message: 'finns inte eller är redan återkallad' }])
    await recordAudit(trx, user, { action: 'delete', entity: 'api_token', entityId: r.id, summary: `API-nyckeln ${r.name} återkallad` })
  })
}

/**
 * The user behind a bearer token, or undefined for an unknown, expired or revoked one (or a disabled
 * account). Notes the use, at most once a minute per token, so reads do not each cost a write.
 */
export async function tokenUser(db: Kysely<Database>, secret: string): Promise<SessionUser | undefined> {
  const hash = tokenHash(secret)
  const t = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tokenId', 'u.id', 'u.email', 'u.name', 'u.role', 'u.stadsomrade_code', 'u.organisation'])
    .where('t.token_hash', '=', hash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
    .where('u.disabled', '=', false)
    .executeTakeFirst()
  if (!t) return undefined
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', t.tokenId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute()
  // No CSRF token: a bearer request never writes (the session middleware refuses it first).
  return { id: t.id, email: t.email, name: t.name, role: t.role, stadsomradeCode: t.stadsomrade_code, organisation: t.organisation, csrfToken: '' }
}
