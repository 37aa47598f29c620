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

/** What a status means, in Swedish: a proxy's or the browser's own status text is English. */
export function statusMessage(status: number): string {
  if (status === 0) return 'Servern gick inte att nå. Kontrollera anslutningen och försök igen.'
  if (status === 401) return 'Du behöver logga in.'
  if (status === 403) return 'Din roll får inte göra det här.'
  if (status === 404) return 'Det som efterfrågades finns inte.'
  if (status === 413) return 'Filen är för stor.'
  if (status === 429) return 'För många försök. Vänta en stund och försök igen.'
  if (status >= 500) return `Servern kunde inte svara (fel ${status}). Försök igen om en stund.`
  return `Oväntat svar från servern (${status}).`
}

/** The server's error body ({ error: { message, details } }) as an ApiError; anything else by its status. */
export function errorFrom(status: number, _statusText: string, body: unknown): ApiError {
  const err = (body as { error?: { message?: string; details?: ApiDetail[] } } | null)?.error
  return new ApiError(status, err?.message ?? statusMessage(status), err?.details ?? [])
}

/** The Swedish message of anything thrown: an ApiError's, or a plain error's. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))
