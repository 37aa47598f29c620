import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../lib/apiError'

/**
 * GET answers change only with a write or an import, and every write invalidates what it changed:
 * nothing goes stale by time, and a refusal is shown at once rather than retried.
 */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        // A network failure may pass; a refusal (4xx) will not.
        retry: (failures, error) => failures < 1 && error instanceof ApiError && error.status === 0,
      },
    },
  })
}
