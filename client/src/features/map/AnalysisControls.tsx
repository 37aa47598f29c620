import { Select } from '../../components/Select'
import { ANALYSIS_LABELS, EMERGING_DEFAULT_PERIODS, SMOOTH_LABELS } from '../../lib/analysis'
import { periodLabel } from '../../lib/format'
import type { Smooth } from '../../lib/viewState'
import type { MapPageModel } from './useMapPage'

/** The analysts' statistics: hot spots or clusters, multiple-test correction, smoothing, and why one failed. */
export function AnalysisControls({ m }: { m: MapPageModel }) {
  const { view, update, change, measure } = m
  const { analysis, smooth, hotspotsLoad, ratesLoad, changeLoad, emergingLoad, emergingRange, emergingTooShort } = m.analysis
  return (
    <fieldset className="field analysis-controls">
      <legend>Analys (analytiker)</legend>
      {(['none', 'gistar', 'lisa', 'emerging'] as const).map((a) => (
        <label key={a}>
          <input type="radio" name="analysis" checked={analysis === a} disabled={change && a !== 'none'} onChange={() => update({ analysis: a })} /> {ANALYSIS_LABELS[a]}
        </label>
      ))}
      {analysis === 'emerging' && emergingRange.from && (
        <>
          <Select
            id="ctl-since"
            label="Från period"
            value={emergingRange.from}
            onChange={(e) => update({ since: e.target.value })}
            options={emergingRange.choices.map((p) => ({ value: p, label: periodLabel(p) }))}
          />
          <p className="muted small" data-testid="emerging-note">
            Till och med {periodLabel(m.period ?? '')} (kartans period). Gi* för varje period, het eller kall där p &lt; 0,05; trenden i z prövas med Mann–Kendall.
            Förval: de {EMERGING_DEFAULT_PERIODS} senaste perioderna.
          </p>
        </>
      )}
      {emergingTooShort && <p role="alert">Framväxande heta punkter kräver minst sex perioder av samma slag som kartans period.</p>}
      {analysis !== 'emerging' && (
        <label className="check">
          <input type="checkbox" checked={view.fdr} onChange={(e) => update({ fdr: e.target.checked })} /> Korrigera för många test (FDR)
        </label>
      )}
      {measure === 'rate' && analysis === 'none' && !change && (
        <Select
          id="ctl-smooth"
          label="Utjämning av tal per 1 000"
          value={smooth}
          onChange={(e) => update({ smooth: e.target.value as Smooth })}
          options={Object.entries(SMOOTH_LABELS).map(([value, label]) => ({ value, label }))}
        />
      )}
      {hotspotsLoad.error && <p role="alert">Analysen kunde inte göras: {hotspotsLoad.error.message}</p>}
      {analysis === 'emerging' && emergingLoad.error && <p role="alert">Analysen kunde inte göras: {emergingLoad.error.message}</p>}
      {ratesLoad.error && <p role="alert">Utjämningen kunde inte göras: {ratesLoad.error.message}</p>}
      {changeLoad.error && <p role="alert">Förändringen kunde inte prövas: {changeLoad.error.message}</p>}
    </fieldset>
  )
}
