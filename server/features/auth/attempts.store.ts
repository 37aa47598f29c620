import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit'
import type { Database } from '../../../db/schema'

const hash = (key: string) => createHash('sha256').update(key).digest('hex')

/**
 * express-rate-limit's counter kept in the database: every instance of the app on the same database counts
 * the same failed sign-ins, and a restart forgets none. One upsert per attempt, atomic on both engines.
 */
export class DatabaseAttemptStore implements Store {
  readonly localKeys = false
  #windowMs = 60_000
  #writes = 0

  constructor(
    private readonly db: Kysely<Database>,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.#windowMs = options.windowMs
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.db
      .selectFrom('sign_in_attempts')
      .select(['hits', 'reset_at'])
      .where('key_hash', '=', hash(this.prefix + key))
      .where('reset_at', '>', sql<Date>`now()`)
      .executeTakeFirst()
    return row ? { totalHits: row.hits, resetTime: new Date(row.reset_at) } : undefined
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const window = `${this.#windowMs} milliseconds`
    // An expired window starts over at 1; a live one counts on.
    const { rows } = await sql<{ hits: number; reset_at: Date | string }>`
      INSERT INTO sign_in_attempts (key_hash, hits, reset_at)
      VALUES (${hash(this.prefix + key)}, 1, now() + ${window}::interval)
      ON CONFLICT (key_hash) DO UPDATE SET
        hits = CASE WHEN sign_in_attempts.reset_at <= now() THEN 1 ELSE sign_in_attempts.hits + 1 END,
        reset_at = CASE WHEN sign_in_attempts.reset_at <= now() THEN now() + ${window}::interval ELSE sign_in_attempts.reset_at END
      RETURNING hits, reset_at`.execute(this.db)
    if (++this.#writes % 100 === 0) await this.db.deleteFrom('sign_in_attempts').where('reset_at', '<', sql<Date>`now()`).execute()
    const row = rows[0]!
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) }
  }

  async decrement(key: string): Promise<void> {
    await this.db
      .updateTable('sign_in_attempts')
      .set({ hits: sql<number>`greatest(hits - 1, 0)` })
      .where('key_hash', '=', hash(this.prefix + key))
      .execute()
  }

  async resetKey(key: string): Promise<void> {
    await this.db.deleteFrom('sign_in_attempts').where('key_hash', '=', hash(this.prefix + key)).execute()
  }
}
