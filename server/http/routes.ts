import type { Access } from './access'

export interface RegisteredRoute {
  method: string
  /** Express's path, e.g. /api/snapshots/:id/values. */
  path: string
  /** The route's `allow(...)` rule: its first handler. */
  access: Access | undefined
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle?: { access?: Access } }> }
  handle?: { stack?: Layer[] }
  rawPath?: string
}

/** Walks Express's router tree: every route with its full path and access rule. */
export function registeredRoutes(stack: Layer[], prefix = ''): RegisteredRoute[] {
  const out: RegisteredRoute[] = []
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
        out.push({ method: method.toUpperCase(), path: prefix + layer.route.path, access: layer.route.stack[0]?.handle?.access })
      }
    } else if (layer.handle?.stack) {
      out.push(...registeredRoutes(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : '')))
    }
  }
  return out
}
