import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { IndicatorDto } from '../../lib/api'
import { DATA_DERIVED, invalidate, useApiQuery, useIndicators, useLayers } from '../../lib/queries'
import { formatNumber, periodLabel } from '../../lib/format'
import { isError, upload, type UploadResult } from './upload'
import type {
  BoundariesImportResult,
  ImportLogDto,
  IncidentImportResult,
  IncidentPreview,
  ObservationsImportResult,
} from '../../../../server/features/imports/imports.schema'

type Problem = { row?: number; field?: string; message: string }
type Phase = { kind: 'idle' } | { kind: 'sending'; fraction: number | null } | { kind: 'error'; message: string; problems: Problem[]; status: number }

function Progress({ phase }: { phase: Phase }) {
  if (phase.kind !== 'sending') return null
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="import-progress">
      {phase.fraction === null ? (
        <>
          <progress aria-label="Bearbetar" /> Läser och summerar filen…
        </>
      ) : (
        <>
          <progress value={phase.fraction} max={1} aria-label="Skickar filen" /> Skickar filen… {Math.round(phase.fraction * 100)} %
        </>
      )}
    </div>
  )
}

function Problems({ phase }: { phase: Phase }) {
  if (phase.kind !== 'error') return null
  return (
    <div role="alert" className="import-error" data-testid="import-error">
      <p>
        <strong>{phase.message}</strong>
      </p>
      {phase.problems.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Rad</th>
              <th scope="col">Fält</th>
              <th scope="col">Fel</th>
            </tr>
          </thead>
          <tbody>
            {phase.problems.map((p, i) => (
              <tr key={i}>
                <td className="num">{p.row ?? '–'}</td>
                <td>{p.field ?? '–'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

async function send<T>(url: string, file: File, setPhase: (p: Phase) => void): Promise<T | null> {
  setPhase({ kind: 'sending', fraction: 0 })
  try {
    const res: UploadResult<T> = await upload<T>(url, file, (fraction) => setPhase({ kind: 'sending', fraction }))
    if (isError(res.body)) {
      setPhase({ kind: 'error', message: res.body.error.message, problems: res.body.error.details ?? [], status: res.status })
      return null
    }
    setPhase({ kind: 'idle' })
    return res.body as T
  } catch (err) {
    setPhase({ kind: 'error', message: (err as Error).message, problems: [], status: 0 })
    return null
  }
}

function IncidentImport({ indicators, onDone }: { indicators: IndicatorDto[]; onDone(): void }) {
  const [file, setFile] = useState<File | null>(null)
  const [crs, setCrs] = useState('')
  const [strict, setStrict] = useState(true)
  const [replace, setReplace] = useState(false)
  const [preview, setPreview] = useState<IncidentPreview | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [result, setResult] = useState<IncidentImportResult | null>(null)
  const counts = indicators.filter((i) => i.unit === 'count')

  const query = (dryRun: boolean) => {
    const q = new URLSearchParams({ dryRun: String(dryRun), strict: String(strict), replace: String(replace) })
    if (crs) q.set('crs', crs)
    const map = Object.entries(mapping).filter(([c, ind]) => ind && c !== ind)
    if (map.length) q.set('map', map.map(([c, ind]) => `${c}:${ind}`).join(','))
    return `/api/imports/incidents?${q}`
  }

  return (
    <section className="import-box" aria-labelledby="inc-h">
      <h2 id="inc-h">Händelser (geokodade punkter)</h2>
      <p className="muted">
        CSV eller GeoJSON med datum, kategori och koordinat per rad. Punkterna summeras i minnet till alla indelningar och ett
        hexagonrutnät per månad; bara antal sparas, aldrig punkterna.
      </p>
      <div className="field">
        <label htmlFor="inc-file">Fil</label>
        <input
          id="inc-file"
          type="file"
          accept=".csv,.txt,.geojson,.json"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null)
            setPreview(null)
            setResult(null)
            setPhase({ kind: 'idle' })
          }}
        />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="inc-crs">Koordinatsystem för x/y</label>
          <select id="inc-crs" value={crs} onChange={(e) => setCrs(e.target.value)}>
            <option value="">Inga x/y (lon/lat i WGS84)</option>
            <option value="EPSG:3006">SWEREF 99 TM (EPSG:3006)</option>
            <option value="EPSG:3007">SWEREF 99 12 00 (EPSG:3007)</option>
            <option value="EPSG:4326">WGS 84 (EPSG:4326)</option>
          </select>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} /> Strikt: avvisa hela filen om någon rad har fel
      </label>
      <button type="button" disabled={!file || phase.kind === 'sending'} onClick={async () => {
        const p = await send<IncidentPreview>(query(true), file!, setPhase)
        if (p) {
          setPreview(p)
          setMapping(Object.fromEntries(p.categories.map((c) => [c.category, c.indicatorId ?? ''])))
          setReplace(p.duplicateOf !== null)
        }
      }}>
        Förhandsgranska
      </button>
      <Progress phase={phase} />
      <Problems phase={phase} />

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
            <dt>Rader med fel</dt>
            <dd>{formatNumber(preview.rowsRejected)}</dd>
            <dt>Datum</dt>
            <dd>{preview.dateRange ? `${preview.dateRange.from} – ${preview.dateRange.to}` : '–'}</dd>
            <dt>Månader</dt>
            <dd>{preview.periods.map(periodLabel).join(', ')}</dd>
          </dl>
          {preview.duplicateOf !== null && (
            <p className="notice">Samma fil lästes redan in (import {preview.duplicateOf}).</p>
          )}
          <table data-testid="category-mapping">
            <thead>
              <tr>
                <th scope="col">Kategori i filen</th>
                <th scope="col">Rader</th>
                <th scope="col">Indikator</th>
              </tr>
            </thead>
            <tbody>
              {preview.categories.map((c) => (
                <tr key={c.category}>
                  <th scope="row">{c.category}</th>
                  <td className="num">{formatNumber(c.rows)}</td>
                  <td>
                    <select
                      aria-label={`Indikator för ${c.category}`}
                      value={mapping[c.category] ?? ''}
                      onChange={(e) => setMapping({ ...mapping, [c.category]: e.target.value })}
                    >
                      <option value="">Välj indikator…</option>
                      {counts.map((i) => (
                        <option key={i.id} value={i.id}>
                          {i.name}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.problems.length > 0 && (
            <details>
              <summary>{preview.problems.length} rader med fel</summary>
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
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Ersätt tidigare inlästa värden för samma
            månader
          </label>
          <button
            type="button"
            className="primary"
            disabled={phase.kind === 'sending' || preview.categories.some((c) => !mapping[c.category])}
            onClick={async () => {
              const r = await send<IncidentImportResult>(query(false), file!, setPhase)
              if (r) {
                setResult(r)
                onDone()
              }
            }}
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

function ObservationImport({ onDone }: { onDone(): void }) {
  const [file, setFile] = useState<File | null>(null)
  const [replace, setReplace] = useState(false)
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [result, setResult] = useState<ObservationsImportResult | null>(null)
  return (
    <section className="import-box" aria-labelledby="obs-h">
      <h2 id="obs-h">Indikatortabell</h2>
      <p className="muted">
        CSV med kolumnerna indicator, layer, area_code, period, value och valfritt numerator, denominator, ci_low, ci_high (svenska
        rubriker och Excel-format fungerar).
      </p>
      <div className="field">
        <label htmlFor="obs-file">Fil</label>
        <input id="obs-file" type="file" accept=".csv,.txt" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setResult(null); setPhase({ kind: 'idle' }) }} />
      </div>
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Ersätt värden som redan finns
      </label>
      <button type="button" className="primary" disabled={!file || phase.kind === 'sending'} onClick={async () => {
        const r = await send<ObservationsImportResult>(`/api/imports/observations?replace=${replace}`, file!, setPhase)
        if (r) {
          setResult(r)
          onDone()
        }
      }}>
        Läs in
      </button>
      <Progress phase={phase} />
      <Problems phase={phase} />
      {result && (
        <p role="status" className="success" data-testid="observations-result">
          Import {result.importId} klar: {formatNumber(result.rowsAccepted)} värden för {formatNumber(result.areasTouched)} områden.
        </p>
      )}
    </section>
  )
}

function BoundaryImport({ onDone }: { onDone(): void }) {
  const layers = (useLayers().data ?? []).filter((l) => l.kind !== 'grid')
  const [file, setFile] = useState<File | null>(null)
  const [layer, setLayer] = useState('lokalpolisomrade')
  const [validFrom, setValidFrom] = useState('')
  const [crs, setCrs] = useState('')
  const [codeField, setCodeField] = useState('')
  const [nameField, setNameField] = useState('')
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [result, setResult] = useState<BoundariesImportResult | null>(null)
  const query = () => {
    const q = new URLSearchParams({ layer, validFrom })
    if (crs) q.set('crs', crs)
    if (codeField) q.set('codeField', codeField)
    if (nameField) q.set('nameField', nameField)
    return `/api/imports/boundaries?${q}`
  }
  return (
    <section className="import-box" aria-labelledby="bnd-h">
      <h2 id="bnd-h">Gränser</h2>
      <p className="muted">
        GeoJSON med ytor (Polygon/MultiPolygon), t.ex. polisens officiella lokalpolisområden. De blir en ny version av indelningen från
        giltighetsdatumet; ogiltig geometri lagas och redovisas.
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor="bnd-layer">Indelning</label>
          <select id="bnd-layer" value={layer} onChange={(e) => setLayer(e.target.value)}>
            {layers.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bnd-date">Gäller från</label>
          <input id="bnd-date" type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="bnd-crs">Koordinatsystem</label>
          <select id="bnd-crs" value={crs} onChange={(e) => setCrs(e.target.value)}>
            <option value="">Enligt filen (annars WGS 84)</option>
            <option value="EPSG:3006">SWEREF 99 TM (EPSG:3006)</option>
            <option value="EPSG:3007">SWEREF 99 12 00 (EPSG:3007)</option>
            <option value="EPSG:4326">WGS 84 (EPSG:4326)</option>
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="bnd-code">Fält med områdeskod (valfritt)</label>
          <input id="bnd-code" type="text" value={codeField} onChange={(e) => setCodeField(e.target.value)} placeholder="code, kod, id …" />
        </div>
        <div className="field">
          <label htmlFor="bnd-name">Fält med namn (valfritt)</label>
          <input id="bnd-name" type="text" value={nameField} onChange={(e) => setNameField(e.target.value)} placeholder="name, namn …" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="bnd-file">Fil</label>
        <input id="bnd-file" type="file" accept=".geojson,.json" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setResult(null); setPhase({ kind: 'idle' }) }} />
      </div>
      <button type="button" className="primary" disabled={!file || !validFrom || phase.kind === 'sending'} onClick={async () => {
        const r = await send<BoundariesImportResult>(query(), file!, setPhase)
        if (r) {
          setResult(r)
          onDone()
        }
      }}>
        Läs in gränser
      </button>
      <Progress phase={phase} />
      <Problems phase={phase} />
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

const KIND_LABELS: Record<string, string> = { seed: 'Grunddata', incidents: 'Händelser', observations: 'Indikatortabell', boundaries: 'Gränser' }

export function ImportPage() {
  const qc = useQueryClient()
  const indicators = useIndicators().data ?? []
  const log = useApiQuery<ImportLogDto[]>('/api/imports')
  // New data: everything derived from it is asked again, so the map and lists show it.
  const refresh = () => void invalidate(qc, ...DATA_DERIVED)
  return (
    <main className="page" id="main">
      <h1>Importera</h1>
      <IncidentImport indicators={indicators} onDone={refresh} />
      <ObservationImport onDone={refresh} />
      <BoundaryImport onDone={refresh} />
      <section aria-labelledby="log-h">
        <h2 id="log-h">Importlogg</h2>
        {log.data && (
          <table data-testid="import-log">
            <thead>
              <tr>
                <th scope="col">Nr</th>
                <th scope="col">Typ</th>
                <th scope="col">Fil</th>
                <th scope="col">Rader</th>
                <th scope="col">Tid</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((l) => (
                <tr key={l.id}>
                  <td className="num">{l.id}</td>
                  <td>{KIND_LABELS[l.kind] ?? l.kind}</td>
                  <td>
                    {l.fileName}
                    {l.demo && <span className="badge demo">demo</span>}
                  </td>
                  <td className="num">
                    {formatNumber(l.rowsAccepted)} av {formatNumber(l.rowsRead)}
                  </td>
                  <td>{new Date(l.createdAt).toLocaleString('sv-SE')}</td>
                  <td>{l.replacedAt ? `Ersatt av ${l.replacedBy}` : 'Gällande'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  )
}
