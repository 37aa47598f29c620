/** The client's one error type, apart from api.ts so that the session can read sign-in refusals without a cycle. */

/** One problem the server found: in a form field, a file's row, or the request as a whole. */
export interface ApiDetail {
  field?: string
  row?: number
  message: string
}

/** A refused or failed request. `status` 0: the server was not reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ApiDetail[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The server's error body ({ error: { message, details } }) as an ApiError; anything else by its status. */
export function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const err = (body as { error?: { message?: string; details?: ApiDetail[] } } | null)?.error
  return new ApiError(status, err?.message ?? (statusText ? `${status} ${statusText}` : `Oväntat svar från servern (${status})`), err?.details ?? [])
}

/** The Swedish message of anything thrown: an ApiError's, or a plain error's. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))
