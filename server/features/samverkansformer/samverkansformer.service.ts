import type { Kysely } from 'kysely'
import { recordAudit } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { changedFields } from '../../core/field-labels'
import { AppError, type ErrorDetail } from '../../errors'
import type { SessionUser } from '../../http/access'
import { parseBody } from '../../http/validate-body'
import {
  adaptationRow,
  adaptationRows,
  currentStadsomraden,
  decisionById,
  decisionsNaming,
  deleteAdaptation,
  historyData,
  insertHistory,
  linkDecision,
  measuresIn,
  samverkansformRows,
  updateAt,
  upsertAdaptation,
  type SamverkansformRow,
} from './samverkansformer.repository'
import {
  CITY_GROUP,
  adaptationInput,
  samverkansformPatch,
  type SamverkansformAdaptationDto,
  type SamverkansformDto,
  type SamverkansformSummaryDto,
} from './samverkansformer.schema'

type Editor = Pick<SessionUser, 'id' | 'email' | 'role' | 'stadsomradeCode'>

/** The fields a stale save reports as changed (labels in server/core/field-labels.ts). */
const FIELDS = ['description', 'agreement', 'agreementRef', 'parties', 'status'] as const
type Fields = Pick<SamverkansformSummaryDto, (typeof FIELDS)[number]>

const STATUS_NAMES = { aktiv: 'aktiv', vilande: 'vilande', avslutad: 'avslutad' } as const

const toSummary = (r: SamverkansformRow): SamverkansformSummaryDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  agreement: r.agreement,
  agreementRef: r.agreement_ref,
  parties: r.parties,
  status: r.status,
  version: r.version,
  updatedAt: new Date(r.updated_at).toISOString(),
})

const fieldsOf = (s: SamverkansformSummaryDto): Fields => ({ description: s.description, agreement: s.agreement, agreementRef: s.agreementRef, parties: s.parties, status: s.status })

/** Analysts and admins write every stadsområde's adaptation; a local group only its own. */
const mayAdapt = (user: Pick<SessionUser, 'role' | 'stadsomradeCode'>, code: string) => user.role === 'analyst' || user.role === 'admin' || (user.role === 'local' && user.stadsomradeCode === code)

const groupName = (groupId: string, areas: Array<{ code: string; name: string }>) =>
  groupId === CITY_GROUP
    ? 'Ledningsgrupp Trygg i Göteborg'
    : groupId.startsWith('lokal:')
      ? `Ledningsgrupp Trygg i ${areas.find((a) => `lokal:${a.code}` === groupId)?.name ?? groupId.slice('lokal:'.length)}`
      : groupId

export async function listSamverkansformer(db: Kysely<Database>): Promise<SamverkansformSummaryDto[]> {
  return (await samverkansformRows(db)).map(toSummary)
}

async function summaryOf(db: Kysely<Database>, id: string): Promise<SamverkansformSummaryDto> {
  const [row] = await samverkansformRows(db, id)
  if (!row) throw AppError.notFound(`Okänd samverkansform: ${id}`, [{ field: 'id', message: 'samverkansformen finns inte' }])
  return toSummary(row)
}

export async function getSamverkansform(db: Kysely<Database>, user: Pick<SessionUser, 'role' | 'stadsomradeCode'>, id: string): Promise<SamverkansformDto> {
  const s = await summaryOf(db, id)
  const [areas, adaptations, decisions, measures] = await Promise.all([currentStadsomraden(db), adaptationRows(db, id), decisionsNaming(db, id), measuresIn(db, id)])
  return {
    ...s,
    adaptations: areas.map((a): SamverkansformAdaptationDto => {
      const row = adaptations.find((x) => x.stadsomrade_code === a.code)
      return { stadsomradeCode: a.code, stadsomradeName: a.name, text: row?.text ?? '', updatedAt: row ? new Date(row.updated_at).toISOString() : null, editable: mayAdapt(user, a.code) }
    }),
    decisions: decisions.map((d) => ({ id: d.id, date: d.date, group: d.group_id, groupName: groupName(d.group_id, areas), text: d.text })),
    measures: measures.map((m) => ({ id: m.id, title: m.title, status: m.status, areaIds: m.areaIds, followUps: m.followUps })),
  }
}

/**
 * Revises a samverkansform. A change of status (started again, paused, ended) is the city-wide group's to
 * decide: it must name that group's decision, which is then linked to the samverkansform in the register.
 */
export async function updateSamverkansform(db: Kysely<Database>, user: Editor, id: string, body: unknown): Promise<SamverkansformDto> {
  const input = parseBody(samverkansformPatch, body)
  const current = await summaryOf(db, id)
  if (input.version !== current.version) {
    const seen = (await historyData(db, id, input.version)) as Fields | null
    throw new AppError(409, 'conflict', `Samverkansformen har ändrats av någon annan sedan du öppnade den (version ${input.version}, nu ${current.version}). Läs in den igen.`, changedFields(FIELDS, seen, fieldsOf(current)))
  }
  const next: Fields = {
    description: input.description ?? current.description,
    agreement: input.agreement ?? current.agreement,
    agreementRef: input.agreementRef ?? current.agreementRef,
    parties: input.parties ?? current.parties,
    status: input.status ?? current.status,
  }
  const statusChanged = next.status !== current.status
  const decisionId = input.decisionId ?? null
  const details: ErrorDetail[] = []
  if (decisionId === null && statusChanged) {
    details.push({ field: 'decisionId', message: 'en ändrad status kräver ett beslut av Ledningsgrupp Trygg i Göteborg' })
  } else if (decisionId !== null) {
    const d = await decisionById(db, decisionId)
    if (!d) details.push({ field: 'decisionId', message: `beslut ${decisionId} finns inte` })
    else if (d.group_id !== CITY_GROUP) details.push({ field: 'decisionId', message: 'beslutet måste vara fattat av Ledningsgrupp Trygg i Göteborg' })
  }
  if (details.length) throw new AppError(422, 'validation_failed', 'Samverkansformen kan inte sparas: ett beslut saknas eller är fel.', details)

  const changed = FIELDS.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(fieldsOf(current)[k]))
  if (changed.length === 0 && decisionId === null) return getSamverkansform(db, user, id)
  await db.transaction().execute(async (trx) => {
    if (!(await updateAt(trx, id, current.version, next))) throw new AppError(409, 'conflict', 'Samverkansformen ändrades samtidigt av någon annan. Läs in den igen.')
    await insertHistory(trx, id, current.version + 1, next, decisionId, user.email)
    if (decisionId !== null) await linkDecision(trx, decisionId, id)
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'samverkansform',
      entityId: id,
      summary: statusChanged
        ? `Samverkansformen ${current.name} är nu ${STATUS_NAMES[next.status]} (beslut ${decisionId})`
        : `Samverkansformen ${current.name} reviderad${decisionId !== null ? ` (beslut ${decisionId})` : ''}`,
      before: { version: current.version, ...fieldsOf(current) },
      after: { version: current.version + 1, ...next, decisionId },
    })
  })
  return getSamverkansform(db, user, id)
}

/** Writes (or, with empty text, removes) one stadsområde's local adaptation of a samverkansform. */
export async function setAdaptation(db: Kysely<Database>, user: Editor, id: string, code: string, body: unknown): Promise<SamverkansformDto> {
  const s = await summaryOf(db, id)
  const area = (await currentStadsomraden(db)).find((a) => a.code === code)
  if (!area) throw AppError.notFound(`Okänt stadsområde: ${code}`, [{ field: 'stadsomradeCode', message: 'stadsområdet finns inte' }])
  if (!mayAdapt(user, code)) {
    throw AppError.forbidden(`En lokal ledningsgrupp anpassar bara samverkansformer i sitt eget stadsområde, inte i ${area.name}`, [{ field: 'stadsomradeCode', message: 'inte ditt stadsområde' }])
  }
  const { text } = parseBody(adaptationInput, body)
  const before = await adaptationRow(db, id, code)
  if ((before?.text ?? '') === text) return getSamverkansform(db, user, id)
  await db.transaction().execute(async (trx) => {
    if (text === '') await deleteAdaptation(trx, id, code)
    else await upsertAdaptation(trx, id, code, text, user.email)
    await recordAudit(trx, user, {
      action: text === '' ? 'delete' : before ? 'update' : 'create',
      entity: 'samverkansform_adaptation',
      entityId: `${id}:${code}`,
      summary: `Lokal anpassning av ${s.name} i ${area.name} ${text === '' ? 'borttagen' : 'sparad'}`,
      before: before ? { text: before.text } : undefined,
      after: text === '' ? undefined : { text },
    })
  })
  return getSamverkansform(db, user, id)
}
