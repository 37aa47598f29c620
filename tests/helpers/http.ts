import type { AddressInfo } from 'node:net'
import type { Db } from '../../db/connect'
import { createApp, type AppDeps } from '../../server/app'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/features/auth/auth.service'

export type TestRole = 'admin' | 'analyst' | 'local' | 'public'

export interface Client {
  url: string
  role: TestRole
  /** The session cookie and CSRF header of this client (none for the public). */
  headers(): Record<string, string>
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>
  /** Another client of the same app, signed in as a demo account of that role (or not signed in). */
  as(role: TestRole): Promise<Client>
}

export interface RunningApp extends Client {
  close(): Promise<void>
}

const parse = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return text
  }
}

/** Signs in with a demo account of the role over HTTP, as the browser would. */
async function signIn(url: string, role: TestRole): Promise<Record<string, string>> {
  if (role === 'public') return {}
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: DEMO_PASSWORD }),
  })
  if (res.status !== 200) throw new Error(`sign-in as ${role} failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return { Cookie: cookie, 'X-CSRF-Token': csrfToken }
}

async function client(url: string, role: TestRole): Promise<Client> {
  const h = await signIn(url, role)
  return {
    url,
    role,
    headers: () => ({ ...h }),
    async get(path) {
      const res = await fetch(url + path, { headers: h })
      return { status: res.status, body: parse(await res.text()), headers: res.headers }
    },
    as: (r) => client(url, r),
  }
}

/**
 * The real app, in-process, on an ephemeral port, with a client signed in as `as` (an analyst by
 * default: imports and edits need one).
 */
/** Long enough for any test's cube: in effect no budget. */
const TEST_AUDIT_BUDGET_MS = 3_600_000

export async function startApp(
  db: Db,
  options: { clientDir?: string; as?: TestRole; auth?: AppDeps['auth']; keepDemoAccounts?: boolean; config?: Partial<AppDeps['config']> } = {},
): Promise<RunningApp> {
  // The suite signs in as demo accounts after real imports; demo-accounts.test.ts sets false to see them end.
  // The LP audit without a budget unless a test sets one: what a test reads outside the analyst role after an
  // import is then the audit's final verdict, the same on a loaded machine as on a quiet one (with a budget,
  // what it has not finished is withheld: tests/integration/audit-withheld.test.ts).
  const config = { clientDir: options.clientDir ?? '/nonexistent-client', lpAuditBudgetMs: TEST_AUDIT_BUDGET_MS, ...options.config }
  const deps: AppDeps = { db, config, auth: options.auth, keepDemoAccounts: options.keepDemoAccounts ?? true }
  const server = createApp(deps).listen(0, '127.0.0.1')
  // Longer than any pause between requests in a test: fetch reuses sockets, and one the server closed
  // while idle (Node's default is 5 s) surfaces as ECONNRESET on a loaded machine.
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close((err) => (err ? reject(err) : resolve()))
    })
  try {
    return { ...(await client(url, options.as ?? 'analyst')), close }
  } catch (err) {
    await close()
    throw err
  }
}

/** POSTs a body (bytes or text) as the client and returns status and parsed JSON. */
export async function post(app: Client, path: string, body: string | Uint8Array, contentType = 'text/csv'): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url + path, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { ...app.headers(), 'Content-Type': contentType },
  })
  return { status: res.status, body: parse(await res.text()) }
}

/** Sends JSON with any method as the client and returns status and parsed body. */
export async function send(app: Client, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url + path, {
    method,
    headers: { ...app.headers(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: parse(await res.text()) }
}
