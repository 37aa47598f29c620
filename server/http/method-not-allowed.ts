import type { RequestHandler, Router } from 'express'
import { AppError } from '../errors'

interface Layer {
  slash?: boolean
  route?: { methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
  match(path: string): false | { path: string }
}

/** The methods the router's registered routes answer at `path`, walking nested routers as Express does. */
export function allowedMethods(stack: Layer[], path: string): Set<string> {
  const methods = new Set<string>()
  for (const layer of stack) {
    const m = layer.match(path)
    if (!m) continue
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase())
    } else if (layer.handle?.stack) {
      const rest = layer.slash ? path : path.slice(m.path.length) || '/'
      for (const method of allowedMethods(layer.handle.stack, rest)) methods.add(method)
    }
  }
  // Express answers HEAD with the GET handler.
  if (methods.has('GET')) methods.add('HEAD')
  return methods
}

/**
 * After every route of the router: a path that some route answers, but not with this method, is a 405
 * with the methods it does answer (from the registered routes, so the list cannot drift).
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, res, next) => {
    const methods = allowedMethods((router as unknown as { stack: Layer[] }).stack, req.path)
    if (methods.size === 0 || methods.has(req.method)) return next()
    const allow = [...methods].sort().join(', ')
    res.set('Allow', allow)
    // OPTIONS asks exactly this.
    if (req.method === 'OPTIONS') return void res.status(204).end()
    next(new AppError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; allowed: ${allow}`, [{ field: 'method', message: `allowed: ${allow}` }]))
  }
}
