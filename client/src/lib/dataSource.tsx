import { createContext, useContext } from 'react'
import { paths } from './api'
import type { PeriodKind } from './periods'

/**
 * Where the map reads its layers, indicators, areas and values: the live API, or a published snapshot
 * (frozen, suppressed figures). The map page is the same for both.
 */
export interface DataSource {
  layers(): string
  indicators(): string
  layerAreas(layer: string): string
  values(id: string, layer: string, period?: string): string
  /** One kind of period; without one, the server's default. */
  series(id: string, areaIds: number[], periodKind?: PeriodKind): string
  /** Set when showing a snapshot: no editing, no measures, figures as published. */
  snapshot: { id: number; title: string } | null
}

export const LIVE: DataSource = {
  layers: paths.layers,
  indicators: paths.indicators,
  layerAreas: paths.layerAreas,
  values: paths.values,
  series: paths.series,
  snapshot: null,
}

export function snapshotSource(id: number, title: string): DataSource {
  const base = `/api/snapshots/${id}`
  const q = (params: Record<string, string | undefined>) =>
    new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString()
  return {
    layers: () => `${base}/layers`,
    indicators: () => `${base}/indicators`,
    layerAreas: (layer) => `${base}/areas?${q({ layer })}`,
    values: (indicator, layer, period) => `${base}/values?${q({ indicator, layer, period })}`,
    series: (indicator, areaIds, periodKind) => `${base}/series?${q({ indicator, areas: areaIds.join(','), periodKind })}`,
    snapshot: { id, title },
  }
}

export const DataSourceContext = createContext<DataSource>(LIVE)
export const useDataSource = () => useContext(DataSourceContext)
