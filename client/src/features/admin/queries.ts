import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { UserDto } from '../../../../server/features/auth/auth.schema'
import { api } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { invalidate, useApiQuery } from '../../lib/queries'

export type Role = UserDto['role']

export const useUsers = () => useApiQuery<UserDto[]>('/api/users')

export interface NewUser {
  email: string
  name: string
  password: string
  role: Role
  stadsomrade?: string | null
  organisation: Organisation | null
}
export type Organisation = NonNullable<UserDto['organisation']>
export type UserChange = { role: Role; stadsomrade?: string | null; organisation?: Organisation | null } | { password: string } | { disabled: boolean }

/** Every account write changes the list (and what the audit log holds). */
function useUserWrite<T, V>(write: (v: V) => Promise<T>) {
  const qc = useQueryClient()
  return useMutation<T, ApiError, V>({ mutationFn: write, onSuccess: () => invalidate(qc, 'users', 'audit') })
}

export const useCreateUser = () => useUserWrite((u: NewUser) => api.post<UserDto>('/api/users', u))
export const useUpdateUser = () => useUserWrite(({ id, change }: { id: number; change: UserChange }) => api.patch<UserDto>(`/api/users/${id}`, change))
export const useDeleteUser = () => useUserWrite((id: number) => api.delete(`/api/users/${id}`))
