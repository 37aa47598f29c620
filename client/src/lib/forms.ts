import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form'
import { ApiError, type ApiDetail } from './apiError'

/**
 * The server's details on the form's own fields (react-hook-form's setError), so each shows beside its input.
 * A detail names a field exactly or a part of it ('followUp.0.target' belongs to 'followUp.0').
 * Returns the details no field took: the form shows those with the message.
 */
export function showServerErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fields: ReadonlyArray<FieldPath<T>>): ApiDetail[] {
  if (!(error instanceof ApiError)) return []
  const rest: ApiDetail[] = []
  const messages = new Map<FieldPath<T>, string[]>()
  for (const d of error.details) {
    const field = d.field === undefined ? undefined : fieldOf(d.field, fields)
    if (field === undefined) rest.push(d)
    else messages.set(field, [...(messages.get(field) ?? []), d.message])
  }
  for (const [field, list] of messages) setError(field, { type: 'server', message: list.join('; ') })
  return rest
}

/** The form field a server field path belongs to: itself, or the longest field it lies under. */
export function fieldOf<F extends string>(path: string, fields: readonly F[]): F | undefined {
  return [...fields].sort((a, b) => b.length - a.length).find((f) => path === f || path.startsWith(`${f}.`))
}
