import { sql, type Kysely } from 'kysely'

// Frozen once landed: Kysely<any>, no app imports. Reference data from the Trygg i Göteborg agreement
// (2024–2026) is inserted here so every database has it, whatever its age.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cycles')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start_year', 'integer', (c) => c.notNull())
    .addColumn('end_year', 'integer', (c) => c.notNull())
    .addColumn('current', 'boolean', (c) => c.notNull().defaultTo(false))
    .addCheckConstraint('cycles_years', sql`end_year >= start_year`)
    .execute()
  await db.schema
    .createTable('cycle_steps')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id').onDelete('cascade'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addUniqueConstraint('cycle_steps_ordinal', ['cycle_id', 'ordinal'])
    .execute()
  await db.schema
    .createTable('step_status')
    .addColumn('step_id', 'integer', (c) => c.notNull().references('cycle_steps.id').onDelete('cascade'))
    // 0 = city-wide; otherwise the area (stadsområde or lokalpolisområde) whose round it is.
    .addColumn('perspective_area_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('ej_paborjad', 'pagar', 'klar')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('step_status_pk', ['step_id', 'perspective_area_id'])
    .execute()
  await db.schema
    .createTable('problem_areas')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('problem_areas.id'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('analysis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('goals', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .createTable('problem_area_indicators')
    .addColumn('problem_area_id', 'integer', (c) => c.notNull().references('problem_areas.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('problem_area_indicators_pk', ['problem_area_id', 'indicator_id'])
    .execute()
  await db.schema
    .createTable('samverkansformer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('measures')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // No cascade: a problem area with measures cannot be deleted.
    .addColumn('problem_area_id', 'integer', (c) => c.notNull().references('problem_areas.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('brottsforebyggande', 'trygghetsskapande', 'bada')`))
    .addColumn('prevention', 'text', (c) =>
      c.notNull().check(sql`prevention IN ('social_universell', 'social_selektiv', 'social_indikerad', 'situationell')`),
    )
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level IN ('strategisk', 'operativ')`))
    .addColumn('owners', 'jsonb', (c) => c.notNull())
    .addColumn('samverkansform', 'text', (c) => c.references('samverkansformer.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('planerad', 'pagaende', 'avslutad')`))
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addColumn('place', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('measures_dates', sql`end_date IS NULL OR end_date >= start_date`)
    .execute()
  await db.schema
    .createTable('measure_areas')
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('area_id', 'integer', (c) => c.notNull().references('areas.id'))
    .addPrimaryKeyConstraint('measure_areas_pk', ['measure_id', 'area_id'])
    .execute()
  await db.schema
    .createTable('measure_followups')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
    .addColumn('baseline_period', 'text', (c) => c.notNull())
    .addColumn('baseline_value', 'double precision', (c) => c.notNull())
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('target_period', 'text', (c) => c.notNull())
    .execute()
  // Every saved version, so a refused stale save can say what changed since.
  await db.schema
    .createTable('measure_history')
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('measure_history_pk', ['measure_id', 'version'])
    .execute()

  await db
    .insertInto('samverkansformer')
    .values([
      { id: 'SSPF', name: 'SSPF', description: 'Samverkan skola, socialtjänst, polis och fritid kring unga i riskzon för kriminalitet, med samtycke från den unge och vårdnadshavare.' },
      { id: 'SIG', name: 'SIG', description: 'Sociala insatsgrupper: samordnade individuella insatser för unga som vill lämna en kriminell livsstil.' },
      { id: 'GVI', name: 'GVI', description: 'Group Violence Intervention: riktat budskap och stöd till grupper som utövar grovt våld, med tydliga konsekvenser.' },
      { id: 'organiserad_brottslighet', name: 'Myndighetsgemensam samverkan mot organiserad brottslighet', description: 'Myndigheter delar information och agerar gemensamt mot kriminella nätverk och den kriminella ekonomin.' },
      { id: 'otillaten_paverkan', name: 'Otillåten påverkan', description: 'Samverkan för att förebygga och hantera hot, trakasserier och otillbörlig påverkan mot medarbetare och verksamheter.' },
    ])
    .execute()
  const cycle = await db
    .insertInto('cycles')
    .values({ name: 'Lägesbildscykel 2024–2026', start_year: 2024, end_year: 2026, current: true })
    .returning('id')
    .executeTakeFirstOrThrow()
  // The agreement names five steps but not their labels: these are the Trygg i-hjulet's, renameable as data.
  const steps = ['Kartläggning och lägesbild', 'Prioritering och orsaksanalys', 'Åtgärdsplan', 'Genomförande', 'Uppföljning']
  await db.insertInto('cycle_steps').values(steps.map((name, i) => ({ cycle_id: cycle.id, ordinal: i + 1, name }))).execute()
  const pa = async (ordinal: number, title: string, analysis: string, goals: string, parent: number | null = null) =>
    (
      await db
        .insertInto('problem_areas')
        .values({ cycle_id: cycle.id, parent_id: parent, ordinal, title, analysis, goals })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  await pa(1, 'Särskilt utsatta områden/platser', 'Brott och otrygghet koncentreras till vissa områden och platser, där kriminella nätverk påverkar vardagen för de boende.', 'Minskad brottslighet och ökad trygghet i de utsatta områdena; inga områden på polisens lista över särskilt utsatta områden.')
  const groups = await pa(2, 'Särskilt utsatta grupper', 'Vissa grupper utsätts för brott oftare och får svårare att få stöd.', 'Färre utsatta och tidigare stöd.')
  await pa(1, 'Våld i nära relationer', 'Våldet är ofta dolt och upprepat; barn som bevittnar våld är brottsoffer.', 'Fler våldsutsatta får stöd tidigt; minskad upprepad utsatthet.', groups)
  await pa(2, 'Barn och unga i riskzon för kriminalitet', 'Rekrytering av unga till kriminella nätverk sker tidigt; riskfaktorerna samlas i vissa områden.', 'Färre unga rekryteras; fler unga i skola och arbete.', groups)
  await pa(3, 'Välfärdsbrottslighet', 'En del av den kriminella ekonomin: bedrägerier mot och otillåten påverkan på välfärdens system.', 'Minskade felaktiga utbetalningar och en svårare miljö för kriminell ekonomi.')
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['measure_history', 'measure_followups', 'measure_areas', 'measures', 'samverkansformer', 'problem_area_indicators', 'problem_areas', 'step_status', 'cycle_steps', 'cycles']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
