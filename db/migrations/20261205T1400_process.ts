import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. The agreement's process as data: step status with its
// date, responsible and note; problem areas per area, versioned, with measurable targets; orsaksanalys;
// åtgärdsplaner in versions adopted by decision; the decision register; measures linked to causes, with
// a computed baseline (the typed baseline value goes) and an optional comparison area and displacement buffer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('step_status')
    .addColumn('date', 'date')
    .addColumn('responsible', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute()

  await db.schema
    .alterTable('problem_areas')
    // null: city-wide; otherwise the stadsområde or lokalpolisområde whose priority it is.
    .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('retired_at', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('problem_area_targets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('problem_area_id', 'integer', (c) => c.notNull().references('problem_areas.id').onDelete('cascade'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('target_period', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('date', 'date', (c) => c.notNull())
    // 'trygg_i_goteborg' (the city-wide ledningsgrupp) or 'lokal:<stadsområde code>'.
    .addColumn('group_id', 'text', (c) => c.notNull())
    // Meetings arrive with the organisation's register; until then no decision names one.
    .addColumn('meeting_id', 'integer')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('decision_affects')
    .addColumn('decision_id', 'integer', (c) => c.notNull().references('decisions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('problem_area', 'plan', 'measure', 'samverkansform', 'cycle')`))
    // Text: samverkansformer have text ids, the rest integers.
    .addColumn('ref', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('decision_affects_pk', ['decision_id', 'kind', 'ref'])
    .execute()

  await db.schema
    .createTable('problem_area_history')
    .addColumn('problem_area_id', 'integer', (c) => c.notNull().references('problem_areas.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('decision_id', 'integer', (c) => c.references('decisions.id'))
    .addColumn('saved_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('problem_area_history_pk', ['problem_area_id', 'version'])
    .execute()

  await db.schema
    .createTable('causes')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('problem_area_id', 'integer', (c) => c.notNull().references('problem_areas.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('garningsperson', 'offer_mal', 'plats', 'riskfaktor', 'skyddsfaktor')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sources', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Evidence names a figure (indicator, area or the city, period); its value is derived when read, never typed.
  await db.schema
    .createTable('cause_evidence')
    .addColumn('cause_id', 'integer', (c) => c.notNull().references('causes.id').onDelete('cascade'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('area_id', 'integer', (c) => c.references('areas.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cause_evidence_pk', ['cause_id', 'ordinal'])
    .execute()
  await db.schema
    .createTable('measure_causes')
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    // No cascade: a cause that measures address cannot be deleted.
    .addColumn('cause_id', 'integer', (c) => c.notNull().references('causes.id'))
    .addPrimaryKeyConstraint('measure_causes_pk', ['measure_id', 'cause_id'])
    .execute()

  await db.schema
    .createTable('plans')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    // One plan per problem area; no cascade, a problem area with a plan is retired, not deleted.
    .addColumn('problem_area_id', 'integer', (c) => c.notNull().unique().references('problem_areas.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('plan_versions')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    // Raised by every save of a draft: a stale save gets 409.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('decision_id', 'integer', (c) => c.references('decisions.id'))
    .addColumn('adopted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('plan_versions_pk', ['plan_id', 'version'])
    .execute()
  // Brå's columns. The cause's and measure's text is copied in, so an adopted version reads as it was adopted.
  await db.schema
    .createTable('plan_rows')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('plan_id', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('cause_id', 'integer', (c) => c.references('causes.id').onDelete('set null'))
    .addColumn('cause_text', 'text', (c) => c.notNull())
    .addColumn('measure_id', 'integer', (c) => c.references('measures.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('timing', 'text', (c) => c.notNull())
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('followup', 'text', (c) => c.notNull().defaultTo(''))
    .addForeignKeyConstraint('plan_rows_version_fk', ['plan_id', 'version'], 'plan_versions', ['plan_id', 'version'], (c) => c.onDelete('cascade'))
    .execute()
  // Follow-up is appended to an adopted plan's rows; the plan's content stays frozen.
  await db.schema
    .createTable('plan_row_followups')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('row_id', 'integer', (c) => c.notNull().references('plan_rows.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('gron', 'gul', 'rod')`))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema.alterTable('measure_followups').dropColumn('baseline_value').execute()
  await db.schema
    .alterTable('measures')
    .addColumn('comparison_area_id', 'integer', (c) => c.references('areas.id'))
    .addColumn('displacement_buffer_m', 'integer', (c) => c.check(sql`displacement_buffer_m > 0`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('measures').dropColumn('comparison_area_id').dropColumn('displacement_buffer_m').execute()
  await db.schema.alterTable('measure_followups').addColumn('baseline_value', 'double precision', (c) => c.notNull().defaultTo(0)).execute()
  for (const t of ['plan_row_followups', 'plan_rows', 'plan_versions', 'plans', 'measure_causes', 'cause_evidence', 'causes', 'problem_area_history', 'decision_affects', 'decisions', 'problem_area_targets']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
  await db.schema.alterTable('problem_areas').dropColumn('area_id').dropColumn('version').dropColumn('retired_at').dropColumn('updated_at').execute()
  await db.schema.alterTable('step_status').dropColumn('date').dropColumn('responsible').dropColumn('note').execute()
}
