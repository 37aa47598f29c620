export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'too_many_requests'
  | 'not_found'
  | 'method_not_allowed'
  | 'validation_failed'
  | 'conflict'
  | 'payload_too_large'
  | 'unavailable'
  | 'database_unavailable'
  | 'audit_pending'
  | 'internal'

export interface ErrorDetail {
  /** The input field (query parameter, body field or column) the problem is in. */
  field?: string
  /** 1-based row of an uploaded file. */
  row?: number
  message: string
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message)
    this.name = 'AppError'
  }

  static notFound(message: string, details: ErrorDetail[] = []) {
    return new AppError(404, 'not_found', message, details)
  }

  static unauthorized(message = 'Logga in för att se detta') {
    return new AppError(401, 'unauthorized', message)
  }

  static forbidden(message: string, details: ErrorDetail[] = []) {
    return new AppError(403, 'forbidden', message, details)
  }

  static badRequest(message: string, details: ErrorDetail[] = []) {
    return new AppError(400, 'bad_request', message, details)
  }
}
