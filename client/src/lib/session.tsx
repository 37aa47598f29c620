import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { SessionDto } from '../../../server/features/auth/auth.schema'
import { useQueryClient } from '@tanstack/react-query'

export type SessionUser = NonNullable<SessionDto['user']>
export type Role = SessionUser['role']

// Read by every write, also outside React (uploads, the measures client).
let csrfToken: string | null = null

/** Headers a write must carry: the session's CSRF token. */
export function writeHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {}
}

interface SessionState {
  ready: boolean
  user: SessionUser | null
  signIn(email: string, password: string): Promise<{ ok: true } | { ok: false; message: string; status: number }>
  signOut(): Promise<void>
}

const SessionContext = createContext<SessionState>({
  ready: false,
  user: null,
  signIn: async () => ({ ok: false, message: 'ingen session', status: 0 }),
  signOut: async () => {},
})

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  const [state, setState] = useState<{ ready: boolean; user: SessionUser | null }>({ ready: false, user: null })
  const accept = useCallback((body: SessionDto) => {
    csrfToken = body.csrfToken ?? null
    setState({ ready: true, user: body.user })
  }, [])
  // What the server answers depends on who asks: after signing in or out nothing fetched before is reused
  // (the app shell remounts on the new user and asks again).
  const switchTo = useCallback(
    (body: SessionDto) => {
      queryClient.clear()
      accept(body)
    },
    [queryClient, accept],
  )

  useEffect(() => {
    fetch('/api/session', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<SessionDto>) : { user: null }))
      .then(accept, () => setState({ ready: true, user: null }))
  }, [accept])

  const signIn = useCallback<SessionState['signIn']>(
    async (email, password) => {
      const res = await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ email, password }) })
      const body = (await res.json().catch(() => null)) as (SessionDto & { error?: { message?: string } }) | null
      if (!res.ok || !body?.user) return { ok: false, status: res.status, message: body?.error?.message ?? `Inloggningen misslyckades (${res.status})` }
      switchTo(body)
      return { ok: true }
    },
    [switchTo],
  )
  const signOut = useCallback(async () => {
    await fetch('/api/session', { method: 'DELETE', headers: writeHeaders() }).catch(() => undefined)
    switchTo({ user: null })
  }, [switchTo])

  const value = useMemo(() => ({ ...state, signIn, signOut }), [state, signIn, signOut])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export const useSession = () => useContext(SessionContext)

export const ROLE_LABELS: Record<Role, string> = { admin: 'Administratör', analyst: 'Analytiker', local: 'Lokal ledningsgrupp' }

/** Analysts and admins see internal figures, import and take snapshots. */
export const isAnalyst = (user: SessionUser | null) => user?.role === 'analyst' || user?.role === 'admin'
