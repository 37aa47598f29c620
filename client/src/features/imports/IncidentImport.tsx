import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { IncidentImportResult, IncidentPreview } from '../../../../server/features/imports/imports.schema'
import { DataTable } from '../../components/DataTable'
import { FieldError } from '../../components/FieldError'
import { Select } from '../../components/Select'
import type { IndicatorDto } from '../../lib/api'
import { countOf, formatNumber, periodLabel } from '../../lib/format'
import { ImportStatus } from './ImportStatus'
import { CRS_OPTIONS, fileRules } from './importForms'
import { useUpload } from './queries'

interface IncidentValues {
  files: FileList | null
  crs: string
  strict: boolean
  replace: boolean
}

/** Incidents: preview the file (a dry run), map its categories to indicators, then read it in. */
export function IncidentImport({ indicators }: { indicators: IndicatorDto[] }) {
  const send = useUpload<IncidentPreview | IncidentImportResult>()
  const [preview, setPreview] = useState<IncidentPreview | null>(null)
  const [result, setResult] = useState<IncidentImportResult | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const { register, handleSubmit, getValues, setValue, formState } = useForm<IncidentValues>({ defaultValues: { files: null, crs: '', strict: true, replace: false } })
  const { errors } = formState

  const url = (dryRun: boolean) => {
    const { crs, strict, replace } = getValues()
    const q = new URLSearchParams({ dryRun: String(dryRun), strict: String(strict), replace: String(replace) })
    if (crs) q.set('crs', crs)
    const map = Object.entries(mapping).filter(([c, ind]) => ind && c !== ind)
    if (map.length) q.set('map', map.map(([c, ind]) => `${c}:${ind}`).join(','))
    return `/api/imports/incidents?${q}`
  }
  const previewFile = handleSubmit(async ({ files }) => {
    const p = (await send.mutateAsync({ url: url(true), file: files![0]!, dryRun: true }).catch(() => null)) as IncidentPreview | null
    if (!p) return
    setPreview(p)
    setMapping(Object.fromEntries(p.categories.map((c) => [c.category, c.indicatorId ?? ''])))
    setValue('replace', p.duplicateOf !== null)
  })
  const importFile = handleSubmit(async ({ files }) => {
    const r = (await send.mutateAsync({ url: url(false), file: files![0]! }).catch(() => null)) as IncidentImportResult | null
    if (r) setResult(r)
  })

  return (
    <section className="import-box" aria-labelledby="inc-h">
      <h2 id="inc-h">Händelser (geokodade punkter)</h2>
      <p className="muted">
        CSV eller GeoJSON med datum, kategori och koordinat per rad. Punkterna summeras i minnet till alla indelningar och ett
        hexagonrutnät per månad; bara antal sparas, aldrig punkterna.
      </p>
      <form aria-labelledby="inc-h" noValidate onSubmit={(e) => void previewFile(e)}>
        <div className="field">
          <label htmlFor="inc-file">Fil</label>
          <input
            id="inc-file"
            type="file"
            accept=".csv,.txt,.geojson,.json"
            {...register('files', {
              ...fileRules,
              onChange: () => {
                setPreview(null)
                setResult(null)
                send.reset()
              },
            })}
          />
          <FieldError field="files" message={errors.files?.message} />
        </div>
        <div className="field-row">
          <Select id="inc-crs" label="Koordinatsystem för x/y" options={[{ value: '', label: 'Inga x/y (lon/lat i WGS84)' }, ...CRS_OPTIONS]} {...register('crs')} />
        </div>
        <label className="check">
          <input type="checkbox" {...register('strict')} /> Strikt: avvisa hela filen om någon rad har fel
        </label>
        <button type="submit" disabled={send.isPending}>
          Förhandsgranska
        </button>
      </form>
      <ImportStatus upload={send} />

      {preview && !result && (
        <div className="preview" data-testid="import-preview">
          <h3>Förhandsgranskning</h3>
          <dl className="metadata">
            <dt>Rader lästa</dt>
            <dd data-testid="preview-rows">{formatNumber(preview.rowsRead)}</dd>
            <dt>Inom staden</dt>
            <dd>{formatNumber(preview.rowsAccepted)}</dd>
            <dt>Utanför staden</dt>
            <dd>{formatNumber(preview.rowsOutsideCity)}</dd>
            <dt>Utan klockslag</dt>
            <dd data-testid="preview-untimed">{formatNumber(preview.rowsWithoutTime)}</dd>
            <dt>Rader med fel</dt>
            <dd>{formatNumber(preview.rowsRejected)}</dd>
            <dt>Datum</dt>
            <dd>{preview.dateRange ? `${preview.dateRange.from} – ${preview.dateRange.to}` : '–'}</dd>
            <dt>Månader</dt>
            <dd>{preview.periods.map(periodLabel).join(', ')}</dd>
          </dl>
          {preview.duplicateOf !== null && <p className="notice">Samma fil lästes redan in (import {preview.duplicateOf}).</p>}
          <DataTable
            testId="category-mapping"
            rows={preview.categories}
            rowKey={(c) => c.category}
            columns={[
              { key: 'category', header: 'Kategori i filen', rowHeader: true, cell: (c) => c.category },
              { key: 'rows', header: 'Rader', className: 'num', cell: (c) => formatNumber(c.rows) },
              {
                key: 'indicator',
                header: 'Indikator',
                cell: (c) => (
                  <Select
                    id={`inc-map-${c.category}`}
                    aria-label={`Indikator för ${c.category}`}
                    value={mapping[c.category] ?? ''}
                    onChange={(e) => setMapping({ ...mapping, [c.category]: e.target.value })}
                    options={[{ value: '', label: 'Välj indikator…' }, ...indicators.map((i) => ({ value: i.id, label: i.name }))]}
                  />
                ),
              },
            ]}
          />
          {preview.problems.length > 0 && (
            <details>
              <summary>{countOf(preview.problems.length, 'rad', 'rader')} med fel</summary>
              <ul>
                {preview.problems.map((p, i) => (
                  <li key={i}>
                    Rad {p.row}, {p.field}: {p.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <label className="check">
            <input type="checkbox" {...register('replace')} /> Ersätt tidigare inlästa värden för samma månader
          </label>
          <button
            type="button"
            className="primary"
            disabled={send.isPending || preview.categories.some((c) => !mapping[c.category])}
            onClick={() => void importFile()}
          >
            Läs in
          </button>
        </div>
      )}
      {result && (
        <p role="status" className="success" data-testid="import-result">
          Import {result.importId} klar: {formatNumber(result.rowsAccepted)} händelser summerade till {formatNumber(result.observationsWritten)} värden (
          {result.periods.map(periodLabel).join(', ')}).
        </p>
      )}
    </section>
  )
}
