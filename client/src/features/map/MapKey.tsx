import { CategoryLegend, Legend } from '../../components/map/Legend'
import { ANALYSIS_LABELS, categoryCounts, NOT_SIGNIFICANT_CHANGE, SMOOTH_LABELS, SMOOTH_NOTE } from '../../lib/analysis'
import { PENDING_AUDIT_NOTE, periodLabel } from '../../lib/format'
import { NO_DATA_COLOR } from '../../lib/palettes'
import { Metadata } from './Metadata'
import type { MapPageModel } from './useMapPage'

/** What the colours mean and where the figures come from, once the map is ready; and why it is not. */
export function MapKey({ m }: { m: MapPageModel }) {
  const { ready, internal, values, metrics, threshold, indicator, indicatorsLoad, valuesLoad, measure, areas, classification, colors, unit, perThousand, change, period, from } = m
  const { analysis, hotspots, emerging, smooth, smoothed, changeTest, insignificant } = m.analysis
  const hiddenFor = (why: NonNullable<(typeof metrics)[number]['current']['hiddenOutside']>) => metrics.filter((x) => x.current.hiddenOutside === why).length
  return (
    <>
      {ready && internal && values!.suppression.internal && (
        <p className="notice internal-notice" role="note" data-testid="internal-notice">
          Interna siffror: du ser alla värden. {metrics.filter((x) => x.current.hiddenOutside).length} av {metrics.length} visas inte för andra än
          analytiker ({hiddenFor('primary')} färre än {threshold}, {hiddenFor('secondary')} för att skydda dem
          {hiddenFor('release') > 0 && <>, {hiddenFor('release')} för att skydda en publicerad lägesbild</>}
          {hiddenFor('unaudited') > 0 && <>, {hiddenFor('unaudited')} i väntan på granskning</>}
          {hiddenFor('unpublished') > 0 && <>, {hiddenFor('unpublished')} för att indelningen inte publiceras för perioden</>}).
        </p>
      )}
      {ready && values!.suppression.pending && (
        <p className="notice" role="status" data-testid="audit-pending">
          {PENDING_AUDIT_NOTE}
        </p>
      )}
      {indicatorsLoad.error && <p role="alert">Indikatorerna kunde inte hämtas: {indicatorsLoad.error.message}</p>}
      {valuesLoad.error && <p role="alert">Värdena kunde inte hämtas: {valuesLoad.error.message}</p>}
      {ready && (
        <>
          {analysis === 'emerging' && emerging ? (
            <CategoryLegend
              title={`${ANALYSIS_LABELS.emerging}: ${indicator?.name ?? ''} (antal), ${periodLabel(emerging.from)}–${periodLabel(emerging.to)}`}
              categories={categoryCounts('emerging', emerging.values)}
              noDataColor={NO_DATA_COLOR}
              hasMissing={emerging.values.some((v) => v.class === 'missing') || (areas?.features.length ?? 0) > emerging.values.length}
              note={`${emerging.periods.length} perioder; Gi* per period (${emerging.weights}), het eller kall där p < 0,05 utan FDR-korrigering; trend i z-värdena med Mann–Kendall; klasser som i ArcGIS.`}
            />
          ) : analysis !== 'none' && analysis !== 'emerging' && hotspots ? (
            <CategoryLegend
              title={`${ANALYSIS_LABELS[analysis]}: ${indicator?.name ?? ''} (${measure === 'rate' ? 'per 1 000 invånare' : 'antal'})`}
              categories={categoryCounts(analysis, hotspots.values)}
              noDataColor={NO_DATA_COLOR}
              hasMissing={hotspots.values.some((v) => v.class === 'missing') || (areas?.features.length ?? 0) > hotspots.values.length}
              note={`${hotspots.weights}; ${hotspots.permutations ? `${hotspots.permutations} permutationer (frö ${hotspots.seed})` : 'analytiska p-värden'}${hotspots.fdr ? ', FDR-korrigerade (Benjamini–Hochberg)' : ''}.`}
            />
          ) : (
            <Legend
              title={smooth !== 'none' ? `${m.legendTitle}, ${SMOOTH_LABELS[smooth].toLowerCase()}` : m.legendTitle}
              classification={classification}
              colors={colors}
              unit={unit}
              perThousand={perThousand}
              change={change}
              noDataColor={NO_DATA_COLOR}
              threshold={threshold}
              hasSuppressed={metrics.some((x) => x.suppressed)}
              hasMissing={metrics.some((x) => x.metric === null && !x.suppressed) || (areas?.features.length ?? 0) > metrics.length}
              extra={insignificant.size ? [NOT_SIGNIFICANT_CHANGE] : undefined}
            />
          )}
          {smoothed && (
            <p className="muted small" data-testid="smooth-note">
              {smooth !== 'none' ? `${SMOOTH_NOTE} ` : ''}
              {smoothed.populationNote}.
            </p>
          )}
          {change && !changeTest && <p className="muted small">Förändringen är inte signifikansprövad.</p>}
          {change && changeTest && (
            <p className="muted small" data-testid="change-test-note">
              {changeTest.test === 'poisson' ? 'Prövat med exakt test för två Poisson-tal (per invånare där befolkning finns)' : 'Prövat med test för två andelar'}
              ; ”ingen säker förändring” där p ≥ 0,05{changeTest.fdr ? ' efter FDR-korrigering' : ''}.
            </p>
          )}
          <Metadata
            source={values!.source}
            period={period!}
            from={from}
            demo={values!.demo}
            approximateReason={values!.approximateReason}
            method={values!.method}
            threshold={threshold}
          />
        </>
      )}
    </>
  )
}
