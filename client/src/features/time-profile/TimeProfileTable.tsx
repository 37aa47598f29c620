import type { TimeProfileCount, TimeProfileDto } from '../../../../server/features/time-profile/time-profile.schema'
import { formatNumber, periodLabel } from '../../lib/format'
import { useApiQuery } from '../../lib/queries'
import './time-profile.css'

export interface TimeProfileProps {
  indicator: string
  layer: string
  areaId: number
  /** Whole months, inclusive: one month, a calendar quarter or a calendar year (the server refuses others). */
  range: { from: string; to: string }
}

const WEEKDAYS = ['Mån', 'Tis', 'Ons', 'Tors', 'Fre', 'Lör', 'Sön']
const WEEKDAY_NAMES = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag']
const hourLabel = (h: number) => (h === 24 ? 'Okänd' : String(h).padStart(2, '0'))
const hourName = (h: number) => (h === 24 ? 'okänd tid' : `kl. ${String(h).padStart(2, '0')}–${String(h + 1).padStart(2, '0')}`)

export const timeProfilePath = (p: TimeProfileProps) =>
  `/api/analysis/time-profile?${new URLSearchParams({ indicator: p.indicator, layer: p.layer, area: String(p.areaId), from: p.range.from, to: p.range.to })}`

/** One shade of the map's red per count, from nearly white to full; dark text until the shade is deep. */
function shade(count: number, max: number): { background: string; color: string } {
  const a = max > 0 ? 0.06 + 0.94 * (count / max) : 0.06
  return { background: `rgba(178, 24, 43, ${a.toFixed(3)})`, color: a > 0.72 ? '#fff' : '#1f2328' }
}

function Count({ c, max, label, margin }: { c: TimeProfileCount; max: number; label: string; margin?: boolean }) {
  const outside = c.hiddenOutside ? ' tp-outside' : ''
  if (c.hidden || c.count === null) {
    return (
      <td className={`tp-hidden${margin ? ' tp-margin' : ''}`} title={`${label}: dolt`} data-hidden="true">
        dolt
      </td>
    )
  }
  return (
    <td
      className={`${margin ? 'tp-margin' : ''}${outside}`}
      style={margin ? undefined : shade(c.count, max)}
      title={`${label}: ${formatNumber(c.count)}${c.hiddenOutside ? ' (visas inte för andra)' : ''}`}
      data-count={c.count}
    >
      {formatNumber(c.count)}
    </td>
  )
}

/**
 * The weekday × hour heat table of an indicator in one area (Mån–Sön by 00–23, with totals), as the
 * caller may see it: hidden cells say "dolt", and the legend says why. Scrolls sideways inside its box.
 */
export function TimeProfileTable(p: TimeProfileProps) {
  const q = useApiQuery<TimeProfileDto>(timeProfilePath(p))
  if (q.isPending) return <p className="muted">Hämtar veckodag och timme…</p>
  if (q.error) return <p role="alert">Veckodag och timme kunde inte hämtas: {q.error.message}</p>
  const t = q.data
  const max = Math.max(0, ...t.cells.map((c) => c.count ?? 0))
  const hours = t.hours.map((h) => h.hour)
  const cell = (w: number, h: number) => t.cells.find((c) => c.weekday === w && c.hour === h)!
  const anyHidden = [...t.cells, ...t.weekdays, ...t.hours, t.total].some((c) => c.hidden)
  const anyOutside = t.suppression.internal && t.cells.some((c) => c.hiddenOutside)
  return (
    <div className="time-profile" data-testid="time-profile">
      <p className="muted small">
        {t.indicatorName} i {t.areaName}, {periodLabel(t.range.id)}
        {t.missingMonths.length > 0 && ` (saknar ${t.missingMonths.map(periodLabel).join(', ')})`}
      </p>
      <div className="table-scroll tp-scroll" role="region" aria-label="Veckodag och timme, rulla i sidled" tabIndex={0}>
        <table className="tp-table" data-testid="time-profile-table">
          <caption className="sr-only">
            Antal per veckodag och timme, {t.areaName}, {periodLabel(t.range.id)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Dag</th>
              {hours.map((h) => (
                <th scope="col" key={h} title={hourName(h)}>
                  {hourLabel(h)}
                </th>
              ))}
              <th scope="col">Summa</th>
            </tr>
          </thead>
          <tbody>
            {t.weekdays.map((w) => (
              <tr key={w.weekday}>
                <th scope="row" title={WEEKDAY_NAMES[w.weekday - 1]}>
                  {WEEKDAYS[w.weekday - 1]}
                </th>
                {hours.map((h) => (
                  <Count key={h} c={cell(w.weekday, h)} max={max} label={`${WEEKDAY_NAMES[w.weekday - 1]} ${hourName(h)}`} />
                ))}
                <Count c={w} max={max} label={`${WEEKDAY_NAMES[w.weekday - 1]}, alla timmar`} margin />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Summa</th>
              {t.hours.map((h) => (
                <Count key={h.hour} c={h} max={max} label={`${hourName(h.hour)}, alla dagar`} margin />
              ))}
              <Count c={t.total} max={max} label="Alla dagar och timmar" margin />
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="tp-legend" data-testid="time-profile-legend">
        <span className="tp-scale" aria-hidden="true">
          <span style={shade(0, 1)} /> <span style={shade(0.5, 1)} /> <span style={shade(1, 1)} />
        </span>
        <span>
          Ljus ruta = få, mörk = många (högst {formatNumber(max)} i en ruta). Klockslag i svensk tid, sommartid inräknad.
        </span>
        {anyHidden && (
          <span data-testid="time-profile-hidden-legend">
            <span className="tp-hidden tp-swatch">dolt</span> = färre än {formatNumber(t.suppression.threshold)} fall, eller dolt så att ett
            annat dolt värde inte kan räknas fram ur en summa för raden, kolumnen eller en annan period.
          </span>
        )}
        {anyOutside && (
          <span>
            <span className="tp-swatch tp-outside">12</span> = du ser siffran som analytiker; den visas inte för andra.
          </span>
        )}
        {t.untimed && <span>Okänd = händelser med datum men utan klockslag.</span>}
      </div>
    </div>
  )
}
