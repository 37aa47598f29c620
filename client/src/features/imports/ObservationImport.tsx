import { useForm } from 'react-hook-form'
import type { ObservationsImportResult } from '../../../../server/features/imports/imports.schema'
import { FieldError } from '../../components/FieldError'
import { formatNumber } from '../../lib/format'
import { ImportStatus } from './ImportStatus'
import { fileRules } from './importForms'
import { useUpload } from './queries'

/** An indicator table: values per area and period, read in at once. */
export function ObservationImport() {
  const send = useUpload<ObservationsImportResult>()
  const { register, handleSubmit, formState } = useForm<{ files: FileList | null; replace: boolean }>({ defaultValues: { files: null, replace: false } })
  const { errors } = formState
  const submit = handleSubmit(({ files, replace }) => send.mutate({ url: `/api/imports/observations?replace=${replace}`, file: files![0]! }))
  const result = send.data
  return (
    <section className="import-box" aria-labelledby="obs-h">
      <h2 id="obs-h">Indikatortabell</h2>
      <p className="muted">
        CSV med kolumnerna indicator, layer, area_code, period, value och valfritt numerator, denominator, ci_low, ci_high (svenska
        rubriker och Excel-format fungerar).
      </p>
      <form aria-labelledby="obs-h" noValidate onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="obs-file">Fil</label>
          <input id="obs-file" type="file" accept=".csv,.txt" {...register('files', { ...fileRules, onChange: () => send.reset() })} />
          <FieldError field="files" message={errors.files?.message} />
        </div>
        <label className="check">
          <input type="checkbox" {...register('replace')} /> Ersätt värden som redan finns
        </label>
        <button type="submit" className="primary" disabled={send.isPending}>
          Läs in
        </button>
      </form>
      <ImportStatus upload={send} />
      {result && (
        <p role="status" className="success" data-testid="observations-result">
          Import {result.importId} klar: {formatNumber(result.rowsAccepted)} värden för {formatNumber(result.areasTouched)} områden.
        </p>
      )}
    </section>
  )
}
