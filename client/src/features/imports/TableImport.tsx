import { DataTable } from '../../components/DataTable'
import { countOf, formatNumber, periodLabel } from '../../lib/format'
import { ImportStatus } from './ImportStatus'
import { TableLayout } from './TableLayout'
import { TableMapping } from './TableMapping'
import { TableMatches } from './TableMatches'
import { useTableImport, type TableImportModel } from './useTableImport'

/**
 * Official tables (Brå, NTU, SCB, the city's Excel exports): choose a file, check the layout the server
 * found, confirm areas and indicators, look at the preview, import all or nothing.
 */
export function TableImport() {
  const m = useTableImport()
  return (
    <section className="import-box" aria-labelledby="tab-h" data-testid="table-import">
      <h2 id="tab-h">Officiell tabell (Brå, NTU, SCB, Excel)</h2>
      <p className="muted">
        CSV eller Excel (.xlsx) som den laddas ner: rubrikrader, perioder som kolumner eller i en kolumn (2024, 2024K1, januari 2024,
        2024 halvår 1), ”..” för saknade värden. Du kontrollerar indelning, områden och indikatorer innan något sparas.
      </p>
      <div className="field">
        <label htmlFor="tab-file">Fil</label>
        <input
          id="tab-file"
          type="file"
          accept=".csv,.txt,.xlsx"
          onChange={(e) => void m.chooseFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <ImportStatus upload={{ isPending: m.pending, fraction: null, error: m.error }} />
      {m.dry && !m.result && <Wizard m={m} />}
      {m.result && (
        <p role="status" className="success" data-testid="table-result">
          Import {m.result.importId} klar: {countOf(m.result.observationsWritten, 'värde', 'värden')} för {countOf(m.result.areasTouched, 'område', 'områden')} (
          {m.result.periods.map(periodLabel).join(', ')}); {countOf(m.result.skippedMissing, 'tom cell', 'tomma celler')} hoppades över.
          {m.result.savedRecipeId !== null && ' Receptet sparades.'}
        </p>
      )}
      <SavedRecipes m={m} />
    </section>
  )
}

function Wizard({ m }: { m: TableImportModel }) {
  const dry = m.dry!
  const offer = dry.suggestedRecipe
  return (
    <div className="preview" data-testid="table-wizard">
      {offer && (
        <p className="notice" data-testid="recipe-offer">
          Det sparade receptet ”{offer.name}” passar filens rubriker.{' '}
          <button type="button" onClick={() => m.applyRecipe(offer)}>
            Använd receptet
          </button>
        </p>
      )}
      <TableLayout m={m} />
      <TableMapping m={m} />
      <TableMatches m={m} />
      <h3>Förhandsgranskning</h3>
      <dl className="metadata" data-testid="table-counts">
        <dt>Tabellrader</dt>
        <dd>{formatNumber(dry.counts.rowsRead)}</dd>
        <dt>Värden</dt>
        <dd>{formatNumber(dry.counts.values)}</dd>
        <dt>Tomma celler (..)</dt>
        <dd>{formatNumber(dry.counts.skippedMissing)}</dd>
        <dt>Finns redan</dt>
        <dd>{formatNumber(dry.counts.existing)}</dd>
      </dl>
      <DataTable
        testId="table-preview"
        rows={dry.preview.map((p, i) => ({ ...p, i }))}
        rowKey={(p) => p.i}
        columns={[
          { key: 'row', header: 'Rad', className: 'num', cell: (p) => p.row },
          { key: 'region', header: 'Område i filen', rowHeader: true, cell: (p) => p.region },
          { key: 'series', header: 'Serie', cell: (p) => (p.series === '*' ? '–' : p.series) },
          { key: 'period', header: 'Period', cell: (p) => periodLabel(p.period) },
          { key: 'value', header: 'Värde', className: 'num', cell: (p) => formatNumber(p.value) },
          { key: 'ci', header: 'KI', className: 'num', cell: (p) => (p.ciLow !== null && p.ciHigh !== null ? `${formatNumber(p.ciLow)}–${formatNumber(p.ciHigh)}` : '') },
        ]}
      />
      {dry.preview.length < dry.counts.values && <p className="muted">De första {dry.preview.length} av {formatNumber(dry.counts.values)} värden visas.</p>}
      {dry.problems.length > 0 && (
        <div role="alert" className="import-error" data-testid="table-problems">
          <p>
            <strong>{countOf(dry.problems.length, 'fel', 'fel')} i filen</strong> – rätta filen och välj den igen.
          </p>
          <ul>
            {dry.problems.map((p, i) => (
              <li key={i}>
                Rad {p.row ?? '–'}, kolumn {p.field ?? '–'}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {dry.counts.existing > 0 && (
        <label className="check">
          <input type="checkbox" checked={m.replace} onChange={(e) => m.setReplace(e.target.checked)} /> Ersätt de {formatNumber(dry.counts.existing)} värden som
          redan finns
        </label>
      )}
      <div className="field">
        <label htmlFor="tab-recipe">Spara som recept (valfritt)</label>
        <input id="tab-recipe" value={m.recipeName} maxLength={100} onChange={(e) => m.setRecipeName(e.target.value)} placeholder="t.ex. Brå anmälda brott per kvartal" />
      </div>
      {(m.left.regions.length > 0 || m.left.series.length > 0) && (
        <p className="muted" data-testid="table-left">
          Kvar att bestämma: {countOf(m.left.regions.length, 'område', 'områden')} och {countOf(m.left.series.length, 'serie', 'serier')}.
        </p>
      )}
      <button type="button" className="primary" disabled={!m.canImport} onClick={m.importNow}>
        Importera
      </button>
    </div>
  )
}

function SavedRecipes({ m }: { m: TableImportModel }) {
  if (m.savedRecipes.length === 0) return null
  return (
    <details data-testid="saved-recipes">
      <summary>Sparade recept ({m.savedRecipes.length})</summary>
      <ul>
        {m.savedRecipes.map((r) => (
          <li key={r.id}>
            {r.name} <span className="muted">({r.recipe.layer}, sparat {new Date(r.updatedAt).toLocaleDateString('sv-SE')})</span>{' '}
            <button type="button" aria-label={`Ta bort receptet ${r.name}`} onClick={() => void m.deleteRecipe(r.id)}>
              Ta bort
            </button>
          </li>
        ))}
      </ul>
    </details>
  )
}
