import type { LayerDto } from '../../../server/features/areas/areas.schema'
import type { IndicatorDto, ValuesDto } from '../../../server/features/indicators/indicators.schema'

export interface Health {
  status: string
  database: 'pglite' | 'postgresql'
  postgis: string | null
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { Accept: 'application/json' } })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new ApiError(res.status, body?.error?.message ?? `${res.status} ${res.statusText}`)
  }
  return (await res.json()) as T
}

export const api = {
  health: (signal?: AbortSignal) => getJson<Health>('/api/health', signal),
  layers: (signal?: AbortSignal) => getJson<LayerDto[]>('/api/layers', signal),
  indicators: (signal?: AbortSignal) => getJson<IndicatorDto[]>('/api/indicators', signal),
  values: (id: string, layer: string, period?: string, signal?: AbortSignal) =>
    getJson<ValuesDto>(
      `/api/indicators/${encodeURIComponent(id)}/values?${new URLSearchParams({ layer, ...(period ? { period } : {}) })}`,
      signal,
    ),
}

export type { IndicatorDto, LayerDto, ValuesDto }
