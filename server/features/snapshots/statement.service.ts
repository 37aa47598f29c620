import type { Kysely } from 'kysely'
import { recordAudit } from '../../../db/audit'
import type { Database, Organisation } from '../../../db/schema'
import { AppError } from '../../errors'
import type { SessionUser } from '../../http/access'
import * as snapshots from './snapshots.repository'
import * as repo from './statement.repository'
import type { StatementDto, StatementInput } from './statement.schema'

const ORG_NAMES: Record<Organisation, string> = { staden: 'staden', polisen: 'polisen' }
const PARTIES: Organisation[] = ['staden', 'polisen']
const iso = (d: Date | string) => new Date(d).toISOString()

function notFound(id: number) {
  return AppError.notFound(`Ingen ögonblicksbild med id ${id}`, [{ field: 'id', message: 'finns inte eller är inte publicerad' }])
}

/**
 * The statement as the caller may see it. Analysts see the draft and who approved; everyone else sees it
 * only once both parties have approved the current text (before that it does not exist for them).
 */
export async function readStatement(db: Kysely<Database>, id: number, internal: boolean): Promise<StatementDto | null> {
  const s = await snapshots.findSnapshot(db, id)
  if (!s || (!internal && !s.published_at)) throw notFound(id)
  const row = await repo.findStatement(db, id)
  const approvals = row ? await repo.statementApprovals(db, id) : []
  const approved = PARTIES.every((p) => approvals.some((a) => a.organisation === p))
  if (!internal && !approved) return null
  return {
    snapshotId: id,
    text: row?.text ?? '',
    version: row?.version ?? 0,
    approvals: approvals.map((a) => ({ organisation: a.organisation, ...(internal ? { email: a.user_email, name: a.user_name } : {}), approvedAt: iso(a.approved_at) })),
    approved,
    updatedAt: row ? iso(row.updated_at) : null,
    ...(internal && row ? { updatedBy: row.updated_by } : {}),
  }
}

export async function getStatement(db: Kysely<Database>, id: number, internal: boolean): Promise<StatementDto> {
  const dto = await readStatement(db, id, internal)
  if (!dto) throw AppError.notFound('Lägesbilden har ingen godkänd gemensam kommentar', [{ field: 'id', message: 'ingen kommentar godkänd av både staden och polisen' }])
  return dto
}

/**
 * Writes or replaces the statement. Drafting may start before publication; a changed text withdraws the
 * approvals given, since each party approved the words it read.
 */
export async function writeStatement(db: Kysely<Database>, user: SessionUser, id: number, input: StatementInput): Promise<StatementDto> {
  await db.transaction().execute(async (trx) => {
    const s = await snapshots.findSnapshot(trx, id)
    if (!s) throw notFound(id)
    const current = await repo.findStatement(trx, id)
    const version = current?.version ?? 0
    if (input.version !== undefined && input.version !== version) {
      throw new AppError(409, 'conflict', `Kommentaren har ändrats av någon annan sedan du öppnade den (version ${input.version}, nu ${version}). Läs in den igen.`, [{ field: 'version', message: `nu ${version}` }])
    }
    if (current?.text === input.text) return
    const approvals = current ? await repo.statementApprovals(trx, id) : []
    await repo.upsertStatement(trx, id, input.text, version + 1, user.email)
    await repo.clearApprovals(trx, id)
    await recordAudit(trx, user, {
      action: current ? 'update' : 'create',
      entity: 'statement',
      entityId: id,
      summary:
        `Gemensam kommentar till ”${s.title}” ${current ? 'ändrad' : 'skriven'} (version ${version + 1})` +
        (approvals.length ? `; godkännanden återkallade: ${approvals.map((a) => ORG_NAMES[a.organisation]).join(', ')}` : ''),
      before: current ? { text: current.text, approvals: approvals.map((a) => ({ organisation: a.organisation, email: a.user_email })) } : undefined,
      after: { text: input.text, approvals: [] },
    })
  })
  return (await readStatement(db, id, true))!
}

/** One approval per party, taken from the approver's account: the statement is public once both have approved. */
export async function approveStatement(db: Kysely<Database>, user: SessionUser, id: number, body: { version?: number }): Promise<StatementDto> {
  await db.transaction().execute(async (trx) => {
    const s = await snapshots.findSnapshot(trx, id)
    if (!s) throw notFound(id)
    const org = user.organisation
    if (!org) {
      throw AppError.forbidden('Ditt konto hör inte till staden eller polisen, så du kan inte godkänna för någon part. En administratör anger organisationen under Användare.', [
        { field: 'organisation', message: 'kontot saknar organisation' },
      ])
    }
    if (!s.published_at) {
      throw new AppError(409, 'conflict', `Publicera ”${s.title}” först: bara en publicerad lägesbild får en gemensam kommentar godkänd`, [{ field: 'id', message: 'inte publicerad' }])
    }
    const current = await repo.findStatement(trx, id)
    if (!current) throw new AppError(409, 'conflict', 'Det finns ingen kommentar att godkänna: skriv den först', [{ field: 'text', message: 'ingen kommentar' }])
    if (body.version !== undefined && body.version !== current.version) {
      throw new AppError(409, 'conflict', `Kommentaren har ändrats sedan du läste den (version ${body.version}, nu ${current.version}). Läs den nya texten innan du godkänner.`, [
        { field: 'version', message: `nu ${current.version}` },
      ])
    }
    if (!(await repo.insertApproval(trx, id, org, user))) {
      const given = (await repo.statementApprovals(trx, id)).find((a) => a.organisation === org)
      throw new AppError(409, 'conflict', `Kommentaren är redan godkänd för ${ORG_NAMES[org]}${given ? ` (av ${given.user_name || given.user_email})` : ''}`, [
        { field: 'organisation', message: `${ORG_NAMES[org]} har redan godkänt` },
      ])
    }
    const approvals = await repo.statementApprovals(trx, id)
    const both = PARTIES.every((p) => approvals.some((a) => a.organisation === p))
    await recordAudit(trx, user, {
      action: 'approve',
      entity: 'statement',
      entityId: id,
      summary: `Gemensam kommentar till ”${s.title}” godkänd för ${ORG_NAMES[org]} (version ${current.version})${both ? ': godkänd av båda parter och publik' : ''}`,
      after: { organisation: org, version: current.version, approvedBy: PARTIES.filter((p) => approvals.some((a) => a.organisation === p)) },
    })
  })
  return (await readStatement(db, id, true))!
}
