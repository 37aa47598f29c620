import type { AddressInfo } from 'node:net'
import type { Db } from '../../db/connect'
import { createApp } from '../../server/app'

export interface RunningApp {
  url: string
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>
  close(): Promise<void>
}

/** The real app, in-process, on an ephemeral port. */
export async function startApp(db: Db, clientDir = '/nonexistent-client'): Promise<RunningApp> {
  const server = createApp({ db, config: { clientDir } }).listen(0, '127.0.0.1')
  // Longer than any pause between requests in a test: fetch reuses sockets, and one the server closed
  // while idle (Node's default is 5 s) surfaces as ECONNRESET on a loaded machine.
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    async get(path) {
      const res = await fetch(url + path)
      const text = await res.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body, headers: res.headers }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** POSTs a body (bytes or text) to the running app and returns status and parsed JSON. */
export async function post(app: RunningApp, path: string, body: string | Uint8Array, contentType = 'text/csv'): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url + path, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'Content-Type': contentType } })
  const text = await res.text()
  try {
    return { status: res.status, body: JSON.parse(text) }
  } catch {
    return { status: res.status, body: text }
  }
}

/** Sends JSON with any method and returns status and parsed body. */
export async function send(app: RunningApp, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null }
  } catch {
    return { status: res.status, body: text }
  }
}
