import { timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'
import type { Organisation, Role } from '../../db/schema'
import { AppError } from '../errors'
import { setDefaultCaching } from './caching'

/** The signed-in user, as the session middleware found them. */
export interface SessionUser {
  id: number
  email: string
  name: string
  role: Role
  /** A local group's stadsområde code; null for admins and analysts. */
  stadsomradeCode: string | null
  /** The party the account works for (staden or polisen); null when not given. */
  organisation: Organisation | null
  csrfToken: string
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: SessionUser
    }
  }
}

/**
 * Who may call a route. `public`: anyone, signed in or not (published snapshots, boundaries, the
 * catalogue); `member`: any signed-in role (suppressed figures; locals are further limited to their own
 * stadsområde by the service); `analyst`: analysts and admins (imports, internal figures, snapshots);
 * `admin`: user management and the audit log.
 */
export type Access = 'public' | 'member' | 'analyst' | 'admin'

export const ROLES: readonly Role[] = ['admin', 'analyst', 'local']

const ALLOWED: Record<Access, ReadonlySet<Role>> = {
  public: new Set(ROLES),
  member: new Set(ROLES),
  analyst: new Set<Role>(['admin', 'analyst']),
  admin: new Set<Role>(['admin']),
}

export function roleMayAccess(access: Access, role: Role | null): boolean {
  if (access === 'public') return true
  return role !== null && ALLOWED[access].has(role)
}

/** Analysts and admins see internal, unsuppressed figures; everyone else sees them disclosed. */
export const seesInternalFigures = (user: SessionUser | undefined) => user?.role === 'admin' || user?.role === 'analyst'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The first handler of every API route: its rule, readable by the authorization-matrix test. */
export type AccessHandler = RequestHandler & { access: Access }

export function allow(access: Access): AccessHandler {
  const handler: RequestHandler = (req, res, next) => {
    setDefaultCaching(req, res, access === 'public')
    const user = req.user
    // A write made with a session cookie must prove it comes from our page, not a foreign form.
    if (user && !SAFE_METHODS.has(req.method)) {
      const token = req.get('x-csrf-token')
      if (!token || !sameToken(token, user.csrfToken)) {
        next(new AppError(403, 'csrf_failed', 'Sidan behöver laddas om (CSRF-token saknas eller är fel)', [{ field: 'X-CSRF-Token', message: 'saknas eller stämmer inte med sessionen' }]))
        return
      }
    }
    if (access === 'public') return next()
    if (!user) return next(AppError.unauthorized())
    if (!ALLOWED[access].has(user.role)) return next(AppError.forbidden('Din roll får inte göra detta'))
    next()
  }
  return Object.assign(handler, { access })
}

/** The route's user: `allow('member')` (or stricter) has already turned an anonymous call away. */
export function currentUser(req: { user?: SessionUser }): SessionUser {
  if (!req.user) throw AppError.unauthorized()
  return req.user
}
