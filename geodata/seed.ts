/**
 * First-start loading: the real boundaries from geodata/sources, the population, and the labelled
 * synthetic demo set — all in one transaction, so a crash leaves an empty database that loads again.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { computeNesting, insertArea, recordNesting, unionGeoJSON } from '../db/areas'
import { refreshDisplayGeometry, type DisplayRefresh } from '../db/display-geometry'
import { displayGeometries } from '../server/spatial/display-geometry'
import { DEMO_INDICATORS, DEMO_SOURCE, generateDemo, type DemoArea, type DemoPrimaromrade } from './demo'
import { DERIVED_FROM_PRIMAROMRADEN, LAYERS, NESTING_CANDIDATES, POPULATION_FILE, POPULATION_SOURCE, type LayerSpec } from './layers'

export const SOURCES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sources')

export interface SeedReport {
  areas: Record<string, number>
  repaired: Array<{ layer: string; code: string; reason: string }>
  /** Display geometry made per layer, shared edges simplified once. */
  display: DisplayRefresh[]
  nesting: Array<{ child: string; parent: string; nested: boolean; orphans: string[] }>
  populationUnmatched: string[]
  observations: number
}

interface GeoJSONFile {
  features: Array<{ properties: Record<string, unknown>; geometry: { type: string } }>
}

export async function isSeeded(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('area_layers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  return Number(row?.n ?? 0) > 0
}

/** Was the synthetic demo set loaded into this database? */
export async function hasDemoData(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('import_log').select('id').where('kind', '=', 'seed').where('is_demo', '=', true).executeTakeFirst()
  return row !== undefined
}

export async function seedIfEmpty(db: Kysely<Database>, sourcesDir = SOURCES_DIR, options: { demo?: boolean } = {}): Promise<SeedReport | null> {
  if (await isSeeded(db)) return null
  const report = await db.transaction().execute((trx) => seed(trx, sourcesDir, options.demo ?? true))
  // Fresh statistics, or the planner guesses row counts for tables that went from empty to thousands.
  await sql`ANALYZE`.execute(db)
  return report
}

async function insertLayer(trx: Transaction<Database>, spec: LayerSpec) {
  await trx
    .insertInto('area_layers')
    .values({
      id: spec.id,
      name: spec.name,
      kind: spec.kind,
      description: spec.description,
      source: spec.source,
      licence: spec.licence,
      approximate: Boolean(spec.approximate),
      approximate_reason: spec.approximate?.reason ?? null,
      sort_order: spec.sortOrder,
    })
    .execute()
}

async function seed(trx: Transaction<Database>, dir: string, demo: boolean): Promise<SeedReport> {
  const report: SeedReport = { areas: {}, repaired: [], display: [], nesting: [], populationUnmatched: [], observations: 0 }

  for (const spec of LAYERS) await insertLayer(trx, spec)

  for (const spec of LAYERS) {
    if (!spec.file || !spec.mapping) continue
    const text = await readFile(join(dir, spec.file), 'utf8')
    const file = JSON.parse(text) as GeoJSONFile
    const importId = await logImport(trx, spec.file, text, file.features.length, false)
    for (const f of file.features) {
      if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') {
        throw new Error(`${spec.file}: feature of type ${f.geometry.type}, expected (Multi)Polygon`)
      }
      const code = spec.mapping.code(f.properties)
      const { repairedReason } = await insertArea(trx, {
        layerId: spec.id,
        code,
        name: spec.mapping.name(f.properties),
        validFrom: spec.validFrom,
        geometry: JSON.stringify(f.geometry),
        attributes: spec.mapping.attributes?.(f.properties) ?? {},
        importId,
        displayLater: true,
      })
      if (repairedReason) report.repaired.push({ layer: spec.id, code, reason: repairedReason })
    }
    report.areas[spec.id] = file.features.length
    report.display.push(await refreshDisplayGeometry(trx, spec.id, spec.validFrom, displayGeometries))
    await trx.updateTable('import_log').set({ rows_accepted: file.features.length }).where('id', '=', importId).execute()
  }

  // A layer built of whole primärområden holds each of them by construction: no geometry to compare.
  for (const layerId of Object.keys(DERIVED_FROM_PRIMAROMRADEN)) {
    const members = await buildFromPrimaromraden(trx, layerId, report)
    await recordNesting(trx, 'primaromrade', layerId, members.map((m) => ({ ...m, share: 1 })), true)
  }

  for (const [child, parent] of NESTING_CANDIDATES) {
    if (child === 'primaromrade' && parent in DERIVED_FROM_PRIMAROMRADEN) report.nesting.push({ child, parent, nested: true, orphans: [] })
    else report.nesting.push({ child, parent, ...(await computeNesting(trx, child, parent)) })
  }

  report.populationUnmatched = await loadPopulation(trx, dir)
  if (demo) report.observations = await seedDemo(trx)
  return report
}

/**
 * A database loaded before a layer built from primärområden existed gets it, once, in one transaction, logged
 * as a load so the data version moves. Returns the layers added.
 */
export async function addMissingDerivedLayers(db: Kysely<Database>): Promise<string[]> {
  if (!(await isSeeded(db))) return []
  const have = new Set((await db.selectFrom('area_layers').select('id').execute()).map((r) => r.id))
  const missing = Object.keys(DERIVED_FROM_PRIMAROMRADEN).filter((id) => !have.has(id))
  if (!missing.length) return []
  await db.transaction().execute(async (trx) => {
    const report: SeedReport = { areas: {}, repaired: [], display: [], nesting: [], populationUnmatched: [], observations: 0 }
    for (const id of missing) {
      await insertLayer(trx, LAYERS.find((l) => l.id === id)!)
      await buildFromPrimaromraden(trx, id, report)
      await computeNesting(trx, 'primaromrade', id)
    }
    await logImport(trx, `geodata/layers.ts (${missing.join(', ')})`, missing.join(','), missing.length, false)
  })
  return missing
}

async function logImport(trx: Transaction<Database>, fileName: string, content: string, rows: number, isDemo: boolean) {
  const row = await trx
    .insertInto('import_log')
    .values({
      kind: 'seed',
      file_name: fileName,
      file_sha256: createHash('sha256').update(content).digest('hex'),
      rows_read: rows,
      rows_accepted: 0,
      is_demo: isDemo,
      details: JSON.stringify({ loadedBy: 'geodata/seed.ts' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * A layer made of whole primärområden, grouped by mellanområde (DERIVED_FROM_PRIMAROMRADEN). Returns each
 * primärområde with the area it went into.
 */
async function buildFromPrimaromraden(trx: Transaction<Database>, layerId: string, report: SeedReport): Promise<Array<{ childId: number; parentId: number }>> {
  const byMellan = DERIVED_FROM_PRIMAROMRADEN[layerId]!
  const prim = await trx
    .selectFrom('areas')
    .select(['id', 'code', sql<string>`attributes->>'mellanomradeKod'`.as('mellan')])
    .where('layer_id', '=', 'primaromrade')
    .where('valid_to', 'is', null)
    .execute()
  const groups = new Map<string, { name: string; ids: number[]; codes: string[] }>()
  for (const p of prim) {
    const target = byMellan[p.mellan]
    if (!target) throw new Error(`Primärområde ${p.code}: mellanområde ${p.mellan} has no ${layerId}`)
    const g = groups.get(target.code) ?? { name: target.name, ids: [], codes: [] }
    g.ids.push(p.id)
    g.codes.push(p.code)
    groups.set(target.code, g)
  }
  const spec = LAYERS.find((l) => l.id === layerId)!
  const members: Array<{ childId: number; parentId: number }> = []
  for (const [code, g] of groups) {
    const { id, repairedReason } = await insertArea(trx, {
      layerId,
      code,
      name: g.name,
      validFrom: spec.validFrom,
      geometry: await unionGeoJSON(trx, g.ids),
      attributes: { approximate: true, primaromraden: g.codes.sort() },
      importId: null,
      displayLater: true,
    })
    if (repairedReason) report.repaired.push({ layer: layerId, code, reason: repairedReason })
    for (const childId of g.ids) members.push({ childId, parentId: id })
  }
  report.areas[layerId] = groups.size
  report.display.push(await refreshDisplayGeometry(trx, layerId, spec.validFrom, displayGeometries))
  return members
}

/** Population 2025-01-01 per primärområde; returns codes in the file with no polygon (e.g. 199). */
async function loadPopulation(trx: Transaction<Database>, dir: string): Promise<string[]> {
  const text = await readFile(join(dir, POPULATION_FILE), 'utf8')
  const [header, ...lines] = text.trim().split(/\r?\n/)
  const cols = header!.split(',')
  const codeCol = cols.indexOf('primaromrade_kod')
  const popCol = cols.indexOf('folkmangd_2025_01_01')
  const ids = new Map(
    (await trx.selectFrom('areas').select(['id', 'code']).where('layer_id', '=', 'primaromrade').execute()).map((r) => [r.code, r.id]),
  )
  const unmatched: string[] = []
  const rows = []
  for (const line of lines) {
    const cells = line.split(',')
    const code = cells[codeCol]!
    const id = ids.get(code)
    if (id === undefined) unmatched.push(code)
    else rows.push({ area_id: id, year: 2025, population: Number(cells[popCol]), source: POPULATION_SOURCE })
  }
  await trx.insertInto('area_population').values(rows).execute()
  return unmatched
}

async function seedDemo(trx: Transaction<Database>): Promise<number> {
  await trx
    .insertInto('indicators')
    .values(DEMO_INDICATORS.map((i) => ({ ...i, source: DEMO_SOURCE, min_publish_count: 5, is_demo: true })))
    .execute()

  const prim: DemoPrimaromrade[] = (
    await trx
      .selectFrom('areas as a')
      .leftJoin('area_population as p', (j) => j.onRef('p.area_id', '=', 'a.id').on('p.year', '=', 2025))
      .select(['a.id', 'a.code', 'p.population', sql<string>`a.attributes->>'socioekonomiskKlass'`.as('cls')])
      .where('a.layer_id', '=', 'primaromrade')
      .orderBy('a.code')
      .execute()
  ).map((r) => ({ areaId: r.id, code: r.code, population: r.population ?? 0, socioClass: Number(r.cls) }))

  // Share of each primärområde's area inside each area of every layer: a primärområde is wholly its own, and
  // wholly in the area of a layer built of primärområden it went into; the other layers need the geometry.
  const built = Object.keys(DERIVED_FROM_PRIMAROMRADEN)
  const { rows } = await sql<{ area_id: number; layer_id: string; code: string; share: number }>`
    SELECT a.id AS area_id, a.layer_id, p.code,
           ST_Area(ST_Intersection(a.geom, p.geom)) / ST_Area(p.geom) AS share
    FROM areas a JOIN areas p ON p.layer_id = 'primaromrade' AND ST_Intersects(a.geom, p.geom)
    WHERE a.layer_id <> 'primaromrade' AND NOT (a.layer_id = ANY(${built}::text[]))
    UNION ALL
    SELECT a.id, a.layer_id, a.code, 1 FROM areas a WHERE a.layer_id = 'primaromrade'
    UNION ALL
    SELECT a.id, a.layer_id, m.code, 1 FROM areas a, jsonb_array_elements_text(a.attributes->'primaromraden') AS m(code)
    WHERE a.layer_id = ANY(${built}::text[])
    ORDER BY 1, 3`.execute(trx)
  const areas = new Map<number, DemoArea>()
  for (const r of rows) {
    if (r.share < 1e-6) continue
    const a = areas.get(r.area_id) ?? { areaId: r.area_id, layerId: r.layer_id, overlaps: [] }
    a.overlaps.push({ code: r.code, share: r.share })
    areas.set(r.area_id, a)
  }
  const all = [...areas.values()]
  const apportioned = all.filter((a) => ['deso', 'regso', 'utsatt_omrade'].includes(a.layerId))
  const observations = generateDemo(prim, apportioned, all)

  const importRow = await trx
    .insertInto('import_log')
    .values({
      kind: 'seed',
      file_name: 'geodata/demo.ts (syntetiska demodata)',
      file_sha256: null,
      rows_read: observations.length,
      rows_accepted: observations.length,
      is_demo: true,
      details: JSON.stringify({ note: DEMO_SOURCE }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let i = 0; i < observations.length; i += 2000) {
    await trx
      .insertInto('observations')
      .values(
        observations.slice(i, i + 2000).map((o) => ({
          indicator_id: o.indicatorId,
          area_id: o.areaId,
          period: o.period,
          period_start: o.periodStart,
          period_end: o.periodEnd,
          value: o.value,
          numerator: o.numerator,
          denominator: o.denominator,
          ci_low: o.ciLow,
          ci_high: o.ciHigh,
          import_id: importRow.id,
        })),
      )
      .execute()
  }
  return observations.length
}

/** Demo indicators linked to the agreement's problem areas, so the demo shows the links (idempotent). */
const DEMO_LINKS: Record<string, string[]> = {
  'Särskilt utsatta områden/platser': ['demo_otrygg_kvall', 'demo_avstatt_aktivitet', 'demo_ran', 'demo_misshandel_utomhus', 'demo_narkotikabrott'],
  'Barn och unga i riskzon för kriminalitet': ['demo_unga_uvas', 'demo_behoriga_gymnasiet'],
}

export async function linkDemoIndicators(db: Kysely<Database>): Promise<void> {
  for (const [title, ids] of Object.entries(DEMO_LINKS)) {
    await sql`
      INSERT INTO problem_area_indicators (problem_area_id, indicator_id)
      SELECT pa.id, i.id FROM problem_areas pa JOIN indicators i ON i.id = ANY(${ids}::text[])
      WHERE pa.title = ${title}
      ON CONFLICT DO NOTHING`.execute(db)
  }
}
