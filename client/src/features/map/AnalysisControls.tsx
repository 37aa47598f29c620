import { Select } from '../../components/Select'
import { ANALYSIS_LABELS, SMOOTH_LABELS } from '../../lib/analysis'
import type { Smooth } from '../../lib/viewState'
import type { MapPageModel } from './useMapPage'

/** The analysts' statistics: hot spots or clusters, multiple-test correction, smoothing, and why one failed. */
export function AnalysisControls({ m }: { m: MapPageModel }) {
  const { view, update, change, measure } = m
  const { analysis, smooth, hotspotsLoad, ratesLoad, changeLoad } = m.analysis
  return (
    <fieldset className="field analysis-controls">
      <legend>Analys (analytiker)</legend>
      {(['none', 'gistar', 'lisa'] as const).map((a) => (
        <label key={a}>
          <input type="radio" name="analysis" checked={analysis === a} disabled={change && a !== 'none'} onChange={() => update({ analysis: a })} /> {ANALYSIS_LABELS[a]}
        </label>
      ))}
      <label className="check">
        <input type="checkbox" checked={view.fdr} onChange={(e) => update({ fdr: e.target.checked })} /> Korrigera för många test (FDR)
      </label>
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
      {ratesLoad.error && <p role="alert">Utjämningen kunde inte göras: {ratesLoad.error.message}</p>}
      {changeLoad.error && <p role="alert">Förändringen kunde inte prövas: {changeLoad.error.message}</p>}
    </fieldset>
  )
}
