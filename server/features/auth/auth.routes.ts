import { Router, type Request, type RequestHandler, type Response } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import type { Kysely } from 'kysely'
import { parseCookie } from 'cookie'
import { z } from 'zod'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import { allow, currentUser } from '../../http/access'
import { parseInput } from '../../http/validate'
import { parseBody } from '../../http/validate-body'
import { auditQuery, loginBody, newUserBody, signInEmail, userPatchBody, type SessionDto } from './auth.schema'
import * as service from './auth.service'
import { DatabaseAttemptStore } from './attempts.store'
import { newTokenBody, type ApiTokenDto, type NewApiTokenDto } from './tokens.schema'
import { createToken, listTokens, revokeToken, tokenUser } from './tokens.service'

export const SESSION_COOKIE = 'lagesbild_session'

export interface AuthOptions {
  /** Sign-in attempts that fail per e-mail and address before a pause (15 minutes). */
  loginAttempts?: number
  /** Sign-in attempts that fail per address, over all accounts, before a pause (15 minutes). */
  addressAttempts?: number
  /** Send the cookie only over HTTPS. */
  secureCookies?: boolean
}

const idParams = z.object({ id: z.coerce.number().int().positive() })

const tokenOf = (req: Request): string | undefined => {
  const header = req.headers.cookie
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined
}

const READS = new Set(['GET', 'HEAD'])

/**
 * Finds the user behind an API token (`Authorization: Bearer`) or the session cookie, if any; anonymous
 * requests cost no query. Tokens are read-only: any other method with one is refused before the route,
 * and a token that does not work is a 401 even on a public route (the tool should learn it is dead).
 */
export function sessionMiddleware(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1]
    if (bearer) {
      if (!READS.has(req.method)) return next(AppError.forbidden('En API-nyckel ger bara läsrätt; ändringar görs inloggad i webbläsaren', [{ field: 'Authorization', message: 'API-nycklar får bara läsa (GET)' }]))
      const user = await tokenUser(db, bearer)
      if (!user) {
        res.set('WWW-Authenticate', 'Bearer error="invalid_token"')
        return next(AppError.unauthorized('API-nyckeln är okänd, har gått ut eller är återkallad'))
      }
      req.user = user
      return next()
    }
    const token = tokenOf(req)
    if (token) req.user = await service.sessionUser(db, token)
    next()
  }
}

export function authRouter(db: Kysely<Database>, options: AuthOptions = {}): Router {
  const router = Router()
  const cookieOptions = (res: Response) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.secureCookies ?? res.req.secure,
    path: '/',
  })
  const limitReached = (_req: Request, _res: Response, next: (err: unknown) => void) =>
    next(new AppError(429, 'too_many_requests', 'För många misslyckade inloggningar; försök igen om en kvart'))
  // Failed sign-ins only, counted in the database so that every instance sees the same count. Per address and
  // account (the e-mail exactly as sign-in reads it), so one noisy office network does not lock everyone else
  // out; and per address over all accounts, so one address cannot try a password on every account.
  const perAccount = rateLimit({
    windowMs: 15 * 60_000,
    limit: options.loginAttempts ?? 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new DatabaseAttemptStore(db, 'account|'),
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${signInEmail.safeParse((req.body as { email?: unknown })?.email).data ?? ''}`,
    handler: limitReached,
  })
  const perAddress = rateLimit({
    windowMs: 15 * 60_000,
    limit: options.addressAttempts ?? 100,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    store: new DatabaseAttemptStore(db, 'address|'),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: limitReached,
  })

  router.get('/session', allow('public'), async (req, res) => {
    const body: SessionDto = req.user ? { user: await service.describeSessionUser(db, req.user), csrfToken: req.user.csrfToken } : { user: null }
    res.set('Cache-Control', 'no-store').json(body)
  })
  router.post('/session', allow('public'), perAddress, perAccount, async (req, res) => {
    const { email, password } = parseBody(loginBody, req.body)
    const s = await service.signIn(db, email, password)
    res.cookie(SESSION_COOKIE, s.token, { ...cookieOptions(res), maxAge: service.SESSION_HOURS * 3600_000 })
    const { id: _id, disabled: _d, createdAt: _c, ...user } = s.user
    const body: SessionDto = { user, csrfToken: s.csrfToken }
    res.set('Cache-Control', 'no-store').json(body)
  })
  router.delete('/session', allow('public'), async (req, res) => {
    const token = tokenOf(req)
    if (token) await service.signOut(db, token)
    res.clearCookie(SESSION_COOKIE, cookieOptions(res)).status(204).end()
  })

  router.get('/users', allow('admin'), async (_req, res) => {
    res.json(await service.listUserDtos(db))
  })
  router.post('/users', allow('admin'), async (req, res) => {
    res.status(201).json(await service.createUser(db, currentUser(req), parseBody(newUserBody, req.body)))
  })
  router.patch('/users/:id', allow('admin'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    res.json(await service.patchUser(db, currentUser(req), id, parseBody(userPatchBody, req.body)))
  })
  router.delete('/users/:id', allow('admin'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    if (id === currentUser(req).id) throw new AppError(409, 'conflict', 'Du kan inte ta bort ditt eget konto', [{ field: 'id', message: 'ditt eget konto' }])
    await service.removeUser(db, currentUser(req), id)
    res.status(204).end()
  })
  // Personal read-only API tokens: every signed-in user manages their own.
  router.get('/tokens', allow('member'), async (req, res) => {
    const body: ApiTokenDto[] = await listTokens(db, currentUser(req))
    res.set('Cache-Control', 'private, no-store').json(body)
  })
  router.post('/tokens', allow('member'), async (req, res) => {
    const body: NewApiTokenDto = await createToken(db, currentUser(req), parseBody(newTokenBody, req.body))
    res.status(201).set('Cache-Control', 'no-store').json(body)
  })
  router.delete('/tokens/:id', allow('member'), async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path')
    await revokeToken(db, currentUser(req), id)
    res.status(204).end()
  })
  router.get('/audit', allow('admin'), async (req, res) => {
    res.json(await service.auditEntries(db, parseInput(auditQuery, req.query)))
  })
  return router
}
