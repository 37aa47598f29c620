import { useForm } from 'react-hook-form'
import type { PopulationImportResult } from '../../../../server/features/imports/imports.schema'
import { FieldError } from '../../components/FieldError'
import { Select } from '../../components/Select'
import type { LayerDto } from '../../lib/api'
import { formatNumber } from '../../lib/format'
import { ImportStatus } from './ImportStatus'
import { fileRules } from './importForms'
import { useUpload } from './queries'

interface PopulationValues {
  files: FileList | null
  layer: string
  replace: boolean
}

/** Population per area and year: SCB's DeSO/RegSO tables as downloaded, or the city's primärområde tables. */
export function PopulationImport({ layers }: { layers: LayerDto[] }) {
  const send = useUpload<PopulationImportResult>()
  const { register, handleSubmit, formState } = useForm<PopulationValues>({ defaultValues: { files: null, layer: 'deso', replace: false } })
  const { errors } = formState
  const submit = handleSubmit(({ files, layer, replace }) => {
    send.mutate({ url: `/api/imports/population?${new URLSearchParams({ layer, replace: String(replace) })}`, file: files![0]! })
  })
  const result = send.data
  return (
    <section className="import-box" aria-labelledby="pop-h">
      <h2 id="pop-h">Befolkning</h2>
      <p className="muted">
        Folkmängd per område och år, som grund för tal per 1 000 och per 100 000 invånare. SCB:s tabell för DeSO eller RegSO som den
        laddas ned från statistikdatabasen (CSV med rubrik, ett år per kolumn), stadens primärområdestabell, eller en lång tabell med{' '}
        <code>kod;år;antal</code>. Varje period räknas mot sitt eget års befolkning.
      </p>
      <form aria-labelledby="pop-h" noValidate onSubmit={(e) => void submit(e)}>
        <div className="field-row">
          {layers.length > 0 ? (
            <Select id="pop-layer" label="Indelning" options={layers.map((l) => ({ value: l.id, label: l.name }))} {...register('layer')} />
          ) : (
            <Select id="pop-layer" label="Indelning" disabled />
          )}
        </div>
        <div className="field">
          <label htmlFor="pop-file">Fil</label>
          <input id="pop-file" type="file" accept=".csv,.txt" {...register('files', { ...fileRules, onChange: () => send.reset() })} />
          <FieldError field="files" message={errors.files?.message} />
        </div>
        <label className="check">
          <input type="checkbox" {...register('replace')} /> Ersätt befolkningsuppgifter som redan finns
        </label>
        <button type="submit" className="primary" disabled={send.isPending}>
          Läs in befolkning
        </button>
      </form>
      <ImportStatus upload={send} />
      {result && (
        <div role="status" className="success" data-testid="population-result">
          Import {result.importId} klar: {formatNumber(result.areas)} områden, år {result.years.join(', ')}; {formatNumber(result.rows)} uppgifter
          {result.replaced > 0 ? ` (${formatNumber(result.replaced)} ersatte tidigare)` : ''}.
        </div>
      )}
    </section>
  )
}
