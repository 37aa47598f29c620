import { DataTable } from '../../components/DataTable'
import { Select } from '../../components/Select'
import { formatNumber } from '../../lib/format'
import { SKIP, type TableImportModel } from './useTableImport'

const STATUS: Record<string, string> = { exact: 'Exakt', suggested: 'Förslag', unmatched: 'Ingen träff', not_area: 'Inget område' }

/** Each region of the file and the area it becomes: exact ones ticked, suggestions to confirm, the rest to choose. */
export function TableMatches({ m }: { m: TableImportModel }) {
  const dry = m.dry!
  const areas = m.areasOfLayer(dry.recipe.layer)
  const anySuggested = dry.matches.some((x) => !m.regions[x.region]?.ticked && m.regions[x.region]?.pick)
  return (
    <div data-testid="table-matches">
      <h3>Områden i {dry.layer.name.toLowerCase()}</h3>
      {anySuggested && (
        <button type="button" onClick={m.acceptSuggestions}>
          Godkänn alla förslag
        </button>
      )}
      <DataTable
        testId="region-matches"
        rows={dry.matches}
        rowKey={(x) => x.region}
        rowProps={(x) => ({ 'data-status': x.status, 'data-region': x.region })}
        columns={[
          { key: 'region', header: 'Område i filen', rowHeader: true, cell: (x) => x.region },
          { key: 'rows', header: 'Värden', className: 'num', cell: (x) => formatNumber(x.rows) },
          { key: 'status', header: 'Träff', cell: (x) => STATUS[x.status] },
          {
            key: 'area',
            header: 'Blir',
            cell: (x) => {
              const suggested = new Set(x.suggestions.map((s) => s.code))
              return (
                <Select
                  id={`tab-area-${x.region}`}
                  aria-label={`Område för ${x.region}`}
                  value={m.regions[x.region]?.pick ?? ''}
                  onChange={(e) => m.pickArea(x.region, e.target.value)}
                  options={[
                    { value: '', label: 'Välj område…' },
                    { value: SKIP, label: 'Importeras inte' },
                  ]}
                  groups={[
                    ...(x.suggestions.length ? [{ label: 'Förslag', options: x.suggestions.map((s) => ({ value: s.code, label: `${s.name} (${Math.round(s.score * 100)} %)` })) }] : []),
                    { label: 'Alla områden', options: areas.filter((a) => !suggested.has(a.code)).map((a) => ({ value: a.code, label: a.name })) },
                  ]}
                />
              )
            },
          },
          {
            key: 'ok',
            header: 'Godkänd',
            cell: (x) => (
              <input
                type="checkbox"
                aria-label={`Godkänn ${x.region}`}
                checked={m.regions[x.region]?.ticked ?? false}
                disabled={!m.regions[x.region]?.pick}
                onChange={(e) => m.tick(x.region, e.target.checked)}
              />
            ),
          },
        ]}
      />
    </div>
  )
}
