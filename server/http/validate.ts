import { z } from 'zod'
import { isIsoDate, parsePeriod, PERIOD_KINDS } from '../core/period'
import { AppError } from '../errors'

/** Parses request input at the edge; a failure is a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'query'): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const details = result.error.issues.map((i) => ({ field: i.path.join('.') || what, message: i.message }))
  throw AppError.badRequest(`Invalid ${what}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details)
}

/** `areas=1,2,3`: up to 20 area ids, as the series endpoints take them. */
export const areaIdList = z
  .string({ error: 'is required' })
  .regex(/^\d{1,9}(,\d{1,9}){0,19}$/, 'must be 1–20 area ids separated by commas')
  .transform((s) => [...new Set(s.split(',').map(Number))])

/** A period id: 2024, 2024-H1, 2024-Q3 or 2024-05. */
export const periodText = z.string({ error: 'is required' }).refine((p) => parsePeriod(p) !== null, 'must be a period such as 2024, 2024-H1, 2024-Q3 or 2024-05')

/** A calendar date as a user types it (Swedish message: these reach forms). */
export const isoDateText = z.string({ error: 'ett datum krävs' }).refine(isIsoDate, 'måste vara ett datum som ÅÅÅÅ-MM-DD')

/** year | half | quarter | month. */
export const periodKindText = z.enum(PERIOD_KINDS, { error: 'must be year, half, quarter or month' })
