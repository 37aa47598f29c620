import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db)

  await db.schema
    .createTable('import_log')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind IN ('seed', 'incidents', 'observations', 'boundaries')`),
    )
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text')
    .addColumn('rows_read', 'integer', (c) => c.notNull().check(sql`rows_read >= 0`))
    .addColumn('rows_accepted', 'integer', (c) => c.notNull().check(sql`rows_accepted >= 0`))
    .addColumn('is_demo', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('area_layers')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z][a-z0-9_]*$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind IN ('admin', 'police', 'statistical', 'police_list', 'grid', 'drawn')`),
    )
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('approximate', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('approximate_reason', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('approximate_has_reason', sql`NOT approximate OR approximate_reason IS NOT NULL`)
    .execute()

  await db.schema
    .createTable('areas')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('layer_id', 'text', (c) => c.notNull().references('area_layers.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date')
    .addColumn('geom', sql`geometry(MultiPolygon, 3006)`, (c) => c.notNull())
    .addColumn('geom_web', sql`geometry(MultiPolygon, 4326)`, (c) => c.notNull())
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('import_id', 'integer', (c) => c.references('import_log.id'))
    .addCheckConstraint('areas_valid_range', sql`valid_to IS NULL OR valid_to > valid_from`)
    .addCheckConstraint('areas_geom_valid', sql`ST_IsValid(geom) AND NOT ST_IsEmpty(geom)`)
    .addCheckConstraint('areas_geom_web_valid', sql`ST_IsValid(geom_web) AND NOT ST_IsEmpty(geom_web)`)
    .addUniqueConstraint('areas_version_unique', ['layer_id', 'code', 'valid_from'])
    .execute()
  await sql`CREATE INDEX areas_geom_gist ON areas USING gist (geom)`.execute(db)
  await sql`CREATE INDEX areas_geom_web_gist ON areas USING gist (geom_web)`.execute(db)
  await db.schema.createIndex('areas_layer_validity').on('areas').columns(['layer_id', 'valid_from', 'valid_to']).execute()

  await db.schema
    .createTable('layer_nesting')
    .addColumn('child_layer_id', 'text', (c) => c.notNull().references('area_layers.id').onDelete('cascade'))
    .addColumn('parent_layer_id', 'text', (c) => c.notNull().references('area_layers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('layer_nesting_pk', ['child_layer_id', 'parent_layer_id'])
    .addCheckConstraint('layer_nesting_distinct', sql`child_layer_id <> parent_layer_id`)
    .execute()

  await db.schema
    .createTable('area_parents')
    .addColumn('child_id', 'integer', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('share', 'double precision', (c) => c.notNull().check(sql`share > 0 AND share <= 1.000001`))
    .addPrimaryKeyConstraint('area_parents_pk', ['child_id', 'parent_id'])
    .execute()
  await db.schema.createIndex('area_parents_parent').on('area_parents').column('parent_id').execute()

  await db.schema
    .createTable('area_population')
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year BETWEEN 1900 AND 2100`))
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('area_population_pk', ['area_id', 'year'])
    .execute()

  await db.schema
    .createTable('indicators')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z][a-z0-9_]*$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unit', 'text', (c) => c.notNull().check(sql`unit IN ('count', 'rate_per_1000', 'percent', 'index')`))
    .addColumn('category', 'text', (c) =>
      c.notNull().check(sql`category IN ('brott', 'otrygghet', 'riskfaktor', 'skyddsfaktor')`),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('polarity', 'text', (c) => c.notNull().check(sql`polarity IN ('higher_is_worse', 'higher_is_better')`))
    .addColumn('min_publish_count', 'integer', (c) => c.notNull().defaultTo(5).check(sql`min_publish_count >= 0`))
    .addColumn('is_demo', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()

  await db.schema
    .createTable('observations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) =>
      c.notNull().check(sql`period ~ '^[0-9]{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$'`),
    )
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('numerator', 'double precision')
    .addColumn('denominator', 'double precision', (c) => c.check(sql`denominator IS NULL OR denominator > 0`))
    .addColumn('ci_low', 'double precision')
    .addColumn('ci_high', 'double precision')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('import_log.id'))
    .addCheckConstraint('observations_period_range', sql`period_end > period_start`)
    .addCheckConstraint('observations_ci_order', sql`ci_low IS NULL OR ci_high IS NULL OR ci_low <= ci_high`)
    .addUniqueConstraint('observations_unique', ['indicator_id', 'area_id', 'period'])
    .execute()
  await db.schema.createIndex('observations_lookup').on('observations').columns(['indicator_id', 'period']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['observations', 'indicators', 'area_population', 'area_parents', 'layer_nesting', 'areas', 'area_layers', 'import_log']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
