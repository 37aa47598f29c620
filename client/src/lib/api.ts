/**
 * The one HTTP client: every GET and every write goes through `api`, and every refusal is an ApiError
 * (status, the server's Swedish message, its details[]). Query hooks live in queries.ts and the features.
 */
import type { FeatureCollection, MultiPolygon } from 'geojson'
import type { AreaListItem, AreaProperties, LayerDto } from '../../../server/features/areas/areas.schema'
import type { CityValueDto, IndicatorDto, SeriesDto, ValueDto, ValuesDto } from '../../../server/features/indicators/indicators.schema'
import type { DisplacementDto, EvaluationDto, EvaluationRow, MeasureDto } from '../../../server/features/measures/measures.schema'
import type { CycleDto, ProblemAreaDto, StepStatusDto } from '../../../server/features/priorities/priorities.schema'
import type { PeriodKind } from './periods'
import { ApiError, errorFrom } from './apiError'
import { writeHeaders } from './session'

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

async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET') Object.assign(headers, writeHeaders())
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res: Response
  try {
    // Revalidate every read (ETag → 304): the server lets tools cache public answers for a minute, the app shows the latest.
    res = await fetch(path, { method, signal, headers, cache: 'no-cache', body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (e) {
    if (signal?.aborted) throw e
    throw new ApiError(0, 'Nätverksfel: servern svarar inte')
  }
  const text = await res.text()
  let parsed: unknown = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    if (res.ok) throw new ApiError(res.status, 'Oväntat svar från servern')
  }
  if (!res.ok) throw errorFrom(res.status, res.statusText, parsed)
  return parsed as T
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => call<T>('PATCH', path, body),
  delete: <T = null>(path: string) => call<T>('DELETE', path, undefined),
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

export { ApiError, messageOf, type ApiDetail } from './apiError'
export type { AreaListItem, AreaProperties, CityValueDto, CycleDto, DisplacementDto, EvaluationDto, EvaluationRow, IndicatorDto, LayerDto, MeasureDto, ProblemAreaDto, SeriesDto, StepStatusDto, ValueDto, ValuesDto }
