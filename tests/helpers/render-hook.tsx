import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { renderToStaticMarkup } from 'react-dom/server'
import { apiKey } from '../../client/src/lib/queries'

/**
 * Renders a view-model hook once on the server renderer: its queries answer from `cache` (API path → answer),
 * nothing is fetched. Returns what the hook returned.
 */
export function renderHookOnce<T>(hook: () => T, cache: Record<string, unknown> = {}): T {
  const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } })
  for (const [path, data] of Object.entries(cache)) qc.setQueryData(apiKey(path), data)
  let out: { value: T } | undefined
  function Probe() {
    out = { value: hook() }
    return null
  }
  renderToStaticMarkup(
    <QueryClientProvider client={qc}>
      <Probe />
    </QueryClientProvider>,
  )
  return out!.value
}
