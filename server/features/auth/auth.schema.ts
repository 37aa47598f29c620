import { z } from 'zod'

export const ROLE_VALUES = ['admin', 'analyst', 'local'] as const
export const ORGANISATION_VALUES = ['staden', 'polisen'] as const

// Which party of the agreement the account works for; null when not given (e.g. a technical admin).
const organisation = z.enum(ORGANISATION_VALUES, { error: 'organisation måste vara staden, polisen eller null' }).nullable()

/** An e-mail as sign-in reads it: the sign-in limit keys on exactly this, so padding cannot make a new key. */
export const signInEmail = z.string().trim().toLowerCase()

export const loginBody = z.object({
  email: signInEmail.email('ogiltig e-postadress'),
  password: z.string().min(1, 'lösenord saknas').max(200),
})

const password = z.string().min(10, 'lösenordet måste ha minst 10 tecken').max(200)

export const newUserBody = z.object({
  email: z.string().trim().toLowerCase().email('ogiltig e-postadress'),
  name: z.string().trim().max(200).default(''),
  password,
  role: z.enum(ROLE_VALUES, { error: 'roll måste vara admin, analyst eller local' }),
  stadsomrade: z.string().trim().min(1).nullable().optional(),
  organisation: organisation.optional(),
})

export const userPatchBody = z
  .object({
    name: z.string().trim().max(200).optional(),
    password: password.optional(),
    role: z.enum(ROLE_VALUES, { error: 'roll måste vara admin, analyst eller local' }).optional(),
    stadsomrade: z.string().trim().min(1).nullable().optional(),
    organisation: organisation.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()

export type NewUserInput = z.infer<typeof newUserBody>
export type UserPatch = z.infer<typeof userPatchBody>

export interface UserDto {
  id: number
  email: string
  name: string
  role: (typeof ROLE_VALUES)[number]
  stadsomrade: { code: string; name: string } | null
  organisation: (typeof ORGANISATION_VALUES)[number] | null
  disabled: boolean
  createdAt: string
}

export interface SessionDto {
  user: { email: string; name: string; role: UserDto['role']; stadsomrade: UserDto['stadsomrade']; organisation: UserDto['organisation'] } | null
  csrfToken?: string
}

export const auditQuery = z.object({
  entity: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z.coerce.number().int().positive().optional(),
})

export interface AuditEntryDto {
  id: number
  at: string
  user: string | null
  action: string
  entity: string
  entityId: string | null
  summary: string
  before: unknown
  after: unknown
}
