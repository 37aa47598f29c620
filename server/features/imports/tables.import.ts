import { allowLongWork } from '../../../db/connect'
/**
 * Official tables (Brå, NTU, SCB, the city's Excel exports) in one import: a dry run proposes the layout,
 * the layer, the area for each region and the indicator for each series (a recipe the user edits); the
 * confirmed recipe writes all or nothing, through the same repository functions and 409/replace rules as
 * the indicator-table import. Recipes are saved by name and offered for a file with the same header.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database, NewObservation } from '../../../db/schema'
import { AppError } from '../../errors'
import {
  deleteObservations,
  deleteTimeProfilesAt,
  deleteRecipe,
  findExistingObservations,
  findRecipe,
  insertImportLog,
  insertObservations,
  listAreasWithNames,
  listIndicatorRefs,
  listLayerRefs,
  listRecipes,
  upsertRecipe,
} from './imports.repository'
import {
  MAX_TABLE_BYTES,
  tablesImportBody,
  type RegionMatchDto,
  type SavedRecipeDto,
  type SeriesMappingDto,
  type TableColumnDto,
  type TableLayoutDto,
  type TableProblemDto,
  type TableRecipe,
  type TablesDryRunDto,
  type TablesImportResult,
} from './imports.schema'
import type { z } from 'zod'
import { layerFit, matchRegions, suggestIndicators, type AreaRef, type RegionMatch } from './tables.match'
import {
  ALL_ROWS,
  checkRecipeColumns,
  columnStats,
  dataRows,
  dimensionColumns,
  findHeader,
  headerFingerprint,
  periodOfLabel,
  proposeColumns,
  readGrid,
  reshape,
  type Grid,
  type HeaderInfo,
  type LongRow,
} from './tables.reader'
import { csvProblem, rejected } from './upload'

type Body = z.infer<typeof tablesImportBody>
type AreaRow = Awaited<ReturnType<typeof listAreasWithNames>>[number]

/** A proposal: the suggestion is taken into the recipe at once only when it is this sure. */
const PROPOSE_INDICATOR_AT = 0.6

export async function importTables(db: Kysely<Database>, body: Body, actor: Actor, options: { keepDemoAccounts?: boolean } = {}): Promise<TablesDryRunDto | TablesImportResult> {
  const bytes = decodeFile(body.file.base64)
  let grid: Grid
  try {
    grid = await readGrid(bytes, body.file.name)
  } catch (err) {
    throw csvProblem(err)
  }
  if (grid.rows.length === 0) throw rejected('Filen är tom', [{ row: 1, field: 'file', message: 'inga rader' }])

  const [areaRows, indicators, layers, recipes] = await Promise.all([listAreasWithNames(db), listIndicatorRefs(db), listLayerRefs(db), listRecipes(db)])
  const layerIds = new Set(layers.map((l) => l.id))
  const versionsByLayer = new Map<string, Map<string, AreaRow[]>>()
  for (const a of areaRows) {
    const byCode = versionsByLayer.get(a.layer_id) ?? new Map<string, AreaRow[]>()
    byCode.set(a.code, [...(byCode.get(a.code) ?? []), a])
    versionsByLayer.set(a.layer_id, byCode)
  }
  /** A layer's areas for matching: one per code, its latest version's id and name. */
  const areasOf = (layer: string): AreaRef[] =>
    [...(versionsByLayer.get(layer)?.values() ?? [])].map((vs) => {
      const latest = vs[vs.length - 1]!
      return { id: latest.id, code: latest.code, name: latest.name }
    })

  let header: HeaderInfo
  try {
    header = findHeader(grid, body.recipe?.headerRow)
  } catch (err) {
    throw csvProblem(err)
  }
  const fingerprint = headerFingerprint(header.names)

  let recipe: TableRecipe
  if (body.recipe) {
    recipe = body.recipe
    const missing = checkRecipeColumns(header, recipe)
    if (!layerIds.has(recipe.layer)) missing.push({ row: header.headerRow, field: 'layer', message: `okänd indelning "${recipe.layer}"` })
    if (missing.length) throw rejected('Receptet passar inte filen', missing)
  } else {
    recipe = propose(grid, header, layers.filter((l) => l.kind !== 'grid').map((l) => l.id), areasOf)
  }

  const shaped = reshape(grid, header, recipe)
  const areas = areasOf(recipe.layer)
  const byCode = versionsByLayer.get(recipe.layer) ?? new Map<string, AreaRow[]>()

  // Regions in file order with their rows; every data row's region counts, even one whose values are all missing.
  const regionRows = new Map<string, number>()
  for (const r of shaped.rows) regionRows.set(r.region, (regionRows.get(r.region) ?? 0) + 1)
  for (const r of regionsOfRows(grid, header, recipe.regionColumn)) if (!regionRows.has(r)) regionRows.set(r, 0)
  const matched = matchRegions([...regionRows.keys()], areas)
  if (!body.recipe) {
    for (const m of matched) {
      if (m.status === 'exact') recipe.regions[m.region] = m.area!.code
      else if (m.status === 'not_area') recipe.regions[m.region] = null
    }
  }

  const seriesRows = new Map<string, number>()
  for (const r of shaped.rows) seriesRows.set(r.key, (seriesRows.get(r.key) ?? 0) + 1)
  const labelOf = (key: string) => (key === ALL_ROWS ? [header.title, ...recipe.values.filter((v) => v.role === 'value').map((v) => v.column)].filter(Boolean).join(' ') : key)
  const indicatorRefs = indicators.map((i) => ({ id: i.id, name: i.name }))
  const suggestionsByKey = new Map([...seriesRows.keys()].map((k) => [k, suggestIndicators(labelOf(k), indicatorRefs)]))
  if (!body.recipe) {
    for (const [key, s] of suggestionsByKey) if (s[0] && s[0].score >= PROPOSE_INDICATOR_AT) recipe.indicators[key] = s[0].indicatorId
  }

  const unitOf = new Map(indicators.map((i) => [i.id, i.unit]))
  const built = buildObservations(shaped.rows, recipe, byCode, unitOf, !body.dryRun)
  const problems = [...shaped.problems, ...built.problems]
  const existing = await findExistingObservations(
    db,
    built.rows.map((r) => ({ indicatorId: r.indicator_id, areaId: r.area_id, period: r.period })),
  )

  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const saved = { ...recipe, fingerprint }

  if (body.dryRun) {
    let savedRecipeId: number | null = null
    if (body.saveRecipeAs) savedRecipeId = await db.transaction().execute((trx) => saveRecipe(trx, body.saveRecipeAs!, saved, actor))
    const offer = body.recipe ? undefined : recipes.find((r) => (r.recipe as { fingerprint?: string }).fingerprint === fingerprint)
    const stats = columnStats(dataRows(grid, header), header, grid.decimalComma)
    return {
      dryRun: true,
      fileName: body.file.name,
      layout: layoutOf(grid, header, recipe, stats.filter((s) => s.distinct > 0).map((s) => s.name), shaped.periodKinds),
      layer: { id: recipe.layer, name: layers.find((l) => l.id === recipe.layer)?.name ?? recipe.layer },
      matches: matched.map((m) => matchDto(m, regionRows.get(m.region) ?? 0, recipe, byCode)),
      mapping: [...seriesRows].map(([key, rows]) => mappingDto(key, labelOf(key), rows, recipe, suggestionsByKey.get(key) ?? [])),
      preview: shaped.rows.slice(0, 50).map((r) => ({
        row: r.line,
        column: r.column,
        region: r.region,
        areaCode: recipe.regions[r.region] ?? null,
        series: r.key,
        indicatorId: recipe.indicators[r.key] ?? null,
        period: r.period.id,
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        ciLow: r.ciLow,
        ciHigh: r.ciHigh,
      })),
      counts: {
        rowsRead: shaped.rowsRead,
        cells: shaped.cells,
        values: shaped.rows.length,
        skippedMissing: shaped.skippedMissing,
        notImported: built.notImported,
        unconfirmed: built.unconfirmed,
        observations: built.rows.length,
        existing: existing.length,
      },
      problems: problems.slice(0, 200),
      recipe,
      suggestedRecipe: offer ? { ...recipeDto(offer), recipe: { ...(offer.recipe as SavedRecipeDto['recipe']), headerRow: header.headerRow } } : null,
      savedRecipeId,
    }
  }

  if (problems.length) throw rejected('Tabellen har fel och lästes inte in', problems)
  if (built.rows.length === 0) throw rejected('Inget att läsa in: alla områden eller serier är valda att inte importeras', [{ field: 'recipe', message: 'inga värden kvar' }])
  if (existing.length && !body.replace) {
    const sample = existing.slice(0, 20).map((e) => ({ field: 'period', message: `${e.indicator_id} ${e.period} för område ${e.area_id} finns redan (import ${e.import_id})` }))
    throw new AppError(409, 'conflict', `${existing.length} värden finns redan. Välj att ersätta dem för att skriva över.`, sample)
  }

  return db.transaction().execute(async (trx) => {
    await allowLongWork(trx)
    const importId = await insertImportLog(trx, {
      actor,
      keepDemoAccounts: options.keepDemoAccounts,
      kind: 'tables',
      fileName: body.file.name,
      sha256,
      rowsRead: shaped.rowsRead,
      rowsAccepted: built.rows.length,
      details: { format: grid.format, layer: recipe.layer, skippedMissing: shaped.skippedMissing, notImported: built.notImported, replacedValues: existing.length, recipe: saved },
    })
    await deleteObservations(trx, existing.map((e) => e.id))
    // An incident month's weekday × hour counts go with the value they made up.
    await deleteTimeProfilesAt(trx, existing)
    await insertObservations(trx, built.rows.map((r) => ({ ...r, import_id: importId })))
    const savedRecipeId = body.saveRecipeAs ? await saveRecipe(trx, body.saveRecipeAs, saved, actor) : null
    return {
      importId,
      rowsRead: shaped.rowsRead,
      observationsWritten: built.rows.length,
      areasTouched: new Set(built.rows.map((r) => r.area_id)).size,
      indicators: [...new Set(built.rows.map((r) => r.indicator_id))].sort(),
      periods: [...new Set(built.rows.map((r) => r.period))].sort(),
      skippedMissing: shaped.skippedMissing,
      replaced: existing.length,
      savedRecipeId,
    }
  })
}

function decodeFile(base64: string): Uint8Array {
  // base64 is 4/3 of the bytes: refuse a body that cannot be under the cap before decoding it.
  if (base64.length > Math.ceil(MAX_TABLE_BYTES / 3) * 4 + 1024) throw tooLarge()
  const bytes = Buffer.from(base64, 'base64')
  if (bytes.length > MAX_TABLE_BYTES) throw tooLarge()
  if (bytes.length === 0) throw rejected('Filen är tom', [{ field: 'file', message: 'inga byte' }])
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}

export const tooLarge = () =>
  new AppError(413, 'payload_too_large', `Filen är för stor: högst ${MAX_TABLE_BYTES / 1024 / 1024} MB`, [{ field: 'file', message: `larger than ${MAX_TABLE_BYTES} bytes` }])

/** The proposal: region column and layer that match best, periods, dimensions and value columns. */
function propose(grid: Grid, header: HeaderInfo, layers: string[], areasOf: (layer: string) => AreaRef[]): TableRecipe {
  const rows = dataRows(grid, header)
  const stats = columnStats(rows, header, grid.decimalComma)
  const cols = proposeColumns(stats)
  let best = { column: cols.regionCandidates[0] ?? header.names[0]!, layer: layers[0] ?? '', fit: -1 }
  for (const column of cols.regionCandidates) {
    const s = stats.find((x) => x.name === column)!
    for (const layer of layers) {
      // A code column wins a tie with the name column beside it.
      const fit = layerFit(matchRegions(s.values, areasOf(layer))) + (s.codeHeader ? 0.01 : 0)
      if (fit > best.fit) best = { column, layer, fit }
    }
  }
  return {
    headerRow: header.headerRow,
    layer: best.layer,
    regionColumn: best.column,
    period: cols.period,
    dimensions: dimensionColumns(rows, header, cols.textColumns, best.column),
    values: cols.values,
    regions: {},
    indicators: {},
  }
}

function regionsOfRows(grid: Grid, header: HeaderInfo, regionColumn: string): string[] {
  const i = header.names.indexOf(regionColumn)
  return [...new Set(dataRows(grid, header).map((r) => r.cells[i] ?? '').filter(Boolean))]
}

interface Built {
  rows: NewObservation[]
  problems: TableProblemDto[]
  notImported: number
  unconfirmed: number
}

/**
 * Long rows → observations under the recipe. Unconfirmed regions and series are problems only when
 * importing (a dry run shows them as matches to confirm); every value is checked against its indicator's unit.
 */
function buildObservations(
  rows: LongRow[],
  recipe: TableRecipe,
  byCode: Map<string, AreaRow[]>,
  unitOf: Map<string, string>,
  importing: boolean,
): Built {
  const problems: TableProblemDto[] = []
  const out: NewObservation[] = []
  const seen = new Map<string, number>()
  const reported = new Set<string>()
  let notImported = 0
  let unconfirmed = 0
  const once = (key: string, p: TableProblemDto) => {
    if (reported.has(key)) return
    reported.add(key)
    problems.push(p)
  }
  for (const r of rows) {
    const bad = (field: string, message: string) => problems.push({ row: r.line, field, message })
    const code = recipe.regions[r.region]
    const indicator = recipe.indicators[r.key]
    if (code === null || indicator === null) {
      notImported++
      continue
    }
    if (code === undefined || indicator === undefined) {
      unconfirmed++
      if (importing && code === undefined) once(`r|${r.region}`, { row: r.line, field: recipe.regionColumn, message: `"${r.region}" har inget bekräftat område i ${recipe.layer}` })
      if (importing && indicator === undefined) {
        const field = recipe.dimensions.length ? recipe.dimensions.join(' · ') : r.column
        once(`i|${r.key}`, { row: r.line, field, message: `ingen indikator vald för "${r.key === ALL_ROWS ? 'hela tabellen' : r.key}"` })
      }
      continue
    }
    const versions = byCode.get(code)
    if (!versions) {
      once(`c|${code}`, { row: r.line, field: recipe.regionColumn, message: `okänd områdeskod "${code}" i ${recipe.layer}` })
      continue
    }
    const unit = unitOf.get(indicator)
    if (!unit) {
      once(`u|${indicator}`, { row: r.line, field: r.column, message: `okänd indikator "${indicator}"` })
      continue
    }
    let ok = true
    const fail = (field: string, message: string) => {
      bad(field, message)
      ok = false
    }
    const ciField = (role: 'ci_low' | 'ci_high') => recipe.values.find((v) => v.role === role)?.column ?? role
    if (unit === 'count' && (r.value < 0 || !Number.isInteger(r.value))) fail(r.column, `${r.value} är inget antal: ett antal måste vara ett heltal ≥ 0`)
    if (unit === 'percent' && (r.value < 0 || r.value > 100)) fail(r.column, `${r.value} är ingen andel i procent: den måste ligga mellan 0 och 100`)
    // Named by the column that has a bound: the other may not be in the recipe at all.
    if (r.ciLow === null && r.ciHigh !== null) fail(ciField('ci_high'), 'den nedre gränsen saknas: ange båda gränserna eller ingen')
    if (r.ciHigh === null && r.ciLow !== null) fail(ciField('ci_low'), 'den övre gränsen saknas: ange båda gränserna eller ingen')
    if (r.ciLow !== null && r.ciHigh !== null && r.ciLow > r.ciHigh) fail(ciField('ci_low'), `nedre gränsen (${r.ciLow}) är större än den övre (${r.ciHigh})`)
    if (r.denominator !== null && r.denominator <= 0) fail(recipe.values.find((v) => v.role === 'denominator')?.column ?? 'denominator', 'nämnaren måste vara större än 0')
    if (r.numerator !== null && r.numerator < 0) fail(recipe.values.find((v) => v.role === 'numerator')?.column ?? 'numerator', 'täljaren kan inte vara negativ')
    if (!ok) continue
    // The version valid when the period starts; data older than every version attach to the first one.
    const area = [...versions].reverse().find((v) => v.valid_from <= r.period.start && (v.valid_to === null || v.valid_to > r.period.start)) ?? versions[0]!
    const key = `${indicator}|${area.id}|${r.period.id}`
    const first = seen.get(key)
    if (first !== undefined) {
      bad(r.column, `samma indikator, område och period som rad ${first}`)
      continue
    }
    seen.set(key, r.line)
    out.push({
      indicator_id: indicator,
      area_id: area.id,
      period: r.period.id,
      period_start: r.period.start,
      period_end: r.period.end,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      ci_low: r.ciLow,
      ci_high: r.ciHigh,
      import_id: 0,
    })
  }
  return { rows: out, problems, notImported, unconfirmed }
}

function layoutOf(grid: Grid, header: HeaderInfo, recipe: TableRecipe, used: string[], periodKinds: string[]): TableLayoutDto {
  const rows = dataRows(grid, header)
  const periodColumns = header.names.filter((n) => periodOfLabel(n))
  const kindOf = (name: string): TableColumnDto['kind'] => {
    if (name === recipe.regionColumn) return 'region'
    if (recipe.period.in === 'columns' ? periodColumns.includes(name) : recipe.period.column === name) return 'period'
    if (recipe.dimensions.includes(name)) return 'dimension'
    if (recipe.values.some((v) => v.column === name)) return 'value'
    return 'ignored'
  }
  const valuesOf = (name: string) => {
    const i = header.names.indexOf(name)
    let last = ''
    const out = new Set<string>()
    for (const r of rows) {
      last = r.cells[i] || last
      if (last) out.add(last)
    }
    return [...out]
  }
  return {
    headerRow: header.headerRow,
    title: header.title,
    columns: header.names.filter((n) => used.includes(n) || kindOf(n) !== 'ignored').map((name) => ({ index: header.names.indexOf(name), name, kind: kindOf(name) })),
    regionColumn: recipe.regionColumn,
    period: recipe.period.in === 'columns' ? { in: 'columns', columns: periodColumns, kinds: periodKinds } : { in: 'column', column: recipe.period.column, kinds: periodKinds },
    dimensions: recipe.dimensions.map((column) => ({ column, values: valuesOf(column).slice(0, 200) })),
    values: recipe.values,
    format: grid.format,
  }
}

function matchDto(m: RegionMatch, rows: number, recipe: TableRecipe, byCode: Map<string, AreaRow[]>): RegionMatchDto {
  const confirmed = Object.hasOwn(recipe.regions, m.region)
  const code = confirmed ? recipe.regions[m.region]! : (m.area?.code ?? null)
  const versions = code === null ? undefined : byCode.get(code)
  return {
    region: m.region,
    rows,
    status: m.status,
    areaId: versions ? versions[versions.length - 1]!.id : null,
    code: versions ? code : null,
    confirmed,
    suggestions: m.suggestions.map((s) => ({ areaId: s.id, code: s.code, name: s.name, score: s.score })),
  }
}

function mappingDto(key: string, label: string, rows: number, recipe: TableRecipe, suggestions: SeriesMappingDto['suggestions']): SeriesMappingDto {
  const confirmed = Object.hasOwn(recipe.indicators, key)
  return { key, label: key === ALL_ROWS ? label || 'Hela tabellen' : key, rows, indicatorId: confirmed ? recipe.indicators[key]! : null, confirmed, suggestions }
}

async function saveRecipe(db: Parameters<typeof upsertRecipe>[0], name: string, recipe: TableRecipe & { fingerprint: string }, actor: Actor): Promise<number> {
  const { id } = await upsertRecipe(db, { name, kind: 'tables', recipe, createdBy: actor.email })
  await recordAudit(db, actor, { action: 'update', entity: 'import', entityId: `recept ${id}`, summary: `Importrecept "${name}" sparat`, after: { name, recipe } })
  return id
}

function recipeDto(r: Awaited<ReturnType<typeof listRecipes>>[number]): SavedRecipeDto {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    recipe: r.recipe as SavedRecipeDto['recipe'],
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }
}

export async function listTableRecipes(db: Kysely<Database>): Promise<SavedRecipeDto[]> {
  return (await listRecipes(db)).map(recipeDto)
}

export async function removeTableRecipe(db: Kysely<Database>, id: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findRecipe(trx, id)
    if (!before) throw AppError.notFound(`Importreceptet ${id} finns inte`)
    await deleteRecipe(trx, id)
    await recordAudit(trx, actor, { action: 'delete', entity: 'import', entityId: `recept ${id}`, summary: `Importrecept "${before.name}" borttaget`, before: recipeDto(before) })
  })
}
