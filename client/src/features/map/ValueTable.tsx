import { DataTable } from '../../components/DataTable'
import { hiddenOutsideLabel, suppressedLabel } from '../../lib/format'
import type { MapPageModel } from './useMapPage'

/** The map's figures as a table, largest first: for screen readers and for reading exact values. */
export function ValueTable({ m }: { m: MapPageModel }) {
  const { threshold, fmt, change, update } = m
  const rows = [...m.metrics].sort((a, b) => (b.metric ?? -Infinity) - (a.metric ?? -Infinity))
  return (
    <details className="value-table">
      <summary>Visa värdena som tabell</summary>
      <DataTable
        rows={rows}
        rowKey={(r) => r.areaId}
        columns={[
          {
            key: 'name',
            header: 'Område',
            rowHeader: true,
            // Choosing a row does what a click on the map does: the area's panel, and the map zooms to it.
            cell: (r) => (
              <button type="button" className="link" onClick={() => update({ area: r.areaId })}>
                {r.name}
              </button>
            ),
          },
          {
            key: 'value',
            header: change ? 'Förändring' : 'Värde',
            className: 'num',
            cell: (r) => (
              <>
                {r.suppressed ? suppressedLabel(threshold) : fmt(r.metric)}
                {r.current.hiddenOutside && (
                  <span className="hidden-outside" title={hiddenOutsideLabel(r.current.hiddenOutside, threshold)}>
                    {' '}
                    (dolt för andra)
                  </span>
                )}
              </>
            ),
          },
        ]}
      />
    </details>
  )
}
