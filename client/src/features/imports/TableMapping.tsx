import { Link } from 'react-router'
import { DataTable } from '../../components/DataTable'
import { Select } from '../../components/Select'
import { formatNumber } from '../../lib/format'
import { SKIP, type TableImportModel } from './useTableImport'

/** Which indicator each series (a category of the table, or the whole table) becomes; suggestions first. */
export function TableMapping({ m }: { m: TableImportModel }) {
  const dry = m.dry!
  return (
    <div data-testid="table-mapping">
      <h3>Indikatorer</h3>
      <DataTable
        testId="series-mapping"
        rows={dry.mapping}
        rowKey={(s) => s.key}
        columns={[
          { key: 'label', header: 'I filen', rowHeader: true, cell: (s) => s.label },
          { key: 'rows', header: 'Värden', className: 'num', cell: (s) => formatNumber(s.rows) },
          {
            key: 'indicator',
            header: 'Indikator',
            cell: (s) => {
              const suggested = new Set(s.suggestions.map((x) => x.indicatorId))
              return (
                <Select
                  id={`tab-ind-${s.key}`}
                  aria-label={`Indikator för ${s.label}`}
                  value={m.series[s.key] ?? ''}
                  onChange={(e) => m.pickIndicator(s.key, e.target.value)}
                  options={[
                    { value: '', label: 'Välj indikator…' },
                    { value: SKIP, label: 'Importeras inte' },
                  ]}
                  groups={[
                    ...(s.suggestions.length
                      ? [{ label: 'Förslag', options: s.suggestions.map((x) => ({ value: x.indicatorId, label: `${x.name} (${Math.round(x.score * 100)} %)` })) }]
                      : []),
                    { label: 'Alla indikatorer', options: m.indicators.filter((i) => !suggested.has(i.id)).map((i) => ({ value: i.id, label: i.name })) },
                  ]}
                />
              )
            },
          },
        ]}
      />
      <p className="muted">
        Saknas indikatorn? <Link to="/indikatorer">Ny indikator…</Link> (läs sedan in filen igen).
      </p>
    </div>
  )
}
