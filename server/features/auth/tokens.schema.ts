import { z } from 'zod'

/** A token's expiry: a date (valid through that day) or an instant; none means until revoked. */
export const newTokenBody = z
  .object({
    name: z.string().trim().min(1, 'ge nyckeln ett namn, t.ex. "QGIS på min dator"').max(100),
    expiresAt: z
      .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'ett datum (ÅÅÅÅ-MM-DD) eller en tidpunkt (ISO 8601)' })
      .nullable()
      .optional(),
  })
  .strict()

export type NewTokenInput = z.infer<typeof newTokenBody>

/** A token as listed: never its secret. */
export interface ApiTokenDto {
  id: number
  name: string
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  revokedAt: string | null
}

/** The answer to creating a token: the secret, shown this once. */
export interface NewApiTokenDto extends ApiTokenDto {
  secret: string
}
