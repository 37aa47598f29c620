import type { Kysely, Transaction } from 'kysely'
import { recordAudit, type Actor } from './audit'
import type { Database, Organisation, Role } from './schema'

/** Printed by `npm start` and in the README: it must never guard real data. */
export const DEMO_PASSWORD = 'demo-lagesbild'

export const DEMO_ACCOUNTS: Array<{ email: string; name: string; role: Role; stadsomrade: string | null; organisation: Organisation | null }> = [
  { email: 'admin@demo.lagesbild.se', name: 'Demo-administratör', role: 'admin', stadsomrade: null, organisation: null },
  { email: 'analytiker@demo.lagesbild.se', name: 'Demo-analytiker', role: 'analyst', stadsomrade: null, organisation: 'staden' },
  { email: 'lokal@demo.lagesbild.se', name: 'Demo, lokal ledningsgrupp Nordost', role: 'local', stadsomrade: 'Nordost', organisation: 'staden' },
]

/**
 * Real use has begun (a real import, the first admin from `npm run user:add`): every still active demo account
 * is disabled and signed out, each audited, in the caller's transaction so the change lands with its cause.
 * Shared by the imports and auth features, so it lives here. Returns the e-mails it disabled.
 */
export async function endDemoAccounts(db: Kysely<Database> | Transaction<Database>, actor: Actor, reason: string): Promise<string[]> {
  const ended = await db
    .updateTable('users')
    .set({ disabled: true })
    .where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email))
    .where('disabled', '=', false)
    .returning(['id', 'email', 'role'])
    .execute()
  for (const u of ended) {
    await db.deleteFrom('sessions').where('user_id', '=', u.id).execute()
    await recordAudit(db, actor, {
      action: 'update',
      entity: 'user',
      entityId: u.id,
      summary: `Demokontot ${u.email} avstängt: ${reason}`,
      before: { email: u.email, role: u.role, disabled: false },
      after: { email: u.email, role: u.role, disabled: true },
    })
  }
  return ended.map((u) => u.email)
}
