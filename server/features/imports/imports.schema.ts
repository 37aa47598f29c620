import { z } from 'zod'
import { isIsoDate } from '../../core/period'
import { parseCrs } from '../../spatial/reproject'

const flag = z
  .enum(['true', 'false', '1', '0', 'ja', 'nej'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'ja')

export const observationsImportQuery = z.object({
  replace: flag.default(false),
  filename: z.string().max(200).optional(),
})

export const incidentsImportQuery = z.object({
  crs: z
    .string()
    .transform((s, ctx) => {
      const c = parseCrs(s)
      if (!c) ctx.addIssue({ code: 'custom', message: `okänt koordinatsystem "${s}" (EPSG:4326, EPSG:3006 eller EPSG:3007)` })
      return c ?? z.NEVER
    })
    .optional(),
  map: z
    .string()
    .max(4000)
    .regex(/^[^:,]+:[a-z][a-z0-9_]*(,[^:,]+:[a-z][a-z0-9_]*)*$/, 'must be category:indicatorId pairs separated by commas')
    .transform((s) => Object.fromEntries(s.split(',').map((pair) => pair.split(':').map((x) => x.trim()) as [string, string])))
    .optional(),
  format: z.enum(['csv', 'geojson']).optional(),
  dryRun: flag.default(false),
  replace: flag.default(false),
  strict: flag.default(true),
  filename: z.string().max(200).optional(),
})

export const boundariesImportQuery = z.object({
  layer: z.string({ error: 'krävs' }).regex(/^[a-z][a-z0-9_]{0,63}$/, 'måste vara en indelnings id, t.ex. lokalpolisomrade'),
  validFrom: z.string({ error: 'krävs' }).refine(isIsoDate, 'måste vara ett datum som ÅÅÅÅ-MM-DD'),
  crs: incidentsImportQuery.shape.crs,
  codeField: z.string().max(64).optional(),
  nameField: z.string().max(64).optional(),
  replace: flag.default(false),
  filename: z.string().max(200).optional(),
})

export const populationImportQuery = z.object({
  layer: z.string({ error: 'krävs' }).regex(/^[a-z][a-z0-9_]{0,63}$/, 'måste vara en indelnings id, t.ex. deso'),
  replace: flag.default(false),
  filename: z.string().max(200).optional(),
})

export interface PopulationImportResult {
  importId: number
  layer: string
  /** Areas given a population. */
  areas: number
  years: number[]
  /** (area, year) figures written. */
  rows: number
  /** Of them, figures that replaced stored ones (replace=true). */
  replaced: number
}

export interface BoundariesImportResult {
  importId: number
  layer: string
  validFrom: string
  areas: number
  closedVersions: number
  repaired: Array<{ code: string; reason: string }>
  nesting: Array<{ child: string; parent: string; nested: boolean }>
}

export interface ImportLogDto {
  id: number
  kind: string
  fileName: string
  sha256: string | null
  rowsRead: number
  rowsAccepted: number
  demo: boolean
  createdAt: string
  replacedAt: string | null
  replacedBy: number | null
  details: Record<string, unknown>
}

export interface IncidentPreview {
  dryRun: boolean
  rowsRead: number
  rowsAccepted: number
  rowsRejected: number
  rowsOutsideCity: number
  /** Rows with a date but no time of day: counted in every period, in no hour of the weekday × hour profile. */
  rowsWithoutTime: number
  categories: Array<{ category: string; rows: number; indicatorId: string | null }>
  dateRange: { from: string; to: string } | null
  periods: string[]
  areasTouched: number
  problems: Array<{ row?: number; field?: string; message: string }>
  duplicateOf: number | null
}

export interface IncidentImportResult extends IncidentPreview {
  importId: number
  observationsWritten: number
  replacedValues: number
}

export interface ObservationsImportResult {
  importId: number
  rowsRead: number
  rowsAccepted: number
  areasTouched: number
  replaced: number
}


// ---- Official tables (Brå, NTU, SCB, the city's Excel exports): POST /api/imports/tables ----

export const VALUE_ROLES = ['value', 'numerator', 'denominator', 'ci_low', 'ci_high'] as const
export type ValueRole = (typeof VALUE_ROLES)[number]

const columnName = z.string().min(1, 'ange en kolumn').max(200)

/**
 * How a table becomes observations: where its header is, which column holds the regions and which area
 * (by code in `layer`) each region is, where the periods are (the headers of wide tables, or a column), which
 * columns tell series apart, and which indicator each series is. A region or series mapped to null is not
 * imported; one missing from the map is unconfirmed (a problem on import).
 */
export const tableRecipe = z.object({
  headerRow: z.number().int().min(1).max(1_000_000),
  layer: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'måste vara en indelnings id'),
  regionColumn: columnName,
  period: z.discriminatedUnion('in', [z.object({ in: z.literal('columns') }), z.object({ in: z.literal('column'), column: columnName })]),
  dimensions: z.array(columnName).max(10),
  /** Long tables: what each numeric column is; wide tables take their value from the period columns. */
  values: z.array(z.object({ column: columnName, role: z.enum(VALUE_ROLES) })).max(20),
  regions: z.record(z.string().max(300), z.string().max(64).nullable()),
  indicators: z.record(z.string().max(1000), z.string().max(64).nullable()),
})
export type TableRecipe = z.infer<typeof tableRecipe>

export const MAX_TABLE_BYTES = 20 * 1024 * 1024

export const tablesImportBody = z.object({
  file: z.object({
    name: z.string({ error: 'krävs' }).min(1, 'krävs').max(200),
    base64: z.string({ error: 'krävs' }).min(1, 'filen är tom').regex(/^[A-Za-z0-9+/=\s]*$/, 'är inte base64'),
  }),
  recipe: tableRecipe.optional(),
  dryRun: z.boolean({ error: 'ange true eller false' }),
  replace: z.boolean().default(false),
  saveRecipeAs: z.string().trim().min(1, 'ange ett namn').max(100).optional(),
})

export const recipeParams = z.object({ id: z.coerce.number({ error: 'måste vara ett tal' }).int().positive('måste vara ett positivt heltal') })

export interface TableColumnDto {
  index: number
  name: string
  /** What the reader took the column for. */
  kind: 'region' | 'region_label' | 'period' | 'dimension' | 'value' | 'ignored'
}

export interface TableLayoutDto {
  headerRow: number
  title: string
  columns: TableColumnDto[]
  regionColumn: string
  period: { in: 'columns'; columns: string[]; kinds: string[] } | { in: 'column'; column: string; kinds: string[] }
  dimensions: Array<{ column: string; values: string[] }>
  values: Array<{ column: string; role: ValueRole }>
  format: { kind: 'csv' | 'xlsx'; encoding?: string; delimiter?: string; sheet?: string }
}

export interface RegionMatchDto {
  region: string
  rows: number
  status: 'exact' | 'suggested' | 'unmatched' | 'not_area'
  /** The area taken: the exact match, or the one confirmed in the recipe. */
  areaId: number | null
  code: string | null
  confirmed: boolean
  suggestions: Array<{ areaId: number; code: string; name: string; score: number }>
}

export interface SeriesMappingDto {
  key: string
  label: string
  rows: number
  indicatorId: string | null
  confirmed: boolean
  suggestions: Array<{ indicatorId: string; name: string; score: number }>
}

export interface TablePreviewRowDto {
  row: number
  column: string
  region: string
  areaCode: string | null
  series: string
  indicatorId: string | null
  period: string
  value: number
  numerator: number | null
  denominator: number | null
  ciLow: number | null
  ciHigh: number | null
}

export interface TableProblemDto {
  row?: number
  field?: string
  message: string
}

export interface SavedRecipeDto {
  id: number
  name: string
  kind: string
  recipe: TableRecipe & { fingerprint?: string }
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface TablesDryRunDto {
  dryRun: true
  fileName: string
  layout: TableLayoutDto
  layer: { id: string; name: string }
  matches: RegionMatchDto[]
  mapping: SeriesMappingDto[]
  preview: TablePreviewRowDto[]
  counts: {
    rowsRead: number
    cells: number
    values: number
    skippedMissing: number
    notImported: number
    unconfirmed: number
    observations: number
    existing: number
  }
  problems: TableProblemDto[]
  recipe: TableRecipe
  suggestedRecipe: SavedRecipeDto | null
  savedRecipeId: number | null
}

export interface TablesImportResult {
  importId: number
  rowsRead: number
  observationsWritten: number
  areasTouched: number
  indicators: string[]
  periods: string[]
  skippedMissing: number
  replaced: number
  savedRecipeId: number | null
}
