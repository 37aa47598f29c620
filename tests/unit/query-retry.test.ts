import { describe, expect, it } from 'vitest'
import { createQueryClient } from '../../client/src/app/queryClient'
import { ApiError } from '../../client/src/lib/apiError'

describe('the client’s retries', () => {
  const retry = createQueryClient().getDefaultOptions().queries!.retry as (failures: number, error: unknown) => boolean

  it('retries a database that does not answer (503) three times, a lost network once, a refusal never', () => {
    const unavailable = new ApiError(503, 'Databasen svarar inte just nu')
    expect([0, 1, 2, 3].map((n) => retry(n, unavailable))).toEqual([true, true, true, false])
    expect([0, 1].map((n) => retry(n, new ApiError(0, 'nätverket')))).toEqual([true, false])
    for (const status of [400, 401, 403, 404, 409, 422, 500]) expect(retry(0, new ApiError(status, 'x')), String(status)).toBe(false)
    expect(retry(0, new Error('x'))).toBe(false)
  })
})
