import type { z } from 'zod'
import { AppError } from '../errors'

/** Parses a JSON body; a failure is a 422 naming every field (path like followUp.0.target). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new AppError(422, 'validation_failed', 'Ett JSON-objekt krävs', [{ field: 'body', message: 'ett JSON-objekt krävs' }])
  }
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const details = result.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }))
  // The fields are named in the details (the form shows each at its field), not by their API names here.
  throw new AppError(422, 'validation_failed', `Uppgifterna är inte kompletta: ${details.length} fält behöver rättas.`, details)
}
