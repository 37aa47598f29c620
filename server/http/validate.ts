import { z } from 'zod'
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
