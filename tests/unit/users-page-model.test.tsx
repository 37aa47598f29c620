import { describe, expect, it } from 'vitest'
import { renderHookOnce } from '../helpers/render-hook'
import { nextPanel, sortedNames, useUsersPage } from '../../client/src/features/admin/useUsersPage'
import { paths } from '../../client/src/lib/api'
import type { UserDto } from '../../server/features/auth/auth.schema'

function model(cache: Record<string, unknown>) {
  return renderHookOnce(() => useUsersPage(), cache)
}

const user = (id: number, email: string): UserDto => ({ id, email, name: '', role: 'analyst', stadsomrade: null, disabled: false, createdAt: '2026-01-01T00:00:00Z' }) as UserDto
const stadsomraden = (names: string[]) => ({ type: 'FeatureCollection', features: names.map((name, id) => ({ properties: { id, name } })), metadata: {} })

describe('the accounts page view model', () => {
  it('lists the accounts and the stadsområden in Swedish order', () => {
    const m = model({ '/api/users': [user(1, 'a@x.se'), user(2, 'b@x.se')], [paths.layerAreas('stadsomrade')]: stadsomraden(['Örgryte', 'Centrum', 'Älvsborg', 'Angered']) })
    expect(m.users?.map((u) => u.email)).toEqual(['a@x.se', 'b@x.se'])
    expect(m.loading).toBe(false)
    expect(m.loadError).toBeNull()
    expect(m.areaNames).toEqual(['Angered', 'Centrum', 'Älvsborg', 'Örgryte'])
    expect(m.panel).toBeNull()
    expect(m.status).toBe('')
  })

  it('is loading until the accounts arrive', () => {
    const m = model({})
    expect(m.loading).toBe(true)
    expect(m.users).toBeNull()
    expect(m.areaNames).toEqual([])
  })

  it('opens one panel at a time: the same button closes it, another opens its own', () => {
    const role = nextPanel(null, 1, 'role')
    expect(role).toEqual({ userId: 1, mode: 'role' })
    expect(nextPanel(role, 1, 'role')).toBeNull()
    expect(nextPanel(role, 1, 'password')).toEqual({ userId: 1, mode: 'password' })
    expect(nextPanel(role, 2, 'role')).toEqual({ userId: 2, mode: 'role' })
  })

  it('sorts å, ä and ö after z', () => {
    expect(sortedNames(['Ö', 'Z', 'Å', 'Ä', 'A'])).toEqual(['A', 'Z', 'Å', 'Ä', 'Ö'])
  })
})
