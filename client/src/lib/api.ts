import type { FeatureCollection, MultiPolygon } from 'geojson'
import { useEffect, useState } from 'react'
import type { AreaListItem, AreaProperties, LayerDto } from '../../../server/features/areas/areas.schema'
import type { CityValueDto, IndicatorDto, SeriesDto, ValueDto, ValuesDto } from '../../../server/features/indicators/indicators.schema'
import type { MeasureDto } from '../../../server/features/measures/measures.schema'
import type { CycleDto, ProblemAreaDto, StepStatusDto } from '../../../server/features/priorities/priorities.schema'
import type { PeriodKind } from './periods'

export interface Health {
  status: string
  database: 'pglite' | 'postgresql'
  postgis: string | null
}

export interface ClientConfig {
  basemapStyleUrl: string | null
}

export type AreaCollection = FeatureCollection<MultiPolygon, AreaProperties> & {
  metadata: { layer: string; name: string; at: string; source: string; licence: string; approximate: boolean; approximateReason: string | null }
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

const qs = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString()

export const paths = {
  health: () => '/api/health',
  config: () => '/api/config',
  layers: () => '/api/layers',
  areas: () => '/api/areas',
  layerAreas: (layer: string) => `/api/layers/${encodeURIComponent(layer)}/areas`,
  indicators: () => '/api/indicators',
  values: (id: string, layer: string, period?: string) => `/api/indicators/${encodeURIComponent(id)}/values?${qs({ layer, period })}`,
  /** One kind of period; without one, the server picks the finest that covers the longest stretch. */
  series: (id: string, areaIds: number[], periodKind?: PeriodKind) =>
    `/api/indicators/${encodeURIComponent(id)}/series?${qs({ areas: areaIds.join(','), periodKind })}`,
}

// GET answers change only with an import; one page view shares them.
const cache = new Map<string, Promise<unknown>>()

export function cachedGet<T>(path: string): Promise<T> {
  let p = cache.get(path) as Promise<T> | undefined
  if (!p) {
    p = getJson<T>(path)
    cache.set(path, p)
    p.catch(() => cache.delete(path))
  }
  return p
}

/** After an import: every later request asks the server again. */
export function clearApiCache() {
  cache.clear()
}

export type Load<T> = { state: 'idle' } | { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T }

/** Fetches a GET path (null: nothing to fetch) and follows it as it changes. */
export function useGet<T>(path: string | null): Load<T> {
  const [result, setResult] = useState<{ path: string | null; load: Load<T> }>({ path: null, load: { state: 'idle' } })
  useEffect(() => {
    if (path === null) return
    let live = true
    setResult((r) => (r.path === path ? r : { path, load: { state: 'loading' } }))
    cachedGet<T>(path).then(
      (data) => live && setResult({ path, load: { state: 'ok', data } }),
      (err: Error) => live && setResult({ path, load: { state: 'error', message: err.message } }),
    )
    return () => {
      live = false
    }
  }, [path])
  if (path === null) return { state: 'idle' }
  return result.path === path ? result.load : { state: 'loading' }
}

export const dataOf = <T,>(l: Load<T>): T | null => (l.state === 'ok' ? l.data : null)

/**
 * A trend of one kind of period: `wanted` where the areas have it, else the server's default (a kind kept
 * in a link may be missing for another indicator). `path` builds the series URL for a kind, or for the
 * default without one; null fetches nothing. The answer says which kind it shows and which there are.
 */
export function useSeries(path: ((kind?: PeriodKind) => string) | null, wanted: PeriodKind | null): Load<SeriesDto> {
  const first = useGet<SeriesDto>(path ? path(wanted ?? undefined) : null)
  const missing = wanted !== null && first.state === 'ok' && !first.data.periodKinds.includes(wanted)
  const fallback = useGet<SeriesDto>(path && missing ? path() : null)
  const load = missing ? fallback : first
  // While another kind of the same trend loads, the last one stays: the picker keeps its place and focus.
  const key = path ? path() : null
  const [held, setHeld] = useState<{ key: string | null; data: SeriesDto } | null>(null)
  useEffect(() => {
    if (load.state === 'ok') setHeld({ key, data: load.data })
  }, [load, key])
  return load.state === 'loading' && held?.key === key ? { state: 'ok', data: held.data } : load
}

export type { AreaListItem, AreaProperties, CityValueDto, CycleDto, IndicatorDto, LayerDto, MeasureDto, ProblemAreaDto, SeriesDto, StepStatusDto, ValueDto, ValuesDto }
