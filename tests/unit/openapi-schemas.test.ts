import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROUTE_SCHEMAS } from '../../server/openapi-schemas'

/**
 * The OpenAPI document describes each route with the schemas in ROUTE_SCHEMAS: this reads the routers'
 * source and checks the table names the very schema (by name) each route parses its query and body with,
 * so the document cannot drift from what the routes validate.
 */
function schemasInRouters(): Record<string, { query?: string; body?: string }> {
  const out: Record<string, { query?: string; body?: string }> = {}
  const features = join('server', 'features')
  for (const feature of readdirSync(features)) {
    for (const file of readdirSync(join(features, feature)).filter((f) => f.endsWith('.routes.ts'))) {
      const src = readFileSync(join(features, feature, file), 'utf8')
      const parts = src.split(/\brouter\.(get|post|put|patch|delete)\(\s*'([^']+)'/)
      for (let i = 1; i < parts.length; i += 3) {
        const body = parts[i + 2]!
        const query = /parseInput\(\s*(\w+)\s*,\s*req\.query/.exec(body)?.[1]
        const json = /parseBody\(\s*(\w+)/.exec(body)?.[1]
        if (query || json) out[`${parts[i]!.toUpperCase()} /api${parts[i + 1]}`] = { ...(query && { query }), ...(json && { body: json }) }
      }
    }
  }
  return out
}

describe('the OpenAPI schema table', () => {
  it('names, for every route, the schemas its handler parses the query and body with', () => {
    const source = readFileSync(join('server', 'openapi-schemas.ts'), 'utf8')
    // The table's entries as written: `'GET /api/x': { query: name, body: name }` (imports may alias a name).
    const aliases = new Map<string, string>()
    for (const [, name, alias] of source.matchAll(/(\w+) as (\w+)/g)) aliases.set(alias!, name!)
    const table: Record<string, { query?: string; body?: string }> = {}
    for (const [, key, fields] of source.matchAll(/'([A-Z]+ \/api[^']*)': \{ ([^}]*) \}/g)) {
      table[key!] = Object.fromEntries(fields!.split(', ').map((f) => f.split(': ')).map(([k, v]) => [k, aliases.get(v!) ?? v]))
    }
    expect(table).toEqual(schemasInRouters())
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(Object.keys(table).sort())
  })
})
