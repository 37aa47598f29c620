import { useForm } from 'react-hook-form'
import type { BoundariesImportResult } from '../../../../server/features/imports/imports.schema'
import { FieldError } from '../../components/FieldError'
import { Select } from '../../components/Select'
import type { LayerDto } from '../../lib/api'
import { ImportStatus } from './ImportStatus'
import { CRS_OPTIONS, fileRules } from './importForms'
import { useUpload } from './queries'

interface BoundaryValues {
  files: FileList | null
  layer: string
  validFrom: string
  crs: string
  codeField: string
  nameField: string
}

/** Boundaries: a new version of a layer's areas from a date on. */
export function BoundaryImport({ layers }: { layers: LayerDto[] }) {
  const send = useUpload<BoundariesImportResult>()
  const { register, handleSubmit, formState } = useForm<BoundaryValues>({
    defaultValues: { files: null, layer: 'lokalpolisomrade', validFrom: '', crs: '', codeField: '', nameField: '' },
  })
  const { errors } = formState
  const submit = handleSubmit(({ files, layer, validFrom, crs, codeField, nameField }) => {
    const q = new URLSearchParams({ layer, validFrom })
    if (crs) q.set('crs', crs)
    if (codeField) q.set('codeField', codeField)
    if (nameField) q.set('nameField', nameField)
    send.mutate({ url: `/api/imports/boundaries?${q}`, file: files![0]! })
  })
  const result = send.data
  return (
    <section className="import-box" aria-labelledby="bnd-h">
      <h2 id="bnd-h">Gränser</h2>
      <p className="muted">
        GeoJSON med ytor (Polygon/MultiPolygon), t.ex. polisens officiella lokalpolisområden. De blir en ny version av indelningen från
        giltighetsdatumet; ogiltig geometri lagas och redovisas.
      </p>
      <form aria-labelledby="bnd-h" noValidate onSubmit={(e) => void submit(e)}>
        <div className="field-row">
          {/* Controlled by the form only once the layers are here, so the default layer is kept. */}
          {layers.length > 0 ? (
            <Select id="bnd-layer" label="Indelning" options={layers.map((l) => ({ value: l.id, label: l.name }))} {...register('layer')} />
          ) : (
            <Select id="bnd-layer" label="Indelning" disabled />
          )}
          <div className="field">
            <label htmlFor="bnd-date">Gäller från</label>
            <input
              id="bnd-date"
              type="date"
              aria-invalid={errors.validFrom ? true : undefined}
              {...register('validFrom', { required: 'ange från vilket datum gränserna gäller' })}
            />
            <FieldError field="validFrom" message={errors.validFrom?.message} />
          </div>
          <Select id="bnd-crs" label="Koordinatsystem" options={[{ value: '', label: 'Enligt filen (annars WGS 84)' }, ...CRS_OPTIONS]} {...register('crs')} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="bnd-code">Fält med områdeskod (valfritt)</label>
            <input id="bnd-code" type="text" placeholder="code, kod, id …" {...register('codeField')} />
          </div>
          <div className="field">
            <label htmlFor="bnd-name">Fält med namn (valfritt)</label>
            <input id="bnd-name" type="text" placeholder="name, namn …" {...register('nameField')} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="bnd-file">Fil</label>
          <input id="bnd-file" type="file" accept=".geojson,.json" {...register('files', { ...fileRules, onChange: () => send.reset() })} />
          <FieldError field="files" message={errors.files?.message} />
        </div>
        <button type="submit" className="primary" disabled={send.isPending}>
          Läs in gränser
        </button>
      </form>
      <ImportStatus upload={send} />
      {result && (
        <div role="status" className="success" data-testid="boundaries-result">
          Import {result.importId} klar: {result.areas} områden gäller från {result.validFrom}; {result.closedVersions} tidigare versioner avslutades.
          {result.repaired.length > 0 && (
            <ul>
              {result.repaired.map((r) => (
                <li key={r.code}>
                  {r.code}: geometrin lagades ({r.reason})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
