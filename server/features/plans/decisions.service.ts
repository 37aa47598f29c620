import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { AppError, type ErrorDetail } from '../../errors'
import type { SessionUser } from '../../http/access'
import {
  affectLabels,
  affectRows,
  decisionReferences,
  deleteDecisionRow,
  existingRefs,
  insertDecision,
  ledningsgrupper,
  listDecisionRows,
  meetingGroup,
} from './decisions.repository'
import { LOCAL_PREFIX, decisionInput, type AffectKind, type DecisionDto, type DecisionFilters, type DecisionGroupDto, type DecisionInput } from './decisions.schema'

/** Who writes decisions and plans: a signed-in user, or the demo start (no account). */
export type ProcessEditor = Actor & Pick<SessionUser, 'role' | 'stadsomradeCode'>

/** Today in Göteborg: a decision taken this evening is not "in the future" because UTC says tomorrow. */
export const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())

const AFFECT_NAMES: Record<AffectKind, string> = { problem_area: 'problemområde', plan: 'åtgärdsplan', measure: 'åtgärd', samverkansform: 'samverkansform', cycle: 'cykel' }

/** The ledningsgrupper that decide: Trygg i Göteborg and the local ones (the organisation's groups). */
export async function decisionGroups(db: Kysely<Database>): Promise<DecisionGroupDto[]> {
  return (await ledningsgrupper(db)).map((g) => ({ id: g.id, name: g.name }))
}

/** A group's name; a group whose stadsområde is gone keeps its id as its name. */
export const groupNameIn = (groups: DecisionGroupDto[], id: string) => groups.find((g) => g.id === id)?.name ?? id

/** Analysts and admins register any group's decisions; a local group only its own. */
export const mayDecideFor = (user: Pick<SessionUser, 'role' | 'stadsomradeCode'>, group: string) =>
  user.role !== 'local' || (user.stadsomradeCode !== null && group === `${LOCAL_PREFIX}${user.stadsomradeCode}`)

export async function listDecisions(db: Kysely<Database>, f: DecisionFilters & { ids?: number[] }): Promise<DecisionDto[]> {
  const rows = await listDecisionRows(db, f)
  if (rows.length === 0) return []
  const [groups, affects] = await Promise.all([decisionGroups(db), affectRows(db, rows.map((r) => r.id))])
  const labels = await affectLabels(db, affects)
  const order = Object.keys(AFFECT_NAMES)
  return rows.map((r) => ({
    id: r.id,
    date: r.date,
    group: r.group_id,
    groupName: groupNameIn(groups, r.group_id),
    meetingId: r.meeting_id,
    text: r.text,
    affects: affects
      .filter((a) => a.decision_id === r.id)
      .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.ref.localeCompare(b.ref, 'sv', { numeric: true }))
      .map((a) => ({
        kind: a.kind,
        id: a.kind === 'samverkansform' ? a.ref : Number(a.ref),
        label: labels.get(`${a.kind}:${a.ref}`) ?? `${AFFECT_NAMES[a.kind]} ${a.ref} (borttagen)`,
      })),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  }))
}

export async function getDecision(db: Kysely<Database>, id: number): Promise<DecisionDto> {
  const [d] = await listDecisions(db, { ids: [id] })
  if (!d) throw AppError.notFound(`Okänt beslut: ${id}`, [{ field: 'id', message: 'beslutet finns inte' }])
  return d
}

/** Field checks, the known groups and the meeting together: one 422 names every problem. */
async function validate(db: Kysely<Database>, body: unknown, groups: DecisionGroupDto[]): Promise<DecisionInput & { meeting: number | null }> {
  if (body === undefined || body === null || typeof body !== 'object') throw new AppError(422, 'validation_failed', 'Ett JSON-objekt krävs', [{ field: 'body', message: 'ett JSON-objekt krävs' }])
  const raw = body as Record<string, unknown>
  const result = decisionInput(localToday).safeParse(body)
  const details: ErrorDetail[] = result.success ? [] : result.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }))
  const has = (field: string) => details.some((d) => d.field === field)
  const group = typeof raw.group === 'string' ? raw.group.trim() : ''
  if (group && !has('group') && !groups.some((g) => g.id === group)) {
    details.push({ field: 'group', message: `okänd grupp; välj bland ${groups.map((g) => g.name).join(', ')}` })
  }
  // A meeting named must be one of the decision's group's meetings.
  let meeting: number | null = null
  if (raw.meetingId !== undefined && raw.meetingId !== null && raw.meetingId !== '' && !has('meetingId')) {
    const id = Number(raw.meetingId)
    const of = Number.isInteger(id) && id > 0 && id < 2 ** 31 ? await meetingGroup(db, id) : undefined
    if (of === undefined) details.push({ field: 'meetingId', message: `mötet ${String(raw.meetingId)} finns inte` })
    else if (of !== group) details.push({ field: 'meetingId', message: 'mötet hör till en annan grupp än beslutets' })
    else meeting = id
  }
  if (details.length || !result.success) throw new AppError(422, 'validation_failed', `Beslutet är inte komplett: ${details.length} fält behöver rättas.`, details)
  return { ...result.data, meeting }
}

/** Each thing a decision names must exist, named by its place in the list (affects.0.id). */
async function checkAffects(db: Kysely<Database>, affects: DecisionInput['affects']) {
  const details: ErrorDetail[] = []
  for (const kind of Object.keys(AFFECT_NAMES) as AffectKind[]) {
    const wanted = affects.map((a, i) => ({ ...a, i })).filter((a) => a.kind === kind)
    if (wanted.length === 0) continue
    const found = await existingRefs(db, kind, wanted.map((a) => String(a.id)))
    for (const a of wanted) if (!found.has(String(a.id))) details.push({ field: `affects.${a.i}.id`, message: `${AFFECT_NAMES[kind]} ${a.id} finns inte` })
  }
  details.sort((a, b) => Number(a.field!.split('.')[1]) - Number(b.field!.split('.')[1]))
  if (details.length) throw new AppError(422, 'validation_failed', 'Beslutet hänvisar till sådant som inte finns', details)
}

export async function createDecision(db: Kysely<Database>, user: ProcessEditor, body: unknown): Promise<DecisionDto> {
  const groups = await decisionGroups(db)
  const d = await validate(db, body, groups)
  if (!mayDecideFor(user, d.group)) {
    throw AppError.forbidden('En lokal ledningsgrupp registrerar bara sina egna beslut', [{ field: 'group', message: `välj ${groupNameIn(groups, `${LOCAL_PREFIX}${user.stadsomradeCode ?? ''}`)}` }])
  }
  await checkAffects(db, d.affects)
  const affects = [...new Map(d.affects.map((a) => [`${a.kind}:${a.id}`, { kind: a.kind, ref: String(a.id) }])).values()]
  const id = await db.transaction().execute(async (trx) => {
    const newId = await insertDecision(trx, { date: d.date, group: d.group, meetingId: d.meeting, text: d.text, createdBy: user.email }, affects)
    await recordAudit(trx, user, {
      action: 'create',
      entity: 'decision',
      entityId: newId,
      summary: `Beslut ${d.date} av ${groupNameIn(groups, d.group)} registrerat`,
      after: { date: d.date, group: d.group, meetingId: d.meeting, text: d.text, affects },
    })
    return newId
  })
  return getDecision(db, id)
}

/** A decision is a register entry: it goes only while nothing rests on it (a mistyped entry, caught at once). */
export async function deleteDecision(db: Kysely<Database>, user: Actor, id: number) {
  const current = await getDecision(db, id)
  const refs = await decisionReferences(db, id)
  const details: ErrorDetail[] = [
    ...refs.plans.map((p) => ({ field: 'id', message: `åtgärdsplanen ”${p.title}” version ${p.version} antogs genom beslutet` })),
    ...refs.problemAreas.map((p) => ({ field: 'id', message: `problemområdet ”${p.title}” version ${p.version} ändrades genom beslutet` })),
  ]
  if (details.length) throw new AppError(409, 'conflict', 'Beslutet kan inte tas bort: det som beslutades vilar på det', details)
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await deleteDecisionRow(trx, id))) throw AppError.notFound(`Okänt beslut: ${id}`)
      await recordAudit(trx, user, { action: 'delete', entity: 'decision', entityId: id, summary: `Beslut ${current.date} av ${current.groupName} borttaget`, before: current })
    })
  } catch (err) {
    // An adoption racing past the check above keeps its decision: the foreign key refuses the delete.
    if ((err as { code?: string }).code === '23503') throw new AppError(409, 'conflict', 'Beslutet kan inte tas bort: något antogs nyss genom det. Läs in sidan igen.')
    throw err
  }
}
