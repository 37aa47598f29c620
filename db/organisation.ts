import type { Kysely } from 'kysely'
import type { Database } from './schema'

/**
 * The agreement's local ledningsgrupper, one per current stadsområde, as `lokal:<code>` (the ids the decision
 * register already uses). The stadsområden arrive with the boundaries, after the migrations, so boot calls this;
 * idempotent, and a group whose stadsområde is gone stays (its meetings and decisions keep their group).
 */
export async function ensureAgreementGroups(db: Kysely<Database>): Promise<string[]> {
  const areas = await db.selectFrom('areas').select(['code', 'name']).where('layer_id', '=', 'stadsomrade').where('valid_to', 'is', null).execute()
  if (areas.length === 0) return []
  const added = await db
    .insertInto('groups')
    .values(areas.map((a) => ({ id: `lokal:${a.code}`, name: `Ledningsgrupp Trygg i ${a.name}`, kind: 'lokal_ledningsgrupp' as const, stadsomrade_code: a.code, mandate: null })))
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute()
  return added.map((r) => r.id)
}
