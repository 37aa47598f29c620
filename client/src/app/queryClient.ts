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
        // A network failure may pass, and so may a database that is restarting (503, retried with backoff);
        // a refusal (4xx) will not.
        retry: (failures, error) => error instanceof ApiError && ((error.status === 0 && failures < 1) || (error.status === 503 && failures < 3)),
      },
    },
  })
}
