/**
 * Server state through TanStack Query: the GETs more than one feature reads. A query's key is its scope,
 * then its path (apiKey), so a write invalidates a whole scope: `invalidate(qc, 'measures')`.
 */
import { useQuery, type QueryClient, type UseQueryOptions } from '@tanstack/react-query'
import { useRef } from 'react'
import { api, paths, type AreaCollection, type AreaListItem, type ClientConfig, type CycleDto, type Health, type IndicatorDto, type LayerDto, type MeasureDto, type ProblemAreaDto, type SeriesDto, type ValuesDto } from './api'
import type { ApiError } from './apiError'
import type { PeriodKind } from './periods'
import { snapshotPaths, type SnapshotDto } from './snapshots'

// Everything an import can change: boundaries, indicators, values, the analyses on them.
const DATA_SEGMENTS = new Set(['layers', 'areas', 'indicators', 'analysis', 'health'])

/** What a write invalidates: 'data' (all an import changes) or the API's first path segment ('measures', 'snapshots', …). */
export type Scope = 'data' | 'measures' | 'cycles' | 'snapshots' | 'users' | 'imports' | 'audit' | 'config' | 'samverkansformer' | (string & {})

export function apiKey(path: string): [Scope, string] {
  const segment = path.split(/[/?]/)[2] ?? ''
  return [DATA_SEGMENTS.has(segment) ? 'data' : segment, path]
}

/** After an import every figure may have changed; measures, snapshots and users have not. */
export const DATA_DERIVED: Scope[] = ['data', 'imports', 'cycles', 'alerts', 'operational']

export function invalidate(qc: QueryClient, ...scopes: Scope[]) {
  return Promise.all(scopes.map((scope) => qc.invalidateQueries({ queryKey: [scope] })))
}

type Extra<T> = Omit<UseQueryOptions<T, ApiError, T, readonly unknown[]>, 'queryKey' | 'queryFn' | 'enabled'>

/** A GET path as a query (null: nothing to fetch yet). */
export function useApiQuery<T>(path: string | null, options?: Extra<T>) {
  return useQuery<T, ApiError, T, readonly unknown[]>({
    queryKey: path === null ? ['idle'] : apiKey(path),
    queryFn: ({ signal }) => api.get<T>(path!, signal),
    enabled: path !== null,
    ...options,
  })
}

export const useConfig = () => useApiQuery<ClientConfig>(paths.config())
export const useHealth = () => useApiQuery<Health>(paths.health())
/** Layers and indicators of the live API, or of a snapshot given its path (DataSource). */
export const useLayers = (path: string = paths.layers()) => useApiQuery<LayerDto[]>(path)
export const useIndicators = (path: string = paths.indicators()) => useApiQuery<IndicatorDto[]>(path)
export const useAreaList = () => useApiQuery<AreaListItem[]>(paths.areas())
export const useLayerAreas = (path: string | null) => useApiQuery<AreaCollection>(path)
/** While figures are withheld for the disclosure audit of new data, ask again until they are released. */
const PENDING_POLL_MS = 3_000
const untilAudited = (query: { state: { data?: { suppression?: { pending?: boolean } } } }) => (query.state.data?.suppression?.pending ? PENDING_POLL_MS : false)
export const useValues = (path: string | null) => useApiQuery<ValuesDto>(path, { refetchInterval: untilAudited })
export const useCycles = () => useApiQuery<CycleDto[]>('/api/cycles')
export const useMeasure = (id: number | null) => useApiQuery<MeasureDto>(id === null ? null : `/api/measures/${id}`)
export const useSnapshot = (id: number | null) => useApiQuery<SnapshotDto>(id === null ? null : snapshotPaths.one(id))

/**
 * A trend of one kind of period: `wanted` where the areas have it, else the server's default (a kind kept
 * in a link may be missing for another indicator). `path` builds the series URL for a kind, or for the
 * default without one; null fetches nothing. The answer says which kind it shows and which there are.
 */
export function useSeries(path: ((kind?: PeriodKind) => string) | null, wanted: PeriodKind | null) {
  // The trend without its kind: while another kind of the same trend loads, the last one stays, so the
  // picker keeps its place and focus.
  const trend = path ? path() : null
  const sameTrend = (prev: SeriesDto | undefined, prevQuery: { queryKey: readonly unknown[] } | undefined) =>
    prevQuery && prevQuery.queryKey[2] === trend ? prev : undefined
  const shown = useRef<{ trend: string; data: SeriesDto } | null>(null)
  const first = useQuery<SeriesDto, ApiError, SeriesDto, readonly unknown[]>({
    queryKey: path ? [...apiKey(path(wanted ?? undefined)), trend] : ['idle'],
    queryFn: ({ signal }) => api.get<SeriesDto>(path!(wanted ?? undefined), signal),
    enabled: path !== null,
    placeholderData: sameTrend,
    refetchInterval: untilAudited,
  })
  const missing = wanted !== null && first.data !== undefined && !first.isPlaceholderData && !first.data.periodKinds.includes(wanted)
  const fallback = useQuery<SeriesDto, ApiError, SeriesDto, readonly unknown[]>({
    queryKey: path ? [...apiKey(trend!), trend] : ['idle'],
    queryFn: ({ signal }) => api.get<SeriesDto>(trend!, signal),
    enabled: path !== null && missing,
    refetchInterval: untilAudited,
    // The trend shown last holds the place until the default kind arrives.
    placeholderData: () => (shown.current?.trend === trend ? shown.current.data : undefined),
  })
  const result = missing ? fallback : first
  if (result.data && trend !== null) shown.current = { trend, data: result.data }
  return result
}

/** A cycle's prioritised problem areas (priorities and measures both read them). */
export const useProblemAreas = (cycleId: number | null) => useApiQuery<ProblemAreaDto[]>(cycleId === null ? null : `/api/cycles/${cycleId}/problem-areas`)
