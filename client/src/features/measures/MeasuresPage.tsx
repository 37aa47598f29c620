import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { MeasuresTabs } from '../../components/MeasuresTabs'
import type { MeasureDto } from '../../lib/api'
import { LEVEL_LABELS, PREVENTION_LABELS, PURPOSE_LABELS, STATUS_LABELS } from '../../lib/labels'
import { useAreaList, useCycles, useIndicators, useLayers, useProblemAreas } from '../../lib/queries'
import { MeasureForm } from './MeasureForm'
import { useMeasures, useSamverkansformer } from './queries'

const FILTERS = ['problemAreaId', 'purpose', 'prevention', 'level', 'samverkansform', 'status', 'owner', 'areaId'] as const
type Param = (typeof FILTERS)[number] | 'ny'

/** Measures of the current cycle: filter by any tag, create, edit, show on the map. */
export function MeasuresPage() {
  const [params, setParams] = useSearchParams()
  const cycle = useCycles().data?.find((c) => c.current)
  const problemAreasQuery = useProblemAreas(cycle?.id ?? null)
  const problemAreas = problemAreasQuery.data ?? []
  // A retired problem area takes no new measures (the form offers only those in force).
  const open = problemAreas.filter((p) => p.retiredAt === null)
  const areas = useAreaList().data ?? []
  const layers = useLayers().data ?? []
  const indicators = useIndicators().data ?? []
  const forms = useSamverkansformer().data ?? []
  // ?ny=<areaId>: started from an area on the map.
  const startArea = Number(params.get('ny')) || null
  const [editing, setEditing] = useState<MeasureDto | 'new' | null>(startArea ? 'new' : null)
  const query = new URLSearchParams(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f)!]] : []))).toString()
  const measuresQuery = useMeasures(query)
  const measures = measuresQuery.data ?? null
  const error = measuresQuery.error?.message ?? null

  const filter = (k: Param, v: string) => {
    const next = new URLSearchParams(params)
    if (v) next.set(k, v)
    else next.delete(k)
    setParams(next, { replace: true })
  }
  const select = (k: (typeof FILTERS)[number], label: string, options: Array<[string, string]>) => (
    <div className="field">
      <label htmlFor={`f-${k}`}>{label}</label>
      <select id={`f-${k}`} value={params.get(k) ?? ''} onChange={(e) => filter(k, e.target.value)}>
        <option value="">Alla</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
  const areaName = (id: number) => areas.find((a) => a.id === id)?.name ?? String(id)
  const paTitle = (id: number) => problemAreas.find((p) => p.id === id)?.title ?? String(id)

  return (
    <main className="page" id="main">
      <MeasuresTabs />
      <h1>Åtgärder</h1>
      <section className="compare-controls filters" aria-label="Filter">
        {select('problemAreaId', 'Problemområde', problemAreas.map((p) => [String(p.id), `${p.title}${p.retiredAt ? ' (avslutat)' : ''}`]))}
        {select('purpose', 'Syfte', Object.entries(PURPOSE_LABELS))}
        {select('prevention', 'Preventionstyp', Object.entries(PREVENTION_LABELS))}
        {select('level', 'Nivå', Object.entries(LEVEL_LABELS))}
        {select('samverkansform', 'Samverkansform', forms.map((f) => [f.id, f.name]))}
        {select('status', 'Status', Object.entries(STATUS_LABELS))}
        {select('areaId', 'Område', areas.filter((a) => a.layer === 'stadsomrade' || a.layer === 'lokalpolisomrade').map((a) => [String(a.id), a.name]))}
        <div className="field">
          <label htmlFor="f-owner">Ägare</label>
          <input id="f-owner" type="text" value={params.get('owner') ?? ''} onChange={(e) => filter('owner', e.target.value)} />
        </div>
      </section>
      <p>
        <button type="button" className="primary" onClick={() => setEditing('new')} disabled={open.length === 0}>
          Ny åtgärd
        </button>
        {problemAreasQuery.isSuccess && open.length === 0 && (
          <span className="muted small">
            {' '}
            En åtgärd hör till ett prioriterat problemområde: {problemAreas.length === 0 ? 'den aktuella cykeln har inga ännu' : 'alla i den aktuella cykeln är avslutade'}. Lägg till ett under{' '}
            <Link to="/prioriteringar">Prioriteringar</Link>.
          </span>
        )}
      </p>
      {editing && (editing !== 'new' || open.length > 0) && (
        <MeasureForm
          key={editing === 'new' ? 'new' : `${editing.id}-${editing.version}`}
          measure={editing === 'new' ? null : editing}
          initialAreaIds={editing === 'new' && startArea ? [startArea] : []}
          problemAreas={problemAreas}
          areas={areas}
          layers={layers}
          indicators={indicators}
          samverkansformer={forms}
          onCancel={() => {
            setEditing(null)
            if (startArea) filter('ny', '')
          }}
          onSaved={() => {
            setEditing(null)
            if (startArea) filter('ny', '')
          }}
        />
      )}
      {error && <p role="alert">{error}</p>}
      {measures && measures.length === 0 && (
        <p role="status">
          {query ? (
            <>
              Inga åtgärder matchar filtret.{' '}
              <button type="button" className="link" onClick={() => setParams(new URLSearchParams(params.has('ny') ? { ny: params.get('ny')! } : {}), { replace: true })}>
                Visa alla åtgärder
              </button>
            </>
          ) : (
            'Inga åtgärder registrerade ännu. Lägg till den första med Ny åtgärd.'
          )}
        </p>
      )}
      {measures && measures.length > 0 && (
        <div className="table-scroll">
          <table data-testid="measures" className="stack-narrow">
            <thead>
              <tr>
                <th scope="col">Åtgärd</th>
                <th scope="col">Problemområde</th>
                <th scope="col">Syfte · typ · nivå</th>
                <th scope="col">Ägare</th>
                <th scope="col">Områden</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Åtgärder</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {measures.map((m) => (
                <tr key={m.id} data-measure={m.id}>
                  <th scope="row">
                    {m.title}
                    {m.samverkansform && <span className="badge">{forms.find((f) => f.id === m.samverkansform)?.name ?? m.samverkansform}</span>}
                  </th>
                  <td data-label="Problemområde" className="stack-wide">{paTitle(m.problemAreaId)}</td>
                  <td data-label="Syfte · typ · nivå" className="stack-wide">
                    {PURPOSE_LABELS[m.purpose]} · {PREVENTION_LABELS[m.prevention]} · {LEVEL_LABELS[m.level]}
                  </td>
                  <td data-label="Ägare" className="stack-wide">{m.owners.join(', ')}</td>
                  <td data-label="Områden">{m.areaIds.map(areaName).join(', ')}</td>
                  <td data-label="Status">
                    {STATUS_LABELS[m.status]}
                    <div className="muted small">
                      {m.startDate}
                      {m.endDate ? ` – ${m.endDate}` : ''}
                    </div>
                  </td>
                  <td className="stack-wide">
                    <button type="button" onClick={() => setEditing(m)}>
                      Ändra
                    </button>{' '}
                    <Link to={`/?lager=${areas.find((a) => a.id === m.areaIds[0])?.layer ?? 'stadsomrade'}&atgard=${m.id}${m.followUp[0] ? `&indikator=${m.followUp[0].indicatorId}` : ''}`}>
                      Visa på kartan
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  )
}
