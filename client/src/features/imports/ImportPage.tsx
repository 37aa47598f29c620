import type { ImportLogDto } from '../../../../server/features/imports/imports.schema'
import { DataTable } from '../../components/DataTable'
import { formatNumber } from '../../lib/format'
import { BoundaryImport } from './BoundaryImport'
import { IncidentImport } from './IncidentImport'
import { ObservationImport } from './ObservationImport'
import { PopulationImport } from './PopulationImport'
import { TableImport } from './TableImport'
import { useImportPage } from './useImportPage'

const KIND_LABELS: Record<string, string> = { seed: 'Grunddata', incidents: 'Händelser', observations: 'Indikatortabell', boundaries: 'Gränser', tables: 'Officiell tabell', population: 'Befolkning', field_reports: 'Trygghetsrapporter' }

/** Analysts read in incidents, indicator tables and boundaries; every import is logged. */
export function ImportPage() {
  const m = useImportPage()
  return (
    <main className="page" id="main">
      <h1>Importera</h1>
      <IncidentImport indicators={m.countIndicators} />
      <TableImport />
      <ObservationImport />
      <PopulationImport layers={m.boundaryLayers} />
      <BoundaryImport layers={m.boundaryLayers} />
      <section aria-labelledby="log-h">
        <h2 id="log-h">Importlogg</h2>
        {m.logError && <p role="alert">Importloggen kunde inte hämtas: {m.logError}</p>}
        {m.log && <ImportLog log={m.log} />}
      </section>
    </main>
  )
}

function ImportLog({ log }: { log: ImportLogDto[] }) {
  return (
    <DataTable
      testId="import-log"
      rows={log}
      rowKey={(l) => l.id}
      columns={[
        { key: 'id', header: 'Nr', className: 'num', cell: (l) => l.id },
        { key: 'kind', header: 'Typ', cell: (l) => KIND_LABELS[l.kind] ?? l.kind },
        {
          key: 'file',
          header: 'Fil',
          cell: (l) => (
            <>
              {l.fileName}
              {l.demo && <span className="badge demo">demo</span>}
            </>
          ),
        },
        { key: 'rows', header: 'Rader', className: 'num', cell: (l) => `${formatNumber(l.rowsAccepted)} av ${formatNumber(l.rowsRead)}` },
        { key: 'time', header: 'Tid', cell: (l) => new Date(l.createdAt).toLocaleString('sv-SE') },
        { key: 'status', header: 'Status', cell: (l) => (l.replacedAt ? `Ersatt av ${l.replacedBy}` : 'Gällande') },
      ]}
    />
  )
}
