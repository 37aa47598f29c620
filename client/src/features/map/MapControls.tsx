import { Select } from '../../components/Select'
import type { IndicatorDto } from '../../lib/api'
import { periodLabel, unpublishedNote } from '../../lib/format'
import { PERIOD_KIND_LABELS, PERIOD_KINDS, periodKindOf } from '../../lib/periods'
import { CATEGORY_LABELS } from '../../lib/labels'
import { PALETTES } from '../../lib/palettes'
import type { MapViewState } from '../../lib/viewState'
import type { MapPageModel } from './useMapPage'

const CATEGORIES = (Object.keys(CATEGORY_LABELS) as Array<IndicatorDto['category']>).map((id) => ({ id, label: CATEGORY_LABELS[id] }))
const METHOD_LABELS = { quantile: 'Kvantiler (lika många områden per klass)', jenks: 'Naturliga brytpunkter (Jenks)', equal: 'Lika intervall' }

/** What the map shows: layer, indicator, value or change, periods, measure, classes and colours. */
export function MapControls({ m }: { m: MapPageModel }) {
  const { view, update, layers, layerId, layer, indicator, indicators, onLayer, periods, period, change, from, measure, per, populationNote, unit, rateOk, values, palette } = m
  // Weeks would bury the months in one long list: each kind gets its own heading once there are weeks.
  const periodChoices = (ps: string[]) => {
    const kinds = PERIOD_KINDS.filter((k) => ps.some((p) => periodKindOf(p) === k))
    const option = (p: string) => ({ value: p, label: periodLabel(p) })
    return kinds.includes('week')
      ? { groups: kinds.map((k) => ({ label: PERIOD_KIND_LABELS[k], options: ps.filter((p) => periodKindOf(p) === k).map(option) })) }
      : { options: ps.map(option) }
  }
  return (
    <>
      <Select
        id="ctl-layer"
        label="Indelning"
        value={layerId}
        onChange={(e) => update({ layer: e.target.value, area: null })}
        options={layers.map((l) => ({ value: l.id, label: `${l.name}${l.approximate ? ' (ungefärliga gränser)' : ''}` }))}
      />
      <Select
        id="ctl-indicator"
        label="Indikator"
        value={indicator?.id ?? ''}
        onChange={(e) => update({ indicator: e.target.value, period: null, from: null })}
        groups={CATEGORIES.map((c) => ({ label: c.label, options: indicators.filter((i) => i.category === c.id).map((i) => ({ value: i.id, label: i.name })) }))}
      />
      {indicator && !onLayer && (
        <p role="status" className="notice">
          {indicator.name} finns inte för {layer?.name ?? layerId}. Finns för:{' '}
          {indicator.layers.map((l) => layers.find((x) => x.id === l.layer)?.name ?? l.layer).join(', ')}.
        </p>
      )}
      <fieldset className="field">
        <legend>Visa</legend>
        <label>
          <input type="radio" name="mode" checked={!change} onChange={() => update({ mode: 'value' })} /> Värde för en period
        </label>
        <label>
          <input type="radio" name="mode" checked={change} disabled={periods.length < 2} onChange={() => update({ mode: 'change' })} />{' '}
          Förändring mellan två perioder
        </label>
      </fieldset>
      <div className="field-row">
        {change && <Select id="ctl-from" label="Från" value={from ?? ''} onChange={(e) => update({ from: e.target.value })} {...periodChoices(periods.filter((p) => p !== period))} />}
        <Select id="ctl-period" label={change ? 'Till' : 'Period'} value={period ?? ''} onChange={(e) => update({ period: e.target.value })} {...periodChoices(periods)} />
      </div>
      {values?.suppression.unpublished && (
        <p className="notice" role="status" data-testid="unpublished-note">
          {unpublishedNote(values.suppression.threshold)}
        </p>
      )}
      {rateOk ? (
        <fieldset className="field">
          <legend>Mått</legend>
          <label>
            <input type="radio" name="measure" checked={measure === 'rate' && per === 1000} onChange={() => update({ measure: 'rate', per: 1000 })} /> Per 1 000 invånare
          </label>
          <label>
            <input type="radio" name="measure" checked={measure === 'rate' && per === 100000} onChange={() => update({ measure: 'rate', per: 100000 })} /> Per 100 000 invånare (Brå)
          </label>
          <label>
            <input type="radio" name="measure" checked={measure === 'value'} onChange={() => update({ measure: 'value' })} /> Antal
          </label>
          {populationNote && (
            <p className="muted small" data-testid="population-note">
              {populationNote}
            </p>
          )}
        </fieldset>
      ) : (
        // Without a population there is nothing to divide by: only counts, and why.
        unit === 'count' &&
        values && (
          <p className="muted small" data-testid="measure-note">
            Visar antal: befolkning saknas för denna indelning.
          </p>
        )
      )}
      <div className="field-row">
        <Select
          id="ctl-method"
          label="Klassindelning"
          value={view.method}
          disabled={change}
          onChange={(e) => update({ method: e.target.value as MapViewState['method'] })}
          options={Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Select id="ctl-classes" label="Klasser" value={view.classes} onChange={(e) => update({ classes: Number(e.target.value) })} options={[3, 4, 5, 6, 7].map((k) => ({ value: k, label: k }))} />
      </div>
      <Select
        id="ctl-palette"
        label="Färgskala"
        value={palette.id}
        onChange={(e) => update({ palette: e.target.value })}
        options={PALETTES.filter((pal) => (pal.kind === 'diverging') === change).map((pal) => ({ value: pal.id, label: pal.label }))}
      />
      <label className="check">
        <input type="checkbox" checked={view.overlay} onChange={(e) => update({ overlay: e.target.checked })} /> Visa utsatta områden (polisens lista
        2025)
      </label>
    </>
  )
}
