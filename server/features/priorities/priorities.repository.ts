import { sql, type Kysely, type Transaction } from 'kysely'
import type { CauseKind, Database, StepStatusTable } from '../../../db/schema'
import type { CauseInput, ProblemAreaContent, ProblemAreaDto } from './priorities.schema'

type Executor = Kysely<Database> | Transaction<Database>

// --- cycles and steps ----------------------------------------------------------------------------

export async function listCycleRows(db: Executor) {
  return db.selectFrom('cycles').selectAll().orderBy('start_year', 'desc').execute()
}

export async function listStepRows(db: Executor) {
  return db.selectFrom('cycle_steps').selectAll().orderBy('ordinal').execute()
}

export async function findCycle(db: Executor, id: number) {
  return db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function cycleExists(db: Executor, id: number): Promise<boolean> {
  return (await findCycle(db, id)) !== undefined
}

/** The cycle starting that year, other than `exceptId`. */
export async function cycleStartingIn(db: Executor, startYear: number, exceptId: number | null = null) {
  let q = db.selectFrom('cycles').select(['id', 'name']).where('start_year', '=', startYear)
  if (exceptId !== null) q = q.where('id', '<>', exceptId)
  return q.executeTakeFirst()
}

export async function insertCycle(trx: Transaction<Database>, c: { name: string; startYear: number; endYear: number }): Promise<number> {
  return (await trx.insertInto('cycles').values({ name: c.name, start_year: c.startYear, end_year: c.endYear, current: false }).returning('id').executeTakeFirstOrThrow()).id
}

export async function renameCycle(trx: Transaction<Database>, id: number, name: string) {
  await trx.updateTable('cycles').set({ name }).where('id', '=', id).execute()
}

/** Makes one cycle the current one, and every other not. */
export async function makeCurrent(trx: Transaction<Database>, id: number) {
  await trx.updateTable('cycles').set({ current: false }).where('id', '<>', id).where('current', '=', true).execute()
  await trx.updateTable('cycles').set({ current: true }).where('id', '=', id).execute()
}

export async function stepsOf(db: Executor, cycleId: number) {
  return db.selectFrom('cycle_steps').selectAll().where('cycle_id', '=', cycleId).orderBy('ordinal').execute()
}

export async function insertStep(trx: Transaction<Database>, cycleId: number, ordinal: number, name: string): Promise<number> {
  return (await trx.insertInto('cycle_steps').values({ cycle_id: cycleId, ordinal, name }).returning('id').executeTakeFirstOrThrow()).id
}

export async function renameStep(trx: Transaction<Database>, id: number, name: string) {
  await trx.updateTable('cycle_steps').set({ name }).where('id', '=', id).execute()
}

/**
 * Sets the cycle's step ordinals. Unique (cycle_id, ordinal) is checked row by row, so every ordinal is
 * first turned negative (no clash with the positive ones), then each set to its place.
 */
export async function setStepOrdinals(trx: Transaction<Database>, cycleId: number, ordinals: Array<{ id: number; ordinal: number }>) {
  await trx
    .updateTable('cycle_steps')
    .set({ ordinal: sql<number>`-ordinal` })
    .where('cycle_id', '=', cycleId)
    .where('ordinal', '>', 0)
    .execute()
  for (const o of ordinals) await trx.updateTable('cycle_steps').set({ ordinal: o.ordinal }).where('id', '=', o.id).execute()
}

export async function deleteStepRow(trx: Transaction<Database>, id: number) {
  await trx.deleteFrom('cycle_steps').where('id', '=', id).execute()
}

/** Statuses of a step other than "not started": a step with any of these is part of the record. */
export async function recordedStatusesOf(db: Executor, stepId: number) {
  return db.selectFrom('step_status').select(['perspective_area_id', 'status']).where('step_id', '=', stepId).where('status', '<>', 'ej_paborjad').execute()
}

// --- step status ---------------------------------------------------------------------------------

export async function listStepStatusRows(db: Executor, cycleId: number) {
  return db
    .selectFrom('step_status as s')
    .innerJoin('cycle_steps as c', 'c.id', 's.step_id')
    .select(['s.step_id', 's.perspective_area_id', 's.status', 's.updated_at', 's.date', 's.responsible', 's.note'])
    .where('c.cycle_id', '=', cycleId)
    .execute()
}

export async function stepInCycle(db: Executor, stepId: number, cycleId: number): Promise<boolean> {
  return (await db.selectFrom('cycle_steps').select('id').where('id', '=', stepId).where('cycle_id', '=', cycleId).executeTakeFirst()) !== undefined
}

export async function findStep(db: Executor, stepId: number, cycleId: number) {
  return db.selectFrom('cycle_steps').selectAll().where('id', '=', stepId).where('cycle_id', '=', cycleId).executeTakeFirst()
}

export async function areaLayerId(db: Executor, areaId: number): Promise<string | null> {
  return (await db.selectFrom('areas').select('layer_id').where('id', '=', areaId).executeTakeFirst())?.layer_id ?? null
}

/** Each of the ids that is an area, with its layer and name. */
export async function areasByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, { layer: string; name: string }>()
  const rows = await db.selectFrom('areas').select(['id', 'layer_id', 'name']).where('id', 'in', [...new Set(ids)]).execute()
  return new Map(rows.map((r) => [r.id, { layer: r.layer_id, name: r.name }]))
}

/** The area of the current stadsområde with this code: a local group's own. */
export async function stadsomradeAreaId(db: Executor, code: string): Promise<number | null> {
  const row = await db.selectFrom('areas').select('id').where('layer_id', '=', 'stadsomrade').where('code', '=', code).where('valid_to', 'is', null).executeTakeFirst()
  return row?.id ?? null
}

/** `perspectiveAreaId` 0 is the city-wide round (the key column cannot be null). */
export async function findStepStatus(db: Executor, stepId: number, perspectiveAreaId: number) {
  return db
    .selectFrom('step_status')
    .select(['status', 'date', 'responsible', 'note'])
    .where('step_id', '=', stepId)
    .where('perspective_area_id', '=', perspectiveAreaId)
    .executeTakeFirst()
}

export async function upsertStepStatus(
  trx: Transaction<Database>,
  stepId: number,
  perspectiveAreaId: number,
  s: { status: StepStatusTable['status']; date: string | null; responsible: string; note: string },
) {
  const values = { status: s.status, date: s.date, responsible: s.responsible, note: s.note }
  await trx
    .insertInto('step_status')
    .values({ step_id: stepId, perspective_area_id: perspectiveAreaId, ...values })
    .onConflict((oc) => oc.columns(['step_id', 'perspective_area_id']).doUpdateSet({ ...values, updated_at: new Date() }))
    .execute()
}

// --- problem areas -------------------------------------------------------------------------------

/** Problem areas with their indicators, targets and measure counts: of a cycle, or by id. */
export async function loadProblemAreas(db: Executor, where: { cycleId: number } | { ids: number[] }): Promise<ProblemAreaDto[]> {
  let q = db.selectFrom('problem_areas').selectAll()
  if ('cycleId' in where) q = q.where('cycle_id', '=', where.cycleId)
  else {
    if (where.ids.length === 0) return []
    q = q.where('id', 'in', where.ids)
  }
  const rows = await q.execute()
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [links, targets, counts] = await Promise.all([
    db.selectFrom('problem_area_indicators').selectAll().where('problem_area_id', 'in', ids).execute(),
    db.selectFrom('problem_area_targets').selectAll().where('problem_area_id', 'in', ids).orderBy('ordinal').execute(),
    db
      .selectFrom('measures')
      .select(['problem_area_id', (e) => e.fn.countAll<string>().as('n')])
      .where('problem_area_id', 'in', ids)
      .groupBy('problem_area_id')
      .execute(),
  ])
  // Top-level areas in their order, each followed by its sub-areas in theirs.
  const order = (r: (typeof rows)[number]) => {
    const parent = r.parent_id === null ? r : rows.find((p) => p.id === r.parent_id)
    return [parent?.ordinal ?? 0, parent?.id ?? 0, r.parent_id === null ? 0 : 1, r.ordinal, r.id]
  }
  const sorted = [...rows].sort((a, b) => {
    const x = order(a)
    const y = order(b)
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
    return 0
  })
  return sorted.map((r) => ({
    id: r.id,
    cycleId: r.cycle_id,
    parentId: r.parent_id,
    areaId: r.area_id,
    title: r.title,
    analysis: r.analysis,
    goals: r.goals,
    indicatorIds: links
      .filter((l) => l.problem_area_id === r.id)
      .map((l) => l.indicator_id)
      .sort(),
    targets: targets.filter((t) => t.problem_area_id === r.id).map((t) => ({ indicatorId: t.indicator_id, target: t.target, targetPeriod: t.target_period })),
    measureCount: Number(counts.find((c) => c.problem_area_id === r.id)?.n ?? 0),
    version: r.version,
    retiredAt: r.retired_at,
    updatedAt: new Date(r.updated_at).toISOString(),
  }))
}

export async function findProblemAreaRow(db: Executor, id: number) {
  return db.selectFrom('problem_areas').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findProblemArea(db: Executor, id: number) {
  return db.selectFrom('problem_areas').select(['id', 'title']).where('id', '=', id).executeTakeFirst()
}

/** The next ordinal among the siblings (same cycle and parent). */
export async function nextProblemAreaOrdinal(db: Executor, cycleId: number, parentId: number | null): Promise<number> {
  let q = db.selectFrom('problem_areas').select((e) => e.fn.max('ordinal').as('m')).where('cycle_id', '=', cycleId)
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId)
  const row = await q.executeTakeFirst()
  return Number(row?.m ?? 0) + 1
}

async function writeLinks(trx: Transaction<Database>, id: number, p: Pick<ProblemAreaContent, 'indicatorIds' | 'targets'>) {
  if (p.indicatorIds.length) await trx.insertInto('problem_area_indicators').values(p.indicatorIds.map((indicator_id) => ({ problem_area_id: id, indicator_id }))).execute()
  if (p.targets.length) {
    await trx
      .insertInto('problem_area_targets')
      .values(p.targets.map((t, i) => ({ problem_area_id: id, ordinal: i + 1, indicator_id: t.indicatorId, target: t.target, target_period: t.targetPeriod })))
      .execute()
  }
}

export async function insertProblemArea(trx: Transaction<Database>, p: ProblemAreaContent, ordinal: number, retiredAt: string | null = null): Promise<number> {
  const { id } = await trx
    .insertInto('problem_areas')
    .values({ cycle_id: p.cycleId, parent_id: p.parentId, area_id: p.areaId, ordinal, title: p.title, analysis: p.analysis, goals: p.goals, version: 1, retired_at: retiredAt, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow()
  await writeLinks(trx, id, p)
  return id
}

/** Moves a problem area from `version` to the next with this content; false when it is no longer at `version`. */
export async function writeProblemAreaAt(trx: Transaction<Database>, id: number, version: number, p: ProblemAreaContent, retiredAt: string | null, ordinal: number): Promise<boolean> {
  const res = await trx
    .updateTable('problem_areas')
    .set({ parent_id: p.parentId, area_id: p.areaId, title: p.title, analysis: p.analysis, goals: p.goals, retired_at: retiredAt, ordinal, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return false
  await trx.deleteFrom('problem_area_indicators').where('problem_area_id', '=', id).execute()
  await trx.deleteFrom('problem_area_targets').where('problem_area_id', '=', id).execute()
  await writeLinks(trx, id, p)
  return true
}

/** Keeps a version in the history; a version already kept is left as it was. */
export async function saveProblemAreaHistory(
  trx: Transaction<Database>,
  h: { problemAreaId: number; version: number; data: unknown; decisionId: number | null; savedBy: string; savedAt?: Date | string },
) {
  await trx
    .insertInto('problem_area_history')
    .values({ problem_area_id: h.problemAreaId, version: h.version, data: JSON.stringify(h.data), decision_id: h.decisionId, saved_by: h.savedBy, ...(h.savedAt ? { saved_at: h.savedAt } : {}) })
    .onConflict((oc) => oc.columns(['problem_area_id', 'version']).doNothing())
    .execute()
}

/** Every kept version, oldest first, with the decision that made it. */
export async function problemAreaHistoryRows(db: Executor, id: number) {
  return db
    .selectFrom('problem_area_history as h')
    .leftJoin('decisions as d', 'd.id', 'h.decision_id')
    .select(['h.version', 'h.data', 'h.saved_by', 'h.saved_at', 'h.decision_id', 'd.date as decision_date', 'd.text as decision_text'])
    .where('h.problem_area_id', '=', id)
    .orderBy('h.version')
    .execute()
}

export async function problemAreaHistoryAt(db: Executor, id: number, version: number) {
  const row = await db.selectFrom('problem_area_history').select('data').where('problem_area_id', '=', id).where('version', '=', version).executeTakeFirst()
  return (row?.data ?? null) as Record<string, unknown> | null
}

/** The decision register names what each decision changed: a problem area saved under a decision is one. */
export async function linkDecision(db: Executor, decisionId: number, problemAreaId: number) {
  await db
    .insertInto('decision_affects')
    .values({ decision_id: decisionId, kind: 'problem_area', ref: String(problemAreaId) })
    .onConflict((oc) => oc.columns(['decision_id', 'kind', 'ref']).doNothing())
    .execute()
}

export async function decisionExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('decisions').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Those of the ids that are indicators. */
export async function existingIndicatorIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  return new Set((await db.selectFrom('indicators').select('id').where('id', 'in', [...new Set(ids)]).execute()).map((r) => r.id))
}

/** Indicator names by id, for history lines. */
export async function indicatorNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  return new Map((await db.selectFrom('indicators').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute()).map((r) => [r.id, r.name]))
}

export async function measuresOfProblemArea(db: Executor, id: number) {
  return db.selectFrom('measures').select(['id', 'title']).where('problem_area_id', '=', id).execute()
}

export async function childProblemAreas(db: Executor, id: number) {
  return db.selectFrom('problem_areas').select(['id', 'title']).where('parent_id', '=', id).execute()
}

/** The åtgärdsplan of a problem area, if it has one (a problem area with a plan is retired, not deleted). */
export async function planOfProblemArea(db: Executor, id: number) {
  return db.selectFrom('plans').select(['id', 'title']).where('problem_area_id', '=', id).executeTakeFirst()
}

/** Measures (of any problem area) linked to one of this problem area's causes. */
export async function measuresLinkedToCausesOf(db: Executor, problemAreaId: number) {
  return db
    .selectFrom('measure_causes as mc')
    .innerJoin('causes as c', 'c.id', 'mc.cause_id')
    .innerJoin('measures as m', 'm.id', 'mc.measure_id')
    .select(['m.id', 'm.title', 'c.title as cause'])
    .where('c.problem_area_id', '=', problemAreaId)
    .execute()
}

export async function deleteProblemAreaRow(db: Executor, id: number) {
  await db.deleteFrom('problem_areas').where('id', '=', id).execute()
}

// --- causes --------------------------------------------------------------------------------------

export interface CauseRecord {
  id: number
  problemAreaId: number
  version: number
  kind: CauseKind
  title: string
  description: string
  sources: string
  evidence: Array<{ indicatorId: string; areaId: number | null; period: string }>
  measureIds: number[]
  updatedAt: string
}

/** Causes with their evidence (what it names, not its figures) and the measures linked to them. */
export async function loadCauses(db: Executor, where: { problemAreaIds: number[] } | { ids: number[] }): Promise<CauseRecord[]> {
  const list = 'ids' in where ? where.ids : where.problemAreaIds
  if (list.length === 0) return []
  const rows = await db
    .selectFrom('causes')
    .selectAll()
    .where('ids' in where ? 'id' : 'problem_area_id', 'in', list)
    .orderBy('problem_area_id')
    .orderBy('ordinal')
    .orderBy('id')
    .execute()
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [evidence, links] = await Promise.all([
    db.selectFrom('cause_evidence').selectAll().where('cause_id', 'in', ids).orderBy('cause_id').orderBy('ordinal').execute(),
    db.selectFrom('measure_causes').selectAll().where('cause_id', 'in', ids).orderBy('measure_id').execute(),
  ])
  return rows.map((r) => ({
    id: r.id,
    problemAreaId: r.problem_area_id,
    version: r.version,
    kind: r.kind,
    title: r.title,
    description: r.description,
    sources: r.sources,
    evidence: evidence.filter((e) => e.cause_id === r.id).map((e) => ({ indicatorId: e.indicator_id, areaId: e.area_id, period: e.period })),
    measureIds: links.filter((l) => l.cause_id === r.id).map((l) => l.measure_id),
    updatedAt: new Date(r.updated_at).toISOString(),
  }))
}

export async function nextCauseOrdinal(db: Executor, problemAreaId: number): Promise<number> {
  const row = await db.selectFrom('causes').select((e) => e.fn.max('ordinal').as('m')).where('problem_area_id', '=', problemAreaId).executeTakeFirst()
  return Number(row?.m ?? 0) + 1
}

async function writeEvidence(trx: Transaction<Database>, causeId: number, evidence: CauseInput['evidence']) {
  if (evidence.length === 0) return
  await trx
    .insertInto('cause_evidence')
    .values(evidence.map((e, i) => ({ cause_id: causeId, ordinal: i + 1, indicator_id: e.indicatorId, area_id: e.areaId, period: e.period })))
    .execute()
}

export async function insertCause(trx: Transaction<Database>, problemAreaId: number, ordinal: number, c: CauseInput): Promise<number> {
  const { id } = await trx
    .insertInto('causes')
    .values({ problem_area_id: problemAreaId, ordinal, kind: c.kind, title: c.title, description: c.description, sources: c.sources, version: 1, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow()
  await writeEvidence(trx, id, c.evidence)
  return id
}

/** Moves a cause from `version` to the next with this content; false when it is no longer at `version`. */
export async function writeCauseAt(trx: Transaction<Database>, id: number, version: number, c: CauseInput): Promise<boolean> {
  const res = await trx
    .updateTable('causes')
    .set({ kind: c.kind, title: c.title, description: c.description, sources: c.sources, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return false
  await trx.deleteFrom('cause_evidence').where('cause_id', '=', id).execute()
  await writeEvidence(trx, id, c.evidence)
  return true
}

export async function deleteCauseAt(trx: Transaction<Database>, id: number, version: number): Promise<boolean> {
  const res = await trx.deleteFrom('causes').where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(res.numDeletedRows) === 1
}

/** The measures that address a cause. */
export async function measuresOfCause(db: Executor, causeId: number) {
  return db.selectFrom('measure_causes as mc').innerJoin('measures as m', 'm.id', 'mc.measure_id').select(['m.id', 'm.title']).where('mc.cause_id', '=', causeId).orderBy('m.id').execute()
}
