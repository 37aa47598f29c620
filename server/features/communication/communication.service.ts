import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import * as repo from './communication.repository'
import type { CommunicationPlanDto, CommunicationPlanInput } from './communication.schema'

export async function getPlan(db: Kysely<Database>): Promise<CommunicationPlanDto> {
  const [plan, rows] = await Promise.all([repo.findPlan(db), repo.planRows(db)])
  return {
    version: plan.version,
    rows,
    updatedAt: plan.updated_at ? new Date(plan.updated_at).toISOString() : null,
    updatedBy: plan.updated_by || null,
  }
}

const line = (r: { topic: string; organisation: string; function: string }) => `${r.topic} (${r.organisation}): ${r.function}`

/** Replaces the whole plan: it is read and agreed as one document, so it is versioned as one. */
export async function savePlan(db: Kysely<Database>, actor: Actor, input: CommunicationPlanInput): Promise<CommunicationPlanDto> {
  await db.transaction().execute(async (trx) => {
    const current = await repo.findPlan(trx)
    const stale = () =>
      new AppError(409, 'conflict', `Kommunikationsplanen har ändrats av någon annan sedan du öppnade den (version ${input.version}, nu ${current.version}). Läs in den igen.`, [
        { field: 'version', message: `nu ${current.version}` },
      ])
    if (current.version !== input.version) throw stale()
    const before = await repo.planRows(trx)
    if (!(await repo.bumpPlan(trx, input.version, actor.email))) throw stale()
    await repo.replaceRows(trx, input.rows)
    const added = input.rows.filter((r) => !before.some((b) => line(b) === line(r))).length
    const removed = before.filter((b) => !input.rows.some((r) => line(b) === line(r))).length
    await recordAudit(trx, actor, {
      action: current.version === 0 ? 'create' : 'update',
      entity: 'communication_plan',
      entityId: 1,
      summary: `Kommunikationsplanen sparad: ${input.rows.length} rader (${added} nya eller ändrade, ${removed} borttagna), version ${input.version + 1}`,
      before: { rows: before },
      after: { rows: input.rows },
    })
  })
  return getPlan(db)
}
