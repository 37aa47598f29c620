import { writeHeaders } from './session'

export interface ApiProblem {
  status: number
  message: string
  details: Array<{ field?: string; row?: number; message: string }>
}

/** JSON request that resolves to the body or an ApiProblem (never throws for 4xx). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<{ ok: true; data: T } | { ok: false; problem: ApiProblem }> {
  const res = await fetch(path, {
    method,
    headers: { ...writeHeaders(), ...(body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const parsed = text ? (JSON.parse(text) as unknown) : null
  if (res.ok) return { ok: true, data: parsed as T }
  const err = (parsed as { error?: { message?: string; details?: ApiProblem['details'] } } | null)?.error
  return { ok: false, problem: { status: res.status, message: err?.message ?? res.statusText, details: err?.details ?? [] } }
}
