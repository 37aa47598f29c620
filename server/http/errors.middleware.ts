import type { ErrorRequestHandler, RequestHandler } from 'express'
import { AppError } from '../errors'
import { foldingLog } from './log'

export const notFoundApi: RequestHandler = (req, _res, next) => {
  next(AppError.notFound(`No such API route: ${req.method} ${req.path}`))
}

/** One error middleware: AppErrors keep their status; body-parser errors stay 4xx; anything else is a logged 500. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let error: AppError
  if (err instanceof AppError) error = err
  else if (isClientHttpError(err)) {
    error =
      err.status === 413
        ? new AppError(413, 'payload_too_large', 'The request body is too large')
        : AppError.badRequest(err.type === 'entity.parse.failed' ? 'The request body is not valid JSON' : err.message)
  } else if (uniqueViolation(err)) {
    // A write that clashes with stored data is the user's conflict to resolve, not a server fault.
    console.warn(`[conflict] ${req.method} ${req.originalUrl}: ${err.detail ?? err.message}`)
    error = new AppError(409, 'conflict', 'Uppgiften krockar med en som redan finns lagrad; inget sparades.', [
      { field: err.constraint ?? 'data', message: err.detail ?? 'samma nyckel finns redan' },
    ])
  } else error = serverError(err, `${req.method} ${req.originalUrl}`)
  if (res.headersSent) return
  // An error is about this moment (a draft not yet published, a bad token): never cached.
  res.set('Cache-Control', 'no-store')
  if (error.code === 'database_unavailable' || error.code === 'audit_pending') res.set('Retry-After', String(RETRY_AFTER_S))
  res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } })
}

const logError = foldingLog()
const RETRY_AFTER_S = 5

/**
 * A fault of ours or of the database, logged (repeats folded). The database being away, restarting, having
 * dropped the connection or timed out is a 503 the client may retry: nothing was changed, since every
 * write is one transaction.
 */
export function serverError(err: unknown, where: string): AppError {
  if (databaseUnavailable(err)) {
    const reason = (err as Error).message
    logError(`db:${reason}`, `[db] ${where}: databasen svarar inte: ${reason}`)
    return new AppError(503, 'database_unavailable', UNAVAILABLE_MESSAGE)
  }
  logError(`error:${(err as Error)?.message ?? String(err)}`, `[error] ${where}`, err)
  return new AppError(500, 'internal', INTERNAL_MESSAGE)
}

export const UNAVAILABLE_MESSAGE = 'Databasen svarar inte just nu, så inget lästes eller ändrades. Försök igen om en stund.'

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/**
 * The database could not answer: unreachable, shutting down, out of connections, the connection dropped, or
 * the statement or lock timeout fired (SQLSTATE classes 08, 53 and 57P, 57014, 55P03).
 */
export function databaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | null
  if (!e || typeof e !== 'object') return false
  const code = typeof e.code === 'string' ? e.code : ''
  if (/^(08|53|57P)/.test(code) || code === '57014' || code === '55P03' || CONNECTION_CODES.has(code)) return true
  const message = typeof e.message === 'string' ? e.message : ''
  if (/Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended unexpectedly/i.test(message)) return true
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  return Array.isArray(e.errors) && e.errors.some(databaseUnavailable)
}

export const INTERNAL_MESSAGE = 'Ett oväntat fel inträffade i servern och inget ändrades. Försök igen; om felet kvarstår, kontakta den som förvaltar Lägesbild.'

/** PostgreSQL's unique_violation (23505), from either engine's driver. */
function uniqueViolation(err: unknown): err is { code: string; message: string; detail?: string; constraint?: string } {
  return (err as { code?: unknown })?.code === '23505'
}

function isClientHttpError(err: unknown): err is { status: number; type?: string; message: string } {
  const status = (err as { status?: unknown })?.status
  return typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: boolean }).expose !== false
}
