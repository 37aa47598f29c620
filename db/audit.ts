import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

/** Who did a write: a signed-in user, or the command line. */
export interface Actor {
  id: number | null
  email: string
}

export const CLI_ACTOR: Actor = { id: null, email: 'kommandoraden' }

export interface AuditEntry {
  action: 'create' | 'update' | 'delete' | 'import' | 'publish' | 'replace' | 'adopt' | 'approve'
  entity: 'import' | 'indicator' | 'measure' | 'place' | 'problem_area' | 'step_status' | 'user' | 'snapshot' | 'deck' | 'cycle' | 'cycle_step' | 'cause' | 'plan' | 'decision' | 'group' | 'meeting' | 'meeting_action' | 'samverkansform' | 'samverkansform_adaptation' | 'communication_plan' | 'statement' | 'field_report' | 'field_report_category' | 'alert' | 'api_token'
  entityId: string | number | null
  summary: string
  before?: unknown
  after?: unknown
}

/**
 * Every write records itself here, inside the write's own transaction: the log and the change land
 * together or not at all. Shared by all features, so it lives beside the schema.
 */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, actor: Actor, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: actor.id,
      user_email: actor.email,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId === null ? null : String(e.entityId),
      summary: e.summary,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute()
}
