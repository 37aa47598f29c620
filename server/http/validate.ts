import { z } from 'zod'
import { isIsoDate, parsePeriod, PERIOD_KINDS } from '../core/period'
import { AppError } from '../errors'

// Zod's own messages (where a schema names none) reach users too: in Swedish.
z.config(z.locales.sv())

const WHAT: Record<string, string> = { query: 'Felaktiga parametrar', path: 'Felaktig adress', body: 'Felaktiga uppgifter' }

/** Parses request input at the edge; a failure is a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'query'): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const details = result.error.issues.map((i) => ({ field: i.path.join('.') || what, message: i.message }))
  throw AppError.badRequest(`${WHAT[what] ?? 'Felaktig indata'}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details)
}

/** `areas=1,2,3`: up to 20 area ids, as the series endpoints take them. */
export const areaIdList = z
  .string({ error: 'krävs' })
  .regex(/^\d{1,9}(,\d{1,9}){0,19}$/, 'ange 1–20 område-id:n åtskilda med komma')
  .transform((s) => [...new Set(s.split(',').map(Number))])

/** A period id: 2024, 2024-H1, 2024-Q3, 2024-05 or the ISO week 2024-W10. */
export const periodText = z.string({ error: 'krävs' }).refine((p) => parsePeriod(p) !== null, 'måste vara en period som 2024, 2024-H1, 2024-Q3, 2024-05 eller 2024-W10')

/** A calendar date as a user types it (Swedish message: these reach forms). */
export const isoDateText = z.string({ error: 'ett datum krävs' }).refine(isIsoDate, 'måste vara ett datum som ÅÅÅÅ-MM-DD')

/** year | half | quarter | month | week. */
export const periodKindText = z.enum(PERIOD_KINDS, { error: 'måste vara year (år), half (halvår), quarter (kvartal), month (månad) eller week (vecka)' })
/** Published lägesbilder hold no weeks: packs and snapshots read the calendar kinds only. */
export const calendarPeriodKindText = z.enum(['year', 'half', 'quarter', 'month'], { error: 'måste vara year (år), half (halvår), quarter (kvartal) eller month (månad)' })
