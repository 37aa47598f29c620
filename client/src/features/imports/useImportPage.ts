/** The import page's view model: what a file can be mapped to and read into, and the log of imports. */
import { useIndicators, useLayers } from '../../lib/queries'
import { useImportLog } from './queries'

export function useImportPage() {
  const indicators = useIndicators().data ?? []
  const layers = useLayers().data ?? []
  const log = useImportLog()
  return {
    /** Incidents are counted: only count indicators can take a category. */
    countIndicators: indicators.filter((i) => i.unit === 'count'),
    /** Boundaries come as areas: a grid is generated, never imported. */
    boundaryLayers: layers.filter((l) => l.kind !== 'grid'),
    log: log.data ?? null,
    logError: log.error?.message ?? null,
  }
}

export type ImportPageModel = ReturnType<typeof useImportPage>
