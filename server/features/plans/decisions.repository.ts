import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, DecisionAffectKind } from '../../../db/schema'
import type { DecisionFilters } from './decisions.schema'

type Executor = Kysely<Database> | Transaction<Database>

/** The ledningsgrupper that decide (the organisation's groups table): the city-wide one first, then the local ones. */
export async function ledningsgrupper(db: Executor) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'kind'])
    .where('kind', 'in', ['ledningsgrupp', 'lokal_ledningsgrupp'])
    .orderBy(sql`kind = 'ledningsgrupp'`, 'desc')
    .orderBy('name')
    .execute()
}

/** The group a meeting belongs to, or undefined when there is no such meeting. */
export async function meetingGroup(db: Executor, meetingId: number): Promise<string | undefined> {
  return (await db.selectFrom('meetings').select('group_id').where('id', '=', meetingId).executeTakeFirst())?.group_id
}

export async function listDecisionRows(db: Executor, f: DecisionFilters & { ids?: number[] }) {
  let q = db.selectFrom('decisions').selectAll().orderBy('date', 'desc').orderBy('id', 'desc')
  if (f.ids) {
    if (f.ids.length === 0) return []
    q = q.where('id', 'in', f.ids)
  }
  if (f.group) q = q.where('group_id', '=', f.group)
  if (f.kind) {
    const { kind, ref } = f
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('decision_affects as a')
          .select('a.decision_id')
          .whereRef('a.decision_id', '=', 'decisions.id')
          .where('a.kind', '=', kind)
          .$if(ref !== undefined, (w) => w.where('a.ref', '=', ref!)),
      ),
    )
  }
  return q.execute()
}

export async function affectRows(db: Executor, decisionIds: number[]) {
  if (decisionIds.length === 0) return []
  return db.selectFrom('decision_affects').selectAll().where('decision_id', 'in', decisionIds).execute()
}

/** The names of the things decisions name, per kind and ref (refs as text, as decision_affects keeps them). */
export async function affectLabels(db: Executor, refs: Array<{ kind: DecisionAffectKind; ref: string }>): Promise<Map<string, string>> {
  const ids = (kind: DecisionAffectKind) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.ref))]
  const ints = (kind: DecisionAffectKind) => ids(kind).map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 2 ** 31)
  const out = new Map<string, string>()
  const put = (kind: DecisionAffectKind, rows: Array<{ id: number | string; label: string }>) => rows.forEach((r) => out.set(`${kind}:${r.id}`, r.label))
  const [pa, pl, me, sv, cy] = [ints('problem_area'), ints('plan'), ints('measure'), ids('samverkansform'), ints('cycle')]
  if (pa.length) put('problem_area', await db.selectFrom('problem_areas').select(['id', 'title as label']).where('id', 'in', pa).execute())
  if (pl.length) put('plan', await db.selectFrom('plans').select(['id', 'title as label']).where('id', 'in', pl).execute())
  if (me.length) put('measure', await db.selectFrom('measures').select(['id', 'title as label']).where('id', 'in', me).execute())
  if (sv.length) put('samverkansform', await db.selectFrom('samverkansformer').select(['id', 'name as label']).where('id', 'in', sv).execute())
  if (cy.length) put('cycle', await db.selectFrom('cycles').select(['id', 'name as label']).where('id', 'in', cy).execute())
  return out
}

export async function insertDecision(
  trx: Transaction<Database>,
  d: { date: string; group: string; meetingId: number | null; text: string; createdBy: string },
  affects: Array<{ kind: DecisionAffectKind; ref: string }>,
): Promise<number> {
  const { id } = await trx.insertInto('decisions').values({ date: d.date, group_id: d.group, meeting_id: d.meetingId, text: d.text, created_by: d.createdBy }).returning('id').executeTakeFirstOrThrow()
  if (affects.length) await trx.insertInto('decision_affects').values(affects.map((a) => ({ decision_id: id, kind: a.kind, ref: a.ref }))).execute()
  return id
}

/** Adds that a decision affects something, unless it already says so. */
export async function addAffect(trx: Transaction<Database>, decisionId: number, kind: DecisionAffectKind, ref: string) {
  await trx
    .insertInto('decision_affects')
    .values({ decision_id: decisionId, kind, ref })
    .onConflict((oc) => oc.columns(['decision_id', 'kind', 'ref']).doNothing())
    .execute()
}

/** What rests on a decision: adopted plan versions and problem-area versions. */
export async function decisionReferences(db: Executor, id: number) {
  const [plans, problemAreas] = await Promise.all([
    db
      .selectFrom('plan_versions as v')
      .innerJoin('plans as p', 'p.id', 'v.plan_id')
      .select(['p.id', 'p.title', 'v.version'])
      .where('v.decision_id', '=', id)
      .orderBy('p.id')
      .orderBy('v.version')
      .execute(),
    db
      .selectFrom('problem_area_history as h')
      .innerJoin('problem_areas as p', 'p.id', 'h.problem_area_id')
      .select(['p.id', 'p.title', 'h.version'])
      .where('h.decision_id', '=', id)
      .orderBy('p.id')
      .orderBy('h.version')
      .execute(),
  ])
  return { plans, problemAreas }
}

export async function deleteDecisionRow(trx: Transaction<Database>, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('decisions').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

/** Those of the refs of a kind that exist. */
export async function existingRefs(db: Executor, kind: DecisionAffectKind, refs: string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set()
  if (kind === 'samverkansform') return new Set((await db.selectFrom('samverkansformer').select('id').where('id', 'in', refs).execute()).map((r) => r.id))
  const ints = refs.map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 2 ** 31)
  if (ints.length === 0) return new Set()
  const table = ({ problem_area: 'problem_areas', plan: 'plans', measure: 'measures', cycle: 'cycles' } as const)[kind]
  const { rows } = await sql<{ id: number }>`SELECT id FROM ${sql.table(table)} WHERE id = ANY(${sql.val(ints)}::int[])`.execute(db)
  return new Set(rows.map((r) => String(r.id)))
}
