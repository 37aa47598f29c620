import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, GroupMandate, Organisation } from '../../../db/schema'

type Executor = Kysely<Database> | Transaction<Database>

const KIND_ORDER = sql<number>`CASE kind WHEN 'ledningsgrupp' THEN 0 WHEN 'lokal_ledningsgrupp' THEN 1 WHEN 'natverk' THEN 2 WHEN 'forum' THEN 3 ELSE 4 END`

export async function groupRows(db: Executor, id?: string) {
  let q = db.selectFrom('groups').selectAll().orderBy(KIND_ORDER).orderBy('name')
  if (id !== undefined) q = q.where('id', '=', id)
  return q.execute()
}

export async function memberRows(db: Executor, groupIds: string[]) {
  if (groupIds.length === 0) return []
  return db.selectFrom('group_members').selectAll().where('group_id', 'in', groupIds).orderBy('group_id').orderBy('ordinal').execute()
}

/** The next free working-group number (arbetsgrupp:<n>). */
export async function nextWorkingGroupNumber(trx: Transaction<Database>): Promise<number> {
  const { rows } = await sql<{ n: number | null }>`SELECT max(substring(id FROM 12)::int) AS n FROM groups WHERE id ~ '^arbetsgrupp:[0-9]+$'`.execute(trx)
  return (rows[0]?.n ?? 0) + 1
}

export async function insertGroup(trx: Transaction<Database>, g: { id: string; name: string; mandate: GroupMandate | null }) {
  await trx.insertInto('groups').values({ id: g.id, name: g.name, kind: 'arbetsgrupp', stadsomrade_code: null, mandate: g.mandate ? JSON.stringify(g.mandate) : null }).execute()
}

/** Raises the version only if it is still the one read: false when someone saved in between. */
export async function updateGroupAt(trx: Transaction<Database>, id: string, version: number, patch: { name?: string; mandate?: GroupMandate | null }): Promise<boolean> {
  const r = await trx
    .updateTable('groups')
    .set({
      version: version + 1,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.mandate !== undefined ? { mandate: patch.mandate ? JSON.stringify(patch.mandate) : null } : {}),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function replaceMembers(trx: Transaction<Database>, groupId: string, members: Array<{ function: string; organisation: Organisation }>) {
  await trx.deleteFrom('group_members').where('group_id', '=', groupId).execute()
  if (members.length) await trx.insertInto('group_members').values(members.map((m, i) => ({ group_id: groupId, ordinal: i, function: m.function, organisation: m.organisation }))).execute()
}

export async function meetingRows(db: Executor, f: { group?: string; year?: number; ids?: number[] }) {
  let q = db.selectFrom('meetings').selectAll().orderBy('date').orderBy('id')
  if (f.ids) {
    if (f.ids.length === 0) return []
    q = q.where('id', 'in', f.ids)
  }
  if (f.group) q = q.where('group_id', '=', f.group)
  if (f.year !== undefined) q = q.where('date', '>=', `${f.year}-01-01`).where('date', '<=', `${f.year}-12-31`)
  return q.execute()
}

/** The actions of the meetings and of all their groups' meetings (carry-over is worked out from these). */
export async function actionRowsOfGroups(db: Executor, groupIds: string[]) {
  if (groupIds.length === 0) return []
  return db
    .selectFrom('meeting_actions as a')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .select(['a.id', 'a.meeting_id', 'a.text', 'a.responsible', 'a.done_at', 'a.done_meeting_id', 'm.group_id', 'm.date as meeting_date'])
    .where('m.group_id', 'in', groupIds)
    .orderBy('m.date')
    .orderBy('a.id')
    .execute()
}

/** The decision register's entries that name these meetings (read-only: the register is the plans feature's). */
export async function decisionsOfMeetings(db: Executor, meetingIds: number[]) {
  if (meetingIds.length === 0) return []
  return db.selectFrom('decisions').select(['id', 'date', 'text', 'meeting_id']).where('meeting_id', 'in', meetingIds).orderBy('date').orderBy('id').execute()
}

export async function insertMeeting(
  trx: Transaction<Database>,
  m: { groupId: string; date: string; fullDay: boolean; chairOrganisation: Organisation; notesOrganisation: Organisation | null; agenda: string; minutes: string; status: 'planerad' | 'genomford' },
): Promise<number> {
  const { id } = await trx
    .insertInto('meetings')
    .values({ group_id: m.groupId, date: m.date, full_day: m.fullDay, chair_organisation: m.chairOrganisation, notes_organisation: m.notesOrganisation, agenda: m.agenda, minutes: m.minutes, status: m.status })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function updateMeetingAt(
  trx: Transaction<Database>,
  id: number,
  version: number,
  m: { date: string; fullDay: boolean; chairOrganisation: Organisation; notesOrganisation: Organisation | null; agenda: string; minutes: string; status: 'planerad' | 'genomford'; snapshotId: number | null },
): Promise<boolean> {
  const r = await trx
    .updateTable('meetings')
    .set({
      date: m.date,
      full_day: m.fullDay,
      chair_organisation: m.chairOrganisation,
      notes_organisation: m.notesOrganisation,
      agenda: m.agenda,
      minutes: m.minutes,
      status: m.status,
      snapshot_id: m.snapshotId,
      version: version + 1,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertAction(trx: Transaction<Database>, meetingId: number, a: { text: string; responsible: string }): Promise<number> {
  const { id } = await trx.insertInto('meeting_actions').values({ meeting_id: meetingId, text: a.text, responsible: a.responsible }).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function actionRow(db: Executor, meetingId: number, actionId: number) {
  return db.selectFrom('meeting_actions').selectAll().where('id', '=', actionId).where('meeting_id', '=', meetingId).executeTakeFirst()
}

export async function setActionDone(trx: Transaction<Database>, actionId: number, doneAt: string | null, doneMeetingId: number | null) {
  await trx.updateTable('meeting_actions').set({ done_at: doneAt, done_meeting_id: doneMeetingId }).where('id', '=', actionId).execute()
}

/** A snapshot's title and whether it is published (read-only: snapshots are the snapshots feature's). */
export async function snapshotRow(db: Executor, id: number) {
  return db.selectFrom('snapshots').select(['id', 'title', 'published_at']).where('id', '=', id).executeTakeFirst()
}

/** The lägesbild years: each cycle's end year, the current cycle's first. */
export async function lagesbildYears(db: Executor): Promise<{ current: number | null; all: number[] }> {
  const rows = await db.selectFrom('cycles').select(['end_year', 'current']).execute()
  return { current: rows.find((r) => r.current)?.end_year ?? null, all: [...new Set(rows.map((r) => r.end_year))] }
}

/** The cycles running during a year (read-only: cycles are the priorities feature's). */
export async function cyclesOfYear(db: Executor, year: number) {
  return db.selectFrom('cycles').selectAll().where('start_year', '<=', year).where('end_year', '>=', year).orderBy('start_year').orderBy('id').execute()
}

/** Every cycle step's status dated in the year, with the perspective's area name (perspective 0: the city). */
export async function datedStepsOfYear(db: Executor, year: number) {
  return db
    .selectFrom('step_status as s')
    .innerJoin('cycle_steps as st', 'st.id', 's.step_id')
    .innerJoin('cycles as c', 'c.id', 'st.cycle_id')
    .leftJoin('areas as a', 'a.id', 's.perspective_area_id')
    .select(['c.id as cycle_id', 'c.name as cycle_name', 'st.id as step_id', 'st.ordinal', 'st.name as step_name', 's.perspective_area_id', 'a.name as area_name', 's.status', 's.date'])
    .where('s.date', '>=', `${year}-01-01`)
    .where('s.date', '<=', `${year}-12-31`)
    .orderBy('s.date')
    .orderBy('st.ordinal')
    .orderBy('s.perspective_area_id')
    .execute()
}
