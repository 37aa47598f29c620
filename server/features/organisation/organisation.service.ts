import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { AppError, type ErrorDetail } from '../../errors'
import type { SessionUser } from '../../http/access'
import { parseBody } from '../../http/validate-body'
import * as repo from './organisation.repository'
import {
  actionInput,
  actionPatch,
  groupInput,
  groupPatch,
  meetingInput,
  meetingPatch,
  type ArshjulDto,
  type ArshjulMeetingDto,
  type GroupDto,
  type MeetingActionDto,
  type MeetingDto,
  type RuleId,
  type RuleResultDto,
} from './organisation.schema'

export type OrganisationEditor = Actor & Pick<SessionUser, 'role' | 'stadsomradeCode'>

/** Today in Göteborg, for an action item marked done without a meeting. */
const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())
const ORG_NAMES = { staden: 'staden', polisen: 'polisen' } as const

export async function listGroups(db: Kysely<Database>, id?: string): Promise<GroupDto[]> {
  const rows = await repo.groupRows(db, id)
  const members = await repo.memberRows(db, rows.map((r) => r.id))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    stadsomradeCode: r.stadsomrade_code,
    members: members.filter((m) => m.group_id === r.id).map((m) => ({ function: m.function, organisation: m.organisation })),
    mandate: r.mandate ?? null,
    version: r.version,
  }))
}

async function getGroup(db: Kysely<Database>, id: string): Promise<GroupDto> {
  const [g] = await listGroups(db, id)
  if (!g) throw AppError.notFound(`Okänd grupp: ${id}`, [{ field: 'id', message: 'gruppen finns inte' }])
  return g
}

async function checkGivenBy(db: Kysely<Database>, givenBy: string | undefined) {
  if (givenBy === undefined) return
  if ((await repo.groupRows(db, givenBy)).length === 0) {
    throw new AppError(422, 'validation_failed', 'Uppdragsdirektivet hänvisar till en grupp som inte finns', [{ field: 'mandate.givenBy', message: `gruppen ${givenBy} finns inte` }])
  }
}

/** A working group with its uppdragsdirektiv; the agreement's own groups exist from the start. */
export async function createGroup(db: Kysely<Database>, user: Actor, body: unknown): Promise<GroupDto> {
  const g = parseBody(groupInput, body)
  await checkGivenBy(db, g.mandate.givenBy)
  const id = await db.transaction().execute(async (trx) => {
    const newId = `arbetsgrupp:${await repo.nextWorkingGroupNumber(trx)}`
    await repo.insertGroup(trx, { id: newId, name: g.name, mandate: g.mandate })
    await repo.replaceMembers(trx, newId, g.members)
    await recordAudit(trx, user, { action: 'create', entity: 'group', entityId: newId, summary: `Arbetsgruppen ${g.name} skapad`, after: g })
    return newId
  })
  return getGroup(db, id)
}

export async function updateGroup(db: Kysely<Database>, user: Actor, id: string, body: unknown): Promise<GroupDto> {
  const p = parseBody(groupPatch, body)
  const before = await getGroup(db, id)
  if (p.mandate !== undefined && before.kind !== 'arbetsgrupp') {
    throw new AppError(422, 'validation_failed', 'Bara en arbetsgrupp har ett uppdragsdirektiv', [{ field: 'mandate', message: 'bara arbetsgrupper har uppdragsdirektiv' }])
  }
  if (p.mandate === null) throw new AppError(422, 'validation_failed', 'En arbetsgrupp behöver ett uppdragsdirektiv', [{ field: 'mandate', message: 'uppdragsdirektivet krävs' }])
  await checkGivenBy(db, p.mandate?.givenBy)
  if (p.version !== before.version) throw stale('Gruppen', p.version, before.version)
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateGroupAt(trx, id, p.version, { name: p.name, mandate: p.mandate }))) throw stale('Gruppen', p.version, p.version + 1)
    if (p.members) await repo.replaceMembers(trx, id, p.members)
    await recordAudit(trx, user, { action: 'update', entity: 'group', entityId: id, summary: `Gruppen ${p.name ?? before.name} ändrad`, before, after: p })
  })
  return getGroup(db, id)
}

const stale = (what: string, read: number, now: number) =>
  new AppError(409, 'conflict', `${what} har ändrats av någon annan sedan du öppnade den (version ${read}, nu ${now}). Läs in den igen.`, [{ field: 'version', message: `du läste version ${read}, nu gäller ${now}` }])

/** Analysts and admins keep every group's meetings; a local user only its own local ledningsgrupp's. */
export const mayKeepMeetingsOf = (user: Pick<SessionUser, 'role' | 'stadsomradeCode'>, groupId: string) =>
  user.role !== 'local' || (user.stadsomradeCode !== null && groupId === `lokal:${user.stadsomradeCode}`)

function requireMayKeep(user: OrganisationEditor, groupId: string) {
  if (!mayKeepMeetingsOf(user, groupId)) {
    throw AppError.forbidden('En lokal användare för bara sin egen lokala ledningsgrupps möten', [{ field: 'groupId', message: `välj lokal:${user.stadsomradeCode ?? ''}` }])
  }
}

export async function listMeetings(db: Kysely<Database>, f: { group?: string; year?: number; ids?: number[] }): Promise<MeetingDto[]> {
  const rows = await repo.meetingRows(db, f)
  if (rows.length === 0) return []
  const groupIds = [...new Set(rows.map((r) => r.group_id))]
  const [groups, actions, decisions] = await Promise.all([repo.groupRows(db), repo.actionRowsOfGroups(db, groupIds), repo.decisionsOfMeetings(db, rows.map((r) => r.id))])
  // Every meeting of these groups, to order "earlier" by date and then id.
  const all = await repo.meetingRows(db, {}).then((ms) => new Map(ms.filter((m) => groupIds.includes(m.group_id)).map((m) => [m.id, m])))
  const earlier = (a: { date: string; id: number }, b: { date: string; id: number }) => a.date < b.date || (a.date === b.date && a.id < b.id)
  const toDto = (a: (typeof actions)[number]): MeetingActionDto => ({
    id: a.id,
    meetingId: a.meeting_id,
    meetingDate: a.meeting_date,
    text: a.text,
    responsible: a.responsible,
    doneAt: a.done_at,
    doneMeetingId: a.done_meeting_id,
  })
  return rows.map((r) => ({
    id: r.id,
    groupId: r.group_id,
    groupName: groups.find((g) => g.id === r.group_id)?.name ?? r.group_id,
    date: r.date,
    fullDay: r.full_day,
    chairOrganisation: r.chair_organisation,
    notesOrganisation: r.notes_organisation,
    agenda: r.agenda,
    minutes: r.minutes,
    status: r.status,
    snapshotId: r.snapshot_id,
    version: r.version,
    actions: actions.filter((a) => a.meeting_id === r.id).map(toDto),
    carriedOver: actions
      .filter((a) => a.group_id === r.group_id && a.meeting_id !== r.id && earlier(all.get(a.meeting_id)!, r) && (a.done_at === null || a.done_meeting_id === r.id))
      .map(toDto),
    decisions: decisions.filter((d) => d.meeting_id === r.id).map((d) => ({ id: d.id, date: d.date, text: d.text })),
  }))
}

export async function getMeeting(db: Kysely<Database>, id: number): Promise<MeetingDto> {
  const [m] = await listMeetings(db, { ids: [id] })
  if (!m) throw AppError.notFound(`Okänt möte: ${id}`, [{ field: 'id', message: 'mötet finns inte' }])
  return m
}

/** A held meeting names its note-taker. */
function checkHeld(m: { status: string; notesOrganisation: string | null }) {
  if (m.status === 'genomford' && m.notesOrganisation === null) {
    throw new AppError(422, 'validation_failed', 'Ett genomfört möte behöver en antecknande organisation', [{ field: 'notesOrganisation', message: 'ange vem som förde anteckningarna' }])
  }
}

export async function createMeeting(db: Kysely<Database>, user: OrganisationEditor, body: unknown): Promise<MeetingDto> {
  const m = parseBody(meetingInput, body)
  const [group] = await repo.groupRows(db, m.groupId)
  if (!group) throw new AppError(422, 'validation_failed', 'Okänd grupp', [{ field: 'groupId', message: `gruppen ${m.groupId} finns inte` }])
  requireMayKeep(user, m.groupId)
  checkHeld(m)
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertMeeting(trx, m)
    await recordAudit(trx, user, { action: 'create', entity: 'meeting', entityId: newId, summary: `Möte ${m.date} i ${group.name} registrerat`, after: m })
    return newId
  })
  return getMeeting(db, id)
}

export async function updateMeeting(db: Kysely<Database>, user: OrganisationEditor, id: number, body: unknown): Promise<MeetingDto> {
  const p = parseBody(meetingPatch, body)
  const before = await getMeeting(db, id)
  requireMayKeep(user, before.groupId)
  const next = {
    date: p.date ?? before.date,
    fullDay: p.fullDay ?? before.fullDay,
    chairOrganisation: p.chairOrganisation ?? before.chairOrganisation,
    notesOrganisation: p.notesOrganisation !== undefined ? p.notesOrganisation : before.notesOrganisation,
    agenda: p.agenda ?? before.agenda,
    minutes: p.minutes ?? before.minutes,
    status: p.status ?? before.status,
    snapshotId: p.snapshotId !== undefined ? p.snapshotId : before.snapshotId,
  }
  checkHeld(next)
  // Only a published lägesbild can be a meeting's pack: its figures never change and may be shown.
  if (p.snapshotId != null && p.snapshotId !== before.snapshotId) {
    const s = await repo.snapshotRow(db, p.snapshotId)
    if (!s || !s.published_at) {
      throw new AppError(422, 'validation_failed', 'Bara en publicerad lägesbild kan bli mötesunderlag', [
        { field: 'snapshotId', message: s ? `”${s.title}” är inte publicerad` : `lägesbilden ${p.snapshotId} finns inte` },
      ])
    }
  }
  if (p.version !== before.version) throw stale('Mötet', p.version, before.version)
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateMeetingAt(trx, id, p.version, next))) throw stale('Mötet', p.version, p.version + 1)
    const { actions: _a, carriedOver: _c, decisions: _d, ...was } = before
    await recordAudit(trx, user, { action: 'update', entity: 'meeting', entityId: id, summary: `Möte ${next.date} i ${before.groupName} ändrat`, before: was, after: next })
  })
  return getMeeting(db, id)
}

export async function addAction(db: Kysely<Database>, user: OrganisationEditor, meetingId: number, body: unknown): Promise<MeetingDto> {
  const a = parseBody(actionInput, body)
  const meeting = await getMeeting(db, meetingId)
  requireMayKeep(user, meeting.groupId)
  await db.transaction().execute(async (trx) => {
    const id = await repo.insertAction(trx, meetingId, a)
    await recordAudit(trx, user, { action: 'create', entity: 'meeting_action', entityId: id, summary: `Uppgift från mötet ${meeting.date} i ${meeting.groupName}: ${a.text}`, after: { meetingId, ...a } })
  })
  return getMeeting(db, meetingId)
}

/** Marks an action item done (at a later meeting of the group, or today) or open again. */
export async function updateAction(db: Kysely<Database>, user: OrganisationEditor, meetingId: number, actionId: number, body: unknown): Promise<MeetingDto> {
  const p = parseBody(actionPatch, body)
  const meeting = await getMeeting(db, meetingId)
  requireMayKeep(user, meeting.groupId)
  const action = await repo.actionRow(db, meetingId, actionId)
  if (!action) throw AppError.notFound(`Okänd uppgift: ${actionId}`, [{ field: 'actionId', message: 'uppgiften hör inte till mötet' }])
  let doneAt: string | null = null
  let doneMeetingId: number | null = null
  if (p.done) {
    doneAt = localToday()
    if (p.doneMeetingId != null) {
      const [at] = await repo.meetingRows(db, { ids: [p.doneMeetingId] })
      const details: ErrorDetail[] = []
      if (!at) details.push({ field: 'doneMeetingId', message: `mötet ${p.doneMeetingId} finns inte` })
      else if (at.group_id !== meeting.groupId) details.push({ field: 'doneMeetingId', message: 'mötet hör till en annan grupp' })
      else if (at.date < meeting.date) details.push({ field: 'doneMeetingId', message: 'mötet ligger före mötet där uppgiften gavs' })
      if (details.length) throw new AppError(422, 'validation_failed', 'Uppgiften kan inte bockas av vid det mötet', details)
      doneAt = at!.date
      doneMeetingId = at!.id
    }
  }
  await db.transaction().execute(async (trx) => {
    await repo.setActionDone(trx, actionId, doneAt, doneMeetingId)
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'meeting_action',
      entityId: actionId,
      summary: `Uppgiften ”${action.text}” ${p.done ? 'klar' : 'öppnad igen'}`,
      before: { doneAt: action.done_at, doneMeetingId: action.done_meeting_id },
      after: { doneAt, doneMeetingId },
    })
  })
  return getMeeting(db, meetingId)
}

const RULE_TEXT: Record<RuleId, string> = {
  minst_fyra_moten: 'Minst fyra möten planerade under året',
  heldagsmote: 'Minst ett av årets möten är en heldag',
  ordforande_vaxlar: 'Ordförandeskapet växlar mellan staden och polisen från möte till möte',
  anteckningar_motpart: 'Den andra organisationen än ordförandens för anteckningarna',
  natverk_tva_moten: 'Nätverket träffas två gånger per år',
  forum_lagesbildsar: 'Strategiskt forum hålls lägesbildsåret (vartannat år)',
}

/** A lägesbild year: a cycle's end year, or every second year from the current cycle's. */
const isLagesbildsar = (years: { current: number | null; all: number[] }, year: number) =>
  years.all.includes(year) || (years.current !== null && (year - years.current) % 2 === 0)

/** The agreement's meeting rules for a year, per group. */
export async function meetingRules(db: Kysely<Database>, year: number): Promise<RuleResultDto[]> {
  const [groups, meetings, years] = await Promise.all([repo.groupRows(db), repo.meetingRows(db, { year }), repo.lagesbildYears(db)])
  const out: RuleResultDto[] = []
  const put = (g: { id: string; name: string }, rule: RuleId, missing: number | string | null) =>
    out.push({ groupId: g.id, groupName: g.name, rule, text: RULE_TEXT[rule], ok: missing === null, missing })
  const dates = (ms: typeof meetings) => ms.map((m) => m.date).join(', ')
  for (const g of groups) {
    const ms = meetings.filter((m) => m.group_id === g.id)
    if (g.kind === 'ledningsgrupp' || g.kind === 'lokal_ledningsgrupp') put(g, 'minst_fyra_moten', ms.length >= 4 ? null : 4 - ms.length)
    if (g.kind === 'ledningsgrupp') {
      put(g, 'heldagsmote', ms.some((m) => m.full_day) ? null : 'ett heldagsmöte')
      const repeats = ms.slice(1).filter((m, i) => m.chair_organisation === ms[i]!.chair_organisation)
      put(g, 'ordforande_vaxlar', repeats.length ? `${ORG_NAMES[repeats[0]!.chair_organisation]} är ordförande två gånger i rad (${dates(repeats)})` : null)
      const same = ms.filter((m) => m.notes_organisation !== null && m.notes_organisation === m.chair_organisation)
      put(g, 'anteckningar_motpart', same.length ? `samma organisation är ordförande och för anteckningar (${dates(same)})` : null)
    }
    if (g.kind === 'natverk') put(g, 'natverk_tva_moten', ms.length >= 2 ? null : 2 - ms.length)
    if (g.kind === 'forum') {
      const lagesbildsar = isLagesbildsar(years, year)
      if (lagesbildsar) put(g, 'forum_lagesbildsar', ms.length ? null : 'ett forum lägesbildsåret')
      else put(g, 'forum_lagesbildsar', ms.length ? `${year} är inget lägesbildsår${years.current !== null ? ` (${years.current} är)` : ''}` : null)
    }
  }
  return out
}

/** The årshjul: a year of every group's meetings, the lägesbild cycle's dated steps, the forum and the rules not met. */
export async function arshjul(db: Kysely<Database>, year: number): Promise<ArshjulDto> {
  const [groups, meetings, cycles, steps, rules, years] = await Promise.all([
    repo.groupRows(db),
    repo.meetingRows(db, { year }),
    repo.cyclesOfYear(db, year),
    repo.datedStepsOfYear(db, year),
    meetingRules(db, year),
    repo.lagesbildYears(db),
  ])
  const byId = new Map(groups.map((g) => [g.id, g]))
  const list: ArshjulMeetingDto[] = meetings.map((m) => ({
    id: m.id,
    groupId: m.group_id,
    groupName: byId.get(m.group_id)?.name ?? m.group_id,
    groupKind: byId.get(m.group_id)?.kind ?? 'arbetsgrupp',
    date: m.date,
    fullDay: m.full_day,
    status: m.status,
  }))
  return {
    year,
    groups: groups.map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
    meetings: list,
    cycles: cycles.map((c) => ({ id: c.id, name: c.name, startYear: c.start_year, endYear: c.end_year, current: c.current })),
    steps: steps.map((s) => ({
      cycleId: s.cycle_id,
      cycleName: s.cycle_name,
      stepId: s.step_id,
      ordinal: s.ordinal,
      stepName: s.step_name,
      areaId: s.perspective_area_id || null,
      perspective: s.perspective_area_id ? (s.area_name ?? `område ${s.perspective_area_id}`) : 'Staden',
      status: s.status,
      date: s.date!,
    })),
    forum: {
      lagesbildsar: isLagesbildsar(years, year),
      meetings: list.filter((m) => m.groupKind === 'forum'),
    },
    missing: rules.filter((r) => !r.ok),
  }
}
