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
  } else {
    console.error(`[error] ${req.method} ${req.originalUrl}`, err)
    error = new AppError(500, 'internal', 'Internal server error')
  }
  if (res.headersSent) return
  res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } })
}

function isClientHttpError(err: unknown): err is { status: number; type?: string; message: string } {
  const status = (err as { status?: unknown })?.status
  return typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: boolean }).expose !== false
}
