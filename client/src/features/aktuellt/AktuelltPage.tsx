import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { useSearchParams } from 'react-router'
import { CompareTabs } from '../../components/CompareTabs'
import { DataTable } from '../../components/DataTable'
import { FormProblem } from '../../components/FormProblem'
import { formatNumber } from '../../lib/format'
import { STATUS_LABELS } from '../../lib/labels'
import { parsePeriod } from '../../lib/periods'
import { useAreaList, useIndicators, useLayers } from '../../lib/queries'
import { useSession } from '../../lib/session'
import { useAlerts, useAreaMeasures, useAreaReports, useComparisons, useGroupMeetings, useGroups, usePatchAlert, useTimeProfileLayers, type AlertDto, type OperationalCompareDto } from './queries'
import './aktuellt.css'

/** The layers a local picture is made for. */
const LAYERS = ['stadsomrade', 'lokalpolisomrade']

const VERDICTS: Record<OperationalCompareDto['areas'][number]['verdict'], string> = {
  increase: 'Ökning',
  decrease: 'Minskning',
  no_change: 'Ingen säker förändring',
  hidden: 'Dold – för få händelser för att visas',
  not_testable: 'Kan inte prövas – veckor saknas',
}

const DAY = 86_400_000
const isoDay = (days: number) => new Date(days * DAY).toISOString().slice(0, 10)
const weekNumber = (w: string) => Number(w.slice(6))
const weekLabel = (w: string) => `vecka ${weekNumber(w)}, ${w.slice(0, 4)}`
const dayLabel = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('sv-SE', { day: 'numeric', month: 'short', timeZone: 'UTC' })
const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())
/** The week `n` weeks after `w`. */
const weeksAfter = (w: string, n: number) => {
  const p = parsePeriod(w)!
  const start = p.start + 7 * n
  const thursday = new Date((start + 3) * DAY)
  const year = thursday.getUTCFullYear()
  const jan4 = Date.UTC(year, 0, 4) / DAY
  const monday1 = jan4 - ((new Date(jan4 * DAY).getUTCDay() + 6) % 7)
  return `${year}-W${String(Math.floor((start - monday1) / 7) + 1).padStart(2, '0')}`
}

const windowLabel = (a: AlertDto) => (a.window === '1w' ? weekLabel(a.week) : `4 veckor t.o.m. ${weekLabel(a.week)}`)
const pLabel = (p: number) => (p < 0.001 ? '< 0,001' : formatNumber(p, { decimals: 3 }))

/**
 * Aktuellt: this week's picture of one stadsområde or lokalpolisområde for its local group — the last 28
 * days against the 28 before and a year earlier, tested; the alerts; the latest trygghetsrapporter; the measures
 * running there; the group's next meeting. Printable as a one-page weekly summary.
 */
export interface AktuelltSlots {
  /** The weekday × hour table of a count in an area (the time-profile feature), given by the app. */
  timeProfile?(p: { indicator: string; layer: string; areaId: number }): ReactNode
}

export function AktuelltPage({ timeProfile }: AktuelltSlots = {}) {
  const { user } = useSession()
  const [params, setParams] = useSearchParams()
  const layers = (useLayers().data ?? []).filter((l) => LAYERS.includes(l.id))
  const areas = useAreaList().data ?? []
  const indicators = useIndicators().data ?? []
  const layer = LAYERS.includes(params.get('layer') ?? '') ? params.get('layer')! : 'stadsomrade'
  const layerAreas = areas.filter((a) => a.layer === layer).sort((a, b) => a.name.localeCompare(b.name, 'sv'))
  const own = layer === 'stadsomrade' && user?.stadsomrade ? layerAreas.find((a) => a.code === user.stadsomrade!.code) : undefined
  const area = layerAreas.find((a) => String(a.id) === params.get('area')) ?? own ?? layerAreas[0]
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(patch)) v === null ? next.delete(k) : next.set(k, v)
    setParams(next, { replace: true })
  }

  // The weeks held for the layer's counts, up to the last whole week.
  const lastWhole = useMemo(() => {
    const d = Date.parse(`${localToday()}T00:00:00Z`) / DAY
    const monday = d - ((new Date(d * DAY).getUTCDay() + 6) % 7)
    return isoDay(monday - 1)
  }, [])
  const weekly = indicators.filter((i) => i.unit === 'count' && i.layers.some((l) => l.layer === layer && l.periods.some((p) => p.includes('-W'))))
  const weeks = [...new Set(weekly.flatMap((i) => i.layers.find((l) => l.layer === layer)!.periods.filter((p) => p.includes('-W'))))]
    .filter((w) => isoDay(parsePeriod(w)!.end - 1) <= lastWhole)
    .sort()
  const week = weeks.includes(params.get('week') ?? '') ? params.get('week')! : (weeks.at(-1) ?? null)
  const sunday = week ? isoDay(parsePeriod(week)!.end - 1) : null
  const first = week ? weeksAfter(week, -3) : null

  const comparisons = useComparisons(weekly.map((i) => i.id), area ? layer : null, sunday)
  const alerts = useAlerts(area ? layer : null)
  const areaAlerts = (alerts.data?.alerts ?? []).filter((a) => a.areaId === area?.id)
  const reports = useAreaReports(layer === 'stadsomrade' ? (area?.code ?? null) : null, first, week)
  const measures = useAreaMeasures(area?.id ?? null)
  const groups = useGroups().data ?? []
  const group = layer === 'stadsomrade' ? groups.find((g) => g.stadsomradeCode === area?.code) : undefined
  const meetings = useGroupMeetings(group?.id ?? null).data ?? []
  const next = meetings.filter((m) => m.status === 'planerad' && m.date >= localToday()).sort((a, b) => a.date.localeCompare(b.date))[0]

  const profiles = useTimeProfileLayers().data?.layers.filter((l) => l.layer === layer) ?? []
  const profileIndicators = indicators.filter((i) => profiles.some((p) => p.indicator === i.id))
  const [profilePick, setProfilePick] = useState<string | null>(null)
  const profileIndicator = profileIndicators.find((i) => i.id === profilePick) ?? profileIndicators[0]

  const rows = weekly.flatMap((ind, i) => {
    const c = comparisons[i]?.data
    const r = c?.areas.find((x) => x.areaId === area?.id)
    return c && r ? [{ ind, c, r }] : []
  })
  const loadingChanges = comparisons.some((q) => q.isLoading)
  const layerName = layers.find((l) => l.id === layer)?.name ?? layer

  return (
    <main className="page aktuellt-page" id="main">
      <CompareTabs />
      <h1>Aktuellt{area ? <span className="aktuellt-print-area"> – {area.name}</span> : null}</h1>
      <p className="lead no-print">Veckans läge i ett stadsområde eller lokalpolisområde: prövade förändringar, larm, trygghetsrapporter och pågående åtgärder.</p>

      <section className="aktuellt-controls no-print" aria-label="Område och vecka">
        <div className="field">
          <label htmlFor="akt-layer">Indelning</label>
          <select id="akt-layer" value={layer} onChange={(e) => set({ layer: e.target.value, area: null })}>
            {layers.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="akt-area">Område</label>
          <select id="akt-area" value={area?.id ?? ''} onChange={(e) => set({ area: e.target.value })}>
            {layerAreas.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="akt-week">Vecka</label>
          <select id="akt-week" value={week ?? ''} onChange={(e) => set({ week: e.target.value })} disabled={weeks.length === 0}>
            {weeks
              .slice()
              .reverse()
              .map((w) => (
                <option key={w} value={w}>
                  {weekLabel(w)}
                </option>
              ))}
          </select>
        </div>
        <button type="button" onClick={() => window.print()} disabled={!area || !week}>
          Skriv ut veckosammanfattning
        </button>
      </section>

      {area && week && sunday && first ? (
        <p className="aktuellt-period" data-testid="aktuellt-period">
          {area.name}, {weekLabel(week)}: de senaste 28 dagarna är {dayLabel(isoDay(parsePeriod(first)!.start))}–{dayLabel(sunday)} {sunday.slice(0, 4)}.
        </p>
      ) : (
        <p className="muted">Det finns inga veckosiffror för {layerName.toLowerCase()} än. De kommer med en import av händelser.</p>
      )}

      <section aria-labelledby="akt-alerts-h" className="aktuellt-section">
        <h2 id="akt-alerts-h">Larm</h2>
        <AlertList alerts={areaAlerts} loading={alerts.isLoading} error={alerts.error?.message ?? null} method={alerts.data?.method ?? ''} />
        {group && (
          <p className="small" data-testid="next-meeting">
            {next ? (
              <>
                Öppna larm tas upp på {group.name}s nästa möte, {dayLabel(next.date)} {next.date.slice(0, 4)}.
              </>
            ) : (
              <>Öppna larm tas upp på {group.name}s nästa möte; inget möte är planerat än.</>
            )}
          </p>
        )}
      </section>

      {week && (
        <section aria-labelledby="akt-changes-h" className="aktuellt-section">
          <h2 id="akt-changes-h">Förändringar de senaste 28 dagarna</h2>
          {loadingChanges && <p className="muted">Beräknar jämförelserna…</p>}
          {!loadingChanges && rows.length === 0 && <p className="muted">Inga antal per vecka för området.</p>}
          {rows.length > 0 && (
            <DataTable
              testId="aktuellt-changes"
              className="aktuellt-table stack-narrow"
              rows={rows}
              rowKey={(x) => x.ind.id}
              rowProps={(x) => ({ 'data-indicator': x.ind.id, 'data-verdict': x.r.verdict })}
              columns={[
                { key: 'ind', header: 'Indikator', cell: (x) => x.ind.name, rowHeader: true },
                { key: 'cur', header: 'Senaste 28 dagarna', cell: (x) => formatNumber(x.r.current), className: 'num' },
                { key: 'prev', header: '28 dagarna före', cell: (x) => formatNumber(x.r.previous), className: 'num' },
                { key: 'ly', header: 'Samma veckor i fjol', cell: (x) => formatNumber(x.r.lastYear), className: 'num' },
                {
                  key: 'verdict',
                  header: 'Mot 28 dagarna före',
                  cell: (x) => <span className={`verdict verdict-${x.r.verdict}`}>{VERDICTS[x.r.verdict]}</span>,
                },
                {
                  key: 'yearly',
                  header: 'Mot i fjol',
                  cell: (x) => (x.r.versusLastYear ? <span className={`verdict verdict-${x.r.versusLastYear.verdict}`}>{VERDICTS[x.r.versusLastYear.verdict]}</span> : '–'),
                },
              ]}
            />
          )}
          {rows[0] && <p className="small muted">{rows[0].c.method}</p>}
        </section>
      )}

      {layer === 'stadsomrade' && week && (
        <section aria-labelledby="akt-reports-h" className="aktuellt-section">
          <h2 id="akt-reports-h">Trygghetsrapporter, senaste fyra veckorna</h2>
          {reports.data && reports.data.length === 0 && <p className="muted">Inga trygghetsrapporter i {area?.name} dessa veckor.</p>}
          {reports.data && reports.data.length > 0 && (
            <ul className="aktuellt-reports" data-testid="aktuellt-reports">
              {reports.data.slice(0, 8).map((r) => (
                <li key={r.id}>
                  <strong>
                    {r.categoryName}, {r.count}
                  </strong>{' '}
                  – {r.placeName ? `${r.placeName} (${r.areaName})` : r.areaName}, v. {weekNumber(r.week)}
                  {r.text ? `: ${r.text}` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {timeProfile && area && profileIndicator && (
        // A 24-column table: on screen only, the printed week stays one page.
        <section aria-labelledby="akt-time-h" className="aktuellt-section no-print">
          <h2 id="akt-time-h">När det händer</h2>
          {profileIndicators.length > 1 && (
            <div className="field">
              <label htmlFor="akt-time-ind">Indikator</label>
              <select id="akt-time-ind" value={profileIndicator.id} onChange={(e) => setProfilePick(e.target.value)}>
                {profileIndicators.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {timeProfile({ indicator: profileIndicator.id, layer, areaId: area.id })}
        </section>
      )}

      <section aria-labelledby="akt-measures-h" className="aktuellt-section">
        <h2 id="akt-measures-h">Pågående åtgärder</h2>
        {measures.data && measures.data.length === 0 && <p className="muted">Inga pågående åtgärder är knutna till {area?.name}.</p>}
        {measures.data && measures.data.length > 0 && (
          <ul className="aktuellt-measures" data-testid="aktuellt-measures">
            {measures.data.slice(0, 8).map((m) => (
              <li key={m.id}>
                <strong>{m.title}</strong> – {STATUS_LABELS[m.status].toLowerCase()} sedan {m.startDate}
                {m.endDate ? `, till ${m.endDate}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}

/** The area's alerts, open first; each can be marked seen and handled, with a note. */
function AlertList({ alerts, loading, error, method }: { alerts: AlertDto[]; loading: boolean; error: string | null; method: string }) {
  const patch = usePatchAlert()
  const [notes, setNotes] = useState<Record<number, string>>({})
  const sorted = [...alerts].sort((a, b) => (a.status === b.status ? b.week.localeCompare(a.week) : a.status === 'open' ? -1 : 1))
  useEffect(() => patch.reset(), [alerts.length]) // eslint-disable-line react-hooks/exhaustive-deps
  if (loading) return <p className="muted">Söker efter ökningar…</p>
  if (error) return <p className="error">{error}</p>
  return (
    <>
      {sorted.length === 0 ? (
        <p className="muted">Inga larm för området.</p>
      ) : (
        <ul className="aktuellt-alerts" data-testid="aktuellt-alerts">
          {sorted.map((a) => (
            <li key={a.id} data-alert={a.id} data-status={a.status} className={`alert-item alert-${a.status}`}>
              <p className="alert-title">
                <strong>
                  {a.status === 'open' ? 'Larm' : 'Hanterat larm'}: {a.indicatorName} har ökat
                </strong>{' '}
                – {windowLabel(a)}: {formatNumber(a.observed)} mot väntat {formatNumber(a.expected, { decimals: 1 })}
                {a.ratio !== null ? ` (${formatNumber(a.ratio, { decimals: 1 })} gånger)` : ''}.
              </p>
              <p className="small muted">
                Jämfört med samma veckor {a.baselineYears === 1 ? 'förra året' : `de ${a.baselineYears} föregående åren`}; justerat p {pLabel(a.pAdjusted)}.{' '}
                {a.seenBy ? `Sett av ${a.seenBy}. ` : 'Ingen har markerat larmet som sett. '}
                {a.handledBy ? `Hanterat av ${a.handledBy} ${a.handledAt!.slice(0, 10)}.` : ''}
                {a.note ? ` Anteckning: ${a.note}` : ''}
              </p>
              <div className="inline no-print alert-actions">
                {a.seenBy === null && (
                  <button type="button" className="link" onClick={() => patch.mutate({ id: a.id, version: a.version, seen: true })}>
                    Markera som sett
                  </button>
                )}
                {a.status === 'open' ? (
                  <>
                    <label className="sr-only" htmlFor={`alert-note-${a.id}`}>
                      Anteckning om larmet {a.indicatorName}, {windowLabel(a)}
                    </label>
                    <input id={`alert-note-${a.id}`} placeholder="Anteckning (valfri)" value={notes[a.id] ?? ''} onChange={(e) => setNotes({ ...notes, [a.id]: e.target.value })} maxLength={2000} />
                    <button type="button" onClick={() => patch.mutate({ id: a.id, version: a.version, handled: true, ...(notes[a.id] ? { note: notes[a.id] } : {}) })}>
                      Markera som hanterat
                    </button>
                  </>
                ) : (
                  <button type="button" className="link" onClick={() => patch.mutate({ id: a.id, version: a.version, handled: false })}>
                    Öppna igen
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <FormProblem problem={patch.error} />
      {method && <p className="small muted no-print">{method}</p>}
    </>
  )
}
