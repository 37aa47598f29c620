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

