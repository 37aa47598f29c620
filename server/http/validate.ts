import type { z } from 'zod'
import { AppError } from '../errors'

/** Parses request input at the edge; a failure is a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'query'): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const details = result.error.issues.map((i) => ({ field: i.path.join('.') || what, message: i.message }))
  throw AppError.badRequest(`Invalid ${what}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details)
}
