import type { Express } from 'express'
import { z } from 'zod'
import type { Access } from './http/access'
import { registeredRoutes, type RegisteredRoute } from './http/routes'
import { ROUTE_SCHEMAS } from './openapi-schemas'

type Json = Record<string, unknown>

const ACCESS_TEXT: Record<Access, string> = {
  public: 'Öppen för alla / open to anyone',
  member: 'Inloggad (alla roller) / any signed-in role',
  analyst: 'Analytiker och administratörer / analysts and admins',
  admin: 'Administratörer / admins',
}

/** Express's `:id` and `:code.csv` as OpenAPI's `{id}` and `{code}.csv`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}')

/** Ids are integers except the textual ones (indicator ids, layer ids, area codes). */
const TEXT_PARAMS = new Set(['layer', 'code', 'stadsomradeCode'])
const pathParams = (path: string) =>
  [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: TEXT_PARAMS.has(name!) || (name === 'id' && /\/indicators\//.test(path)) ? { type: 'string' } : { type: 'integer', minimum: 1 },
  }))

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of what the client sends: the schema's input side. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json
  return rest
}

/** A query schema's fields as OpenAPI parameters (an object schema; otherwise one free-form parameter set). */
function queryParams(schema: z.ZodType): Json[] {
  const s = jsonSchema(schema)
  const props = (s.properties ?? {}) as Record<string, Json>
  const required = new Set((s.required ?? []) as string[])
  return Object.entries(props).map(([name, p]) => ({ name, in: 'query', required: required.has(name), schema: p, ...(p.description ? { description: p.description } : {}) }))
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string', description: 'På svenska / in Swedish' },
        details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, row: { type: 'integer' }, message: { type: 'string' } }, required: ['message'] } },
      },
    },
  },
}

const summaryOf = (r: RegisteredRoute) => {
  const verb: Record<string, string> = { GET: 'Read', POST: 'Create or run', PUT: 'Replace', PATCH: 'Change', DELETE: 'Delete' }
  const what = r.path.replace(/^\/api\//, '').replace(/\/:\w+/g, ' (one)').replace(/\//g, ' › ')
  return `${verb[r.method] ?? r.method} ${what}`
}

function operation(r: RegisteredRoute): Json {
  const schemas = ROUTE_SCHEMAS[`${r.method} ${r.path}`] ?? {}
  const access = r.access ?? 'public'
  const tag = r.path.split('/')[2] ?? 'api'
  const op: Json = {
    operationId: `${r.method.toLowerCase()}${r.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: summaryOf(r),
    description: `Behörighet / access: ${ACCESS_TEXT[access]}.${access !== 'public' ? ' Läsning (GET) går också med en API-nyckel / reads also with an API token (Bearer).' : ''}`,
    tags: [tag],
    'x-access': access,
    parameters: [...pathParams(r.path), ...(schemas.query ? queryParams(schemas.query) : [])],
    responses: {
      '200': { description: 'OK' },
      '400': { description: 'Felaktiga parametrar / bad parameters', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      ...(access !== 'public' ? { '401': { description: 'Inte inloggad / not signed in', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }, '403': { description: 'Rollen får inte / role not allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
    },
  }
  if (access !== 'public') op.security = r.method === 'GET' ? [{ session: [] }, { bearer: [] }] : [{ session: [], csrf: [] }]
  if (schemas.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(schemas.body) } } }
  return op
}

/**
 * The OpenAPI 3.1 document of the app: every route Express has registered (so none is missing), with its
 * access rule and the zod schemas it validates its query and body with (ROUTE_SCHEMAS).
 */
export function openApiDocument(app: Express): Json {
  const routes = registeredRoutes((app as unknown as { router: { stack: never[] } }).router.stack).filter((r) => r.path.startsWith('/api'))
  const paths: Record<string, Record<string, Json>> = {}
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method.toLowerCase()] = operation(r)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lägesbild API',
      version: '1',
      description:
        'Lägesbild för Trygg i Göteborg. Öppna data (publicerade lägesbilder, gränser, katalogen) kräver ingen inloggning; interna siffror kräver en session eller en API-nyckel (Authorization: Bearer) med samma behörighet som kontot. / Open data needs no sign-in; internal figures need a session or an API token.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'lagesbild_session', description: 'Webbläsarens session / the browser session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Krävs för ändringar med session / required for writes with a session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Personlig API-nyckel, bara läsning / personal API token, read-only' },
      },
    },
  }
}
