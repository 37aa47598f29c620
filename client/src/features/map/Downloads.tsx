import { useDataSource } from '../../lib/dataSource'
import type { MapPageModel } from './useMapPage'

/**
 * The figures shown, as files: Excel CSV and GeoJSON with the areas' geometry, for the current indicator,
 * layer and period. Plain links: the server names the file and discloses as it does on screen.
 */
export function Downloads({ m }: { m: MapPageModel }) {
  const source = useDataSource()
  if (!m.indicator || !m.onLayer || !m.period) return null
  const url = source.values(m.indicator.id, m.layerId, m.period)
  const name = `lagesbild_${m.indicator.id}_${m.layerId}_${m.period}`
  return (
    <div className="downloads" role="group" aria-label="Ladda ner">
      <span className="downloads-label">Ladda ner:</span>
      <a href={`${url}&format=csv`} download={`${name}.csv`} data-testid="download-csv">
        CSV (Excel)
      </a>
      <a href={`${url}&format=geojson`} download={`${name}.geojson`} data-testid="download-geojson">
        GeoJSON
      </a>
    </div>
  )
}
