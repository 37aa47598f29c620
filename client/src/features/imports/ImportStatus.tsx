import { DataTable } from '../../components/DataTable'
import type { Upload } from './queries'

/** An upload under way (sending, then the server reading), or why it was refused, row by row. */
export function ImportStatus({ upload }: { upload: Pick<Upload, 'isPending' | 'fraction' | 'error'> }) {
  if (upload.isPending) {
    return (
      <div className="progress" role="status" aria-live="polite" data-testid="import-progress">
        {upload.fraction === null ? (
          <>
            <progress aria-label="Bearbetar" /> Läser och summerar filen…
          </>
        ) : (
          <>
            <progress value={upload.fraction} max={1} aria-label="Skickar filen" /> Skickar filen… {Math.round(upload.fraction * 100)} %
          </>
        )}
      </div>
    )
  }
  if (!upload.error) return null
  return (
    <div role="alert" className="import-error" data-testid="import-error">
      <p>
        <strong>{upload.error.message}</strong>
      </p>
      {upload.error.details.length > 0 && (
        <DataTable
          rows={upload.error.details.map((d, i) => ({ ...d, i }))}
          rowKey={(d) => d.i}
          columns={[
            { key: 'row', header: 'Rad', className: 'num', cell: (d) => d.row ?? '–' },
            { key: 'field', header: 'Fält', cell: (d) => d.field ?? '–' },
            { key: 'message', header: 'Fel', cell: (d) => d.message },
          ]}
        />
      )}
    </div>
  )
}
