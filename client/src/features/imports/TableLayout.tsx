import { Select } from '../../components/Select'
import { periodLabel } from '../../lib/format'
import type { ValueRole } from '../../../../server/features/imports/imports.schema'
import type { TableImportModel } from './useTableImport'

const IGNORE = 'ignore'

const KIND_LABELS: Record<string, string> = { year: 'år', half: 'halvår', quarter: 'kvartal', month: 'månader' }
const ROLE_LABELS: Record<string, string> = { value: 'värde', numerator: 'täljare', denominator: 'nämnare', ci_low: 'KI nedre', ci_high: 'KI övre' }

/** The layout the server found: layer and region column (changeable), periods, dimensions and value columns. */
export function TableLayout({ m }: { m: TableImportModel }) {
  const dry = m.dry!
  const { layout } = dry
  const regionOptions = layout.columns.filter((c) => c.kind === 'region' || c.kind === 'dimension' || c.kind === 'ignored').map((c) => ({ value: c.name, label: c.name }))
  const kinds = layout.period.kinds.map((k) => KIND_LABELS[k] ?? k).join(', ')
  return (
    <div data-testid="table-layout">
      <h3>Tabellens upplägg</h3>
      {layout.title && <p className="muted">”{layout.title}”</p>}
      <div className="field-row">
        <Select
          id="tab-layer"
          label="Indelning"
          value={dry.recipe.layer}
          disabled={m.pending}
          onChange={(e) => m.changeLayout({ layer: e.target.value })}
          options={m.layers.map((l) => ({ value: l.id, label: l.name }))}
        />
        <Select
          id="tab-region"
          label="Kolumn med områden"
          value={layout.regionColumn}
          disabled={m.pending}
          onChange={(e) => m.changeLayout({ regionColumn: e.target.value })}
          options={regionOptions}
        />
      </div>
      <dl className="metadata">
        <dt>Rubrikrad</dt>
        <dd>rad {layout.headerRow}</dd>
        <dt>Perioder</dt>
        <dd data-testid="table-periods">
          {layout.period.in === 'columns'
            ? `${layout.period.columns.length} kolumner (${layout.period.columns.map((c) => c).join(', ')})`
            : `kolumnen ${layout.period.column}`}
          {kinds && ` – ${kinds}`}
        </dd>
        <dt>Dimensioner</dt>
        <dd>{layout.dimensions.length ? layout.dimensions.map((d) => `${d.column} (${d.values.length})`).join(', ') : 'inga'}</dd>
        <dt>Format</dt>
        <dd>
          {layout.format.kind === 'xlsx' ? 'Excel (.xlsx)' : `CSV (${layout.format.encoding}, avgränsare ${layout.format.delimiter})`}
        </dd>
      </dl>
      {dry.recipe.values.length > 0 && (
        <fieldset className="field-row" data-testid="table-values">
          <legend>Värdekolumner</legend>
          {dry.recipe.values.map((v, i) => (
            <Select
              key={v.column}
              id={`tab-role-${i}`}
              label={v.column}
              value={v.role}
              disabled={m.pending}
              onChange={(e) => {
                const role = e.target.value
                const values = dry.recipe.values.flatMap((x, k) => (k !== i ? [x] : role === IGNORE ? [] : [{ ...x, role: role as ValueRole }]))
                m.changeLayout({ values })
              }}
              options={[...Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })), { value: IGNORE, label: 'används inte' }]}
            />
          ))}
        </fieldset>
      )}
      {dry.preview[0] && <p className="muted">Första värdet: {periodLabel(dry.preview[0].period)} från kolumnen ”{dry.preview[0].column}”.</p>}
    </div>
  )
}
