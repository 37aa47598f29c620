import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, IndicatorRow } from '../../../db/schema'
import type { IndicatorDefinition } from './indicators.catalogue.schema'

type Executor = Kysely<Database> | Transaction<Database>

export const definitionOf = (r: IndicatorRow): IndicatorDefinition => ({
  id: r.id,
  name: r.name,
  description: r.description,
  unit: r.unit,
  category: r.category,
  polarity: r.polarity,
  source: r.source,
  licence: r.licence,
  minPublishCount: r.min_publish_count,
  survey: r.survey,
})

const columnsOf = (d: IndicatorDefinition) => ({
  name: d.name,
  description: d.description,
  unit: d.unit,
  category: d.category,
  polarity: d.polarity,
  source: d.source,
  licence: d.licence,
  min_publish_count: d.minPublishCount,
  survey: d.survey,
})

export async function indicatorExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('indicators').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** The row, locked until the transaction ends: an import or a link to it waits (their foreign keys share-lock it). */
export async function lockIndicator(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('indicators').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function insertIndicator(trx: Transaction<Database>, d: IndicatorDefinition) {
  return trx.insertInto('indicators').values({ id: d.id, ...columnsOf(d), is_demo: false, version: 1 }).returningAll().executeTakeFirstOrThrow()
}

/** Writes a new definition over the one at `version`; undefined when it is no longer at `version` (a racing save). */
export async function updateIndicatorAt(trx: Transaction<Database>, d: IndicatorDefinition, version: number) {
  return trx
    .updateTable('indicators')
    .set({ ...columnsOf(d), version: version + 1, updated_at: sql`now()` })
    .where('id', '=', d.id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteIndicatorAt(trx: Transaction<Database>, id: string, version: number): Promise<boolean> {
  const r = await trx.deleteFrom('indicators').where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

/** Keeps a version's definition; one already kept stays as it was. */
export async function saveHistory(trx: Transaction<Database>, d: IndicatorDefinition, version: number, savedAt: Date | string | null, savedBy: string | null) {
  await trx
    .insertInto('indicator_history')
    .values({ indicator_id: d.id, version, data: JSON.stringify(d), ...(savedAt ? { saved_at: new Date(savedAt) } : {}), saved_by: savedBy })
    .onConflict((oc) => oc.columns(['indicator_id', 'version']).doNothing())
    .execute()
}

export async function historyOf(db: Executor, id: string) {
  return db.selectFrom('indicator_history').selectAll().where('indicator_id', '=', id).orderBy('version', 'desc').execute()
}

export async function historyAt(db: Executor, id: string, version: number): Promise<IndicatorDefinition | null> {
  const row = await db.selectFrom('indicator_history').select('data').where('indicator_id', '=', id).where('version', '=', version).executeTakeFirst()
  return (row?.data ?? null) as IndicatorDefinition | null
}

export async function observationCount(db: Executor, id: string): Promise<number> {
  const row = await db.selectFrom('observations').select((e) => e.fn.countAll<string>().as('n')).where('indicator_id', '=', id).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** What refers to an indicator besides its values: problem areas that follow it or set a target in it, measures that follow it up, causes citing it. */
export async function referencesTo(db: Executor, id: string) {
  const problemAreas = await db
    .selectFrom('problem_areas as p')
    .select(['p.id', 'p.title'])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('problem_area_indicators as pai').select('pai.indicator_id').whereRef('pai.problem_area_id', '=', 'p.id').where('pai.indicator_id', '=', id)),
        eb.exists(eb.selectFrom('problem_area_targets as t').select('t.indicator_id').whereRef('t.problem_area_id', '=', 'p.id').where('t.indicator_id', '=', id)),
      ]),
    )
    .orderBy('p.title')
    .execute()
  const causes = await db
    .selectFrom('causes as c')
    .select(['c.id', 'c.title'])
    .where((eb) => eb.exists(eb.selectFrom('cause_evidence as e').select('e.cause_id').whereRef('e.cause_id', '=', 'c.id').where('e.indicator_id', '=', id)))
    .orderBy('c.title')
    .execute()
  const measures = await db
    .selectFrom('measure_followups as f')
    .innerJoin('measures as m', 'm.id', 'f.measure_id')
    .select(['m.id', 'm.title'])
    .where('f.indicator_id', '=', id)
    .distinct()
    .orderBy('m.title')
    .execute()
  return { problemAreas, measures, causes }
}
