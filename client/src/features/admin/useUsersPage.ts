/**
 * The accounts page's view model: the accounts, the stadsområden a local group can belong to, which row's
 * panel is open (one at a time, focus returned to the button that opened it) and what was last done.
 */
import { useRef, useState } from 'react'
import type { UserDto } from '../../../../server/features/auth/auth.schema'
import { paths } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { useLayerAreas } from '../../lib/queries'
import { useSession } from '../../lib/session'
import { useUpdateUser, useUsers } from './queries'

export type PanelMode = 'role' | 'password' | 'delete'

/** The open panel: a form or a confirmation, or the refusal of a change made from the row itself. */
export type Panel = { userId: number; mode: PanelMode } | { userId: number; mode: 'problem'; problem: ApiError }

/** Toggling a panel: the same button closes it, another opens its own. */
export function nextPanel(open: Panel | null, userId: number, mode: PanelMode): Panel | null {
  return open && open.userId === userId && open.mode === mode ? null : { userId, mode }
}

export const sortedNames = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b, 'sv'))

export function useUsersPage() {
  const me = useSession().user
  const usersQuery = useUsers()
  const areas = useLayerAreas(paths.layerAreas('stadsomrade')).data
  const areaNames = sortedNames((areas?.features ?? []).map((f) => f.properties.name))
  const [status, setStatus] = useState('')
  const [panel, setPanel] = useState<Panel | null>(null)
  const opener = useRef<HTMLElement | null>(null)
  const update = useUpdateUser()

  return {
    users: usersQuery.data ?? null,
    loading: usersQuery.isPending,
    loadError: usersQuery.error?.message ?? null,
    areaNames,
    isSelf: (u: UserDto) => me?.email === u.email,
    status,
    panel,
    toggle(userId: number, mode: PanelMode, button: HTMLElement) {
      opener.current = button
      setPanel((open) => nextPanel(open, userId, mode))
    },
    close() {
      setPanel(null)
      opener.current?.focus()
    },
    /** A change went through: the panel closes and the page says what happened. */
    done(message: string) {
      setPanel(null)
      setStatus(message)
    },
    setDisabled(u: UserDto, button: HTMLElement) {
      opener.current = button
      setPanel(null)
      update.mutate(
        { id: u.id, change: { disabled: !u.disabled } },
        {
          onSuccess: () => setStatus(`Kontot ${u.email} har ${u.disabled ? 'aktiverats' : 'stängts av'}.`),
          onError: (problem) => setPanel({ userId: u.id, mode: 'problem', problem }),
        },
      )
    },
    busy: (u: UserDto) => update.isPending && update.variables?.id === u.id,
  }
}

export type UsersPageModel = ReturnType<typeof useUsersPage>
