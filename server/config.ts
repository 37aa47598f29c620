import { z } from 'zod'

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CLIENT_DIR: z.string().min(1).default('./dist/client'),
  COOKIE_SECURE: z.enum(['true', 'false', '']).optional(),
  TRUST_PROXY: z.string().optional(),
  DEMO: z.enum(['true', 'false', ''], { error: 'must be true or false' }).optional(),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  LP_AUDIT_BUDGET_MS: z.coerce.number().int().min(0).default(5_000),
  LP_AUDIT_WAIT_MS: z.coerce.number().int().min(0).default(60_000),
  LP_AUDIT_OVERLAY: z.enum(['true', 'false', ''], { error: 'must be true or false' }).optional(),
  LAGESBILD_TOKEN: z.string().optional(),
  BASEMAP_STYLE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional().or(z.literal('').transform(() => undefined)),
})

export interface Config {
  /** Budget of a cube's LP audit (ms); cells it does not reach keep the interval heuristic's verdict. */
  lpAuditBudgetMs?: number
  /** How long freezing a snapshot waits for the audit's final verdicts before refusing with 503 (ms). */
  lpAuditWaitMs?: number
  /**
   * The LP audit also holds the containment between layers that do not nest (DeSO, RegSO, hexagons, utsatta
   * områden against primärområden). On by default; `false` leaves it out (the sums alone), which only a
   * deployment that publishes no such layer should choose.
   */
  lpAuditOverlay?: boolean
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  clientDir: string
  /** A MapLibre style drawn under the project's layers; the map works without it. */
  basemapStyleUrl: string | undefined
  /** Send the session cookie only over HTTPS; by default it follows the request (secure behind TLS). */
  secureCookies: boolean | undefined
  /** Express's `trust proxy` setting, for a reverse proxy in front of the app. */
  trustProxy: string | number | boolean | undefined
  /** Load the synthetic demo set, its accounts and content on first start (an empty database). */
  demo: boolean
  /** PostgreSQL server only: a statement or a wait for a lock longer than this fails the request with 503 (0: never). */
  statementTimeoutMs: number
  lockTimeoutMs: number
  /** On SIGTERM, how long requests under way may take to finish before their connections are closed. */
  shutdownTimeoutMs: number
  /** An admin's API token for `npm run db:backup` to ask the running server (LAGESBILD_TOKEN). */
  apiToken?: string | undefined
}

/** The only reader of process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    clientDir: e.CLIENT_DIR,
    basemapStyleUrl: e.BASEMAP_STYLE_URL,
    secureCookies: e.COOKIE_SECURE === 'true' ? true : e.COOKIE_SECURE === 'false' ? false : undefined,
    trustProxy: trustProxy(e.TRUST_PROXY),
    demo: e.DEMO !== 'false',
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    lpAuditBudgetMs: e.LP_AUDIT_BUDGET_MS,
    lpAuditWaitMs: e.LP_AUDIT_WAIT_MS,
    lpAuditOverlay: e.LP_AUDIT_OVERLAY !== 'false',
    apiToken: e.LAGESBILD_TOKEN || undefined,
  }
}

function trustProxy(v: string | undefined): string | number | boolean | undefined {
  if (!v) return undefined
  if (v === 'true' || v === 'false') return v === 'true'
  return /^\d+$/.test(v) ? Number(v) : v
}
