import type { ErrorRequestHandler, RequestHandler } from 'express'
import { AppError } from '../errors'

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
  } else {
    console.error(`[error] ${req.method} ${req.originalUrl}`, err)
    error = new AppError(500, 'internal', INTERNAL_MESSAGE)
  }
  if (res.headersSent) return
  // An error is about this moment (a draft not yet published, a bad token): never cached.
  res.set('Cache-Control', 'no-store')
  res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } })
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
