/**
 * Alerts of the continuous local picture. A rise is raised for an area and a count indicator when its latest
 * held week, or the four weeks up to it, hold significantly more than the same weeks of earlier years lead to
 * expect: per inhabitant-week, one-sided exact conditional Poisson test (R's poisson.test, alternative
 * "greater"), Benjamini–Hochberg over every test of the run (every indicator, area and window of the layer).
 * Analysts' figures are tested; an alert whose weeks are hidden from other viewers reaches analysts only.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { recordAudit, type Actor } from '../../../db/audit'
import { AppError } from '../../errors'
import { parsePeriod } from '../../core/period'
import { lastWholeWeek, weeksAfter } from '../../core/windows'
import { versionedCache } from '../../core/versioned-cache'
import { benjaminiHochberg, poissonRiseP } from '../../statistics'
import * as repo from './alerts.repository'
import type { AlertDto, AlertPatch, AlertsDto, AlertsQuery, AlertWindow } from './alerts.schema'

export const ALERT_ALPHA = 0.05
/** Up to five earlier years, at least one: an area's usual level for the time of year. */
export const MAX_BASELINE_YEARS = 5

export interface AlertCell {
  areaId: number
  value: number | null
  suppressed: boolean
  numerator?: number | null
  denominator?: number | null
}

export interface AlertSources {
  version(): Promise<number>
  layers(): Promise<string[]>
  countIndicators(): Promise<Array<{ id: string; name: string }>>
  /** One period's values as an analyst (internal) or anyone else sees them; null when the layer has none. */
  values(internal: boolean, indicator: string, layer: string, period: string | undefined): Promise<{ availablePeriods: string[]; values: AlertCell[] } | null>
}

interface Viewer {
  email: string
  id: number | null
  internal: boolean
}

const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())
const WINDOWS: Record<AlertWindow, number> = { '1w': 1, '28d': 4 }
const weekPattern = /^\d{4}-W\d{2}$/

export const ALERT_METHOD =
  'Ett larm ges när ett områdes senaste vecka, eller de fyra veckorna fram till den, har fler händelser per invånarvecka än samma veckor ' +
  `tidigare år (upp till ${MAX_BASELINE_YEARS} år, 52 veckor bakåt så att veckodagarna stämmer) och ökningen håller i ett ensidigt exakt Poisson-test ` +
  'efter justering för alla prövningar i indelningen (Benjamini–Hochberg, 5 %). Förväntat antal är de tidigare årens takt gånger veckans invånare.'

interface Evaluation {
  evaluated: AlertsDto['evaluated']
}

const evaluations = versionedCache<Evaluation>()

/** Tests the layer's latest weeks and writes the rises not yet raised. Idempotent: a rise is one alert. */
async function evaluate(db: Kysely<Database>, sources: AlertSources, layer: string, version: number): Promise<Evaluation> {
  const lastWeek = lastWholeWeek(localToday())
  const evaluated: AlertsDto['evaluated'] = []
  const tests: Array<Omit<repo.NewAlert, 'p_adjusted' | 'shown_outside' | 'data_version'> & { weeks: string[] }> = []
  for (const indicator of await sources.countIndicators()) {
    const first = await sources.values(true, indicator.id, layer, undefined)
    const held = new Set((first?.availablePeriods ?? []).filter((p) => weekPattern.test(p)))
    const latest = [...held].filter((w) => w <= lastWeek).sort().at(-1) ?? null
    let tested = 0
    let years = 0
    if (latest) {
      const cache = new Map<string, Map<number, AlertCell>>()
      const week = async (w: string) => {
        let m = cache.get(w)
        if (!m) cache.set(w, (m = new Map(((await sources.values(true, indicator.id, layer, w))?.values ?? []).map((c) => [c.areaId, c]))))
        return m
      }
      for (const [window, length] of Object.entries(WINDOWS) as Array<[AlertWindow, number]>) {
        const current = Array.from({ length }, (_, i) => weeksAfter(latest, i - length + 1))
        if (!current.every((w) => held.has(w))) continue
        const baseline: string[][] = []
        for (let k = 1; k <= MAX_BASELINE_YEARS; k++) {
          const ws = current.map((w) => weeksAfter(w, -52 * k))
          if (ws.every((w) => held.has(w))) baseline.push(ws)
        }
        if (baseline.length === 0) continue
        years = Math.max(years, baseline.length)
        const sum = async (ws: string[], areaId: number) => {
          let count = 0
          let exposure = 0
          for (const w of ws) {
            const c = (await week(w)).get(areaId)
            if (!c || c.value === null) return null
            count += c.numerator ?? c.value
            exposure += c.denominator || 1
          }
          return { count, exposure }
        }
        for (const areaId of (await week(latest)).keys()) {
          const cur = await sum(current, areaId)
          if (!cur) continue
          let base = { count: 0, exposure: 0 }
          let complete = true
          for (const ws of baseline) {
            const b = await sum(ws, areaId)
            if (!b) complete = false
            else base = { count: base.count + b.count, exposure: base.exposure + b.exposure }
          }
          if (!complete || !Number.isInteger(cur.count) || !Number.isInteger(base.count)) continue
          tested++
          tests.push({
            indicator_id: indicator.id,
            layer_id: layer,
            area_id: areaId,
            window,
            week: latest,
            observed: cur.count,
            expected: (base.count * cur.exposure) / base.exposure,
            baseline_years: baseline.length,
            p: poissonRiseP(base.count, base.exposure, cur.count, cur.exposure),
            weeks: [...current, ...baseline.flat()],
          })
        }
      }
    }
    evaluated.push({ indicator: indicator.id, name: indicator.name, week: latest, baselineYears: years, tested })
  }
  const adjusted = benjaminiHochberg(Float64Array.from(tests, (t) => t.p))
  const rises: repo.NewAlert[] = []
  const outside = new Map<string, Map<number, AlertCell> | null>()
  for (const [i, t] of tests.entries()) {
    if (!(adjusted[i]! < ALERT_ALPHA && t.observed > t.expected)) continue
    // Shown outside the analysts only when every week it rests on is shown to them for this area.
    let shown = true
    for (const w of t.weeks) {
      const key = `${t.indicator_id}|${w}`
      if (!outside.has(key)) {
        const v = await sources.values(false, t.indicator_id, layer, w)
        outside.set(key, v ? new Map(v.values.map((c) => [c.areaId, c])) : null)
      }
      const c = outside.get(key)?.get(t.area_id)
      if (!c || c.suppressed || c.value === null) shown = false
    }
    const { weeks: _w, ...row } = t
    rises.push({ ...row, p_adjusted: adjusted[i]!, shown_outside: shown, data_version: version })
  }
  await repo.insertNew(db, rises)
  return { evaluated }
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

function toDto(r: repo.AlertRow): AlertDto {
  const weeks = WINDOWS[r.window]
  const first = parsePeriod(weeksAfter(r.week, 1 - weeks))!
  const last = parsePeriod(r.week)!
  return {
    id: r.id,
    indicator: r.indicator_id,
    indicatorName: r.indicator_name,
    layer: r.layer_id,
    areaId: r.area_id,
    areaCode: r.area_code,
    areaName: r.area_name,
    window: r.window,
    week: r.week,
    from: first.start,
    to: new Date(Date.parse(`${last.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
    observed: r.observed,
    expected: r.expected,
    ratio: r.expected > 0 ? r.observed / r.expected : null,
    baselineYears: r.baseline_years,
    p: r.p,
    pAdjusted: r.p_adjusted,
    status: r.handled_at === null ? 'open' : 'handled',
    raisedAt: iso(r.raised_at)!,
    seenBy: r.seen_by,
    seenAt: iso(r.seen_at),
    handledBy: r.handled_by,
    handledAt: iso(r.handled_at),
    note: r.note,
    version: r.version,
  }
}

export async function listAlerts(db: Kysely<Database>, sources: AlertSources, viewer: Viewer, q: AlertsQuery): Promise<AlertsDto> {
  if (!(await sources.layers()).includes(q.layer)) throw AppError.notFound(`Okänd indelning: ${q.layer}`, [{ field: 'layer', message: 'indelningen finns inte' }])
  const version = await sources.version()
  const { evaluated } = await evaluations(db, version, `${q.layer}|${localToday()}`, () => evaluate(db, sources, q.layer, version))
  const rows = await repo.alertRows(db, { layer: q.layer, area: q.area, openOnly: q.status === 'open', outsideOnly: !viewer.internal })
  return { layer: q.layer, method: ALERT_METHOD, evaluated, alerts: rows.map(toDto) }
}

export async function patchAlert(db: Kysely<Database>, actor: Actor & { internal: boolean }, id: number, patch: AlertPatch): Promise<AlertDto> {
  return db.transaction().execute(async (trx) => {
    const [row] = await repo.alertRows(trx, { id, outsideOnly: !actor.internal })
    if (!row) throw AppError.notFound(`Okänt larm: ${id}`, [{ field: 'id', message: 'larmet finns inte' }])
    if (row.version !== patch.version) {
      throw new AppError(409, 'conflict', `Larmet har ändrats av någon annan sedan du öppnade det (version ${patch.version}, nu ${row.version}). Läs in det igen.`, [
        { field: 'version', message: `nu ${row.version}` },
      ])
    }
    const now = new Date().toISOString()
    const set: Parameters<typeof repo.updateAlert>[3] = {}
    if (patch.seen && row.seen_by === null) Object.assign(set, { seen_by: actor.email, seen_at: now })
    if (patch.handled === true && row.handled_at === null) Object.assign(set, { handled_by: actor.email, handled_at: now })
    if (patch.handled === false) Object.assign(set, { handled_by: null, handled_at: null })
    if (patch.note !== undefined) set.note = patch.note
    // Handling implies having seen it.
    if (set.handled_at && row.seen_by === null) Object.assign(set, { seen_by: actor.email, seen_at: now })
    if (!(await repo.updateAlert(trx, id, patch.version, set))) throw new AppError(409, 'conflict', 'Larmet ändrades samtidigt av någon annan. Läs in det igen.', [{ field: 'version', message: 'ändrad' }])
    const [after] = await repo.alertRows(trx, { id })
    const dto = toDto(after!)
    const what = patch.handled === true ? 'hanterat' : patch.handled === false ? 'öppnat igen' : patch.seen ? 'sett' : 'anteckning ändrad'
    await recordAudit(trx, actor, {
      action: 'update',
      entity: 'alert',
      entityId: id,
      summary: `Larm ${dto.indicatorName}, ${dto.areaName}, ${dto.week}: ${what}`,
      before: toDto(row),
      after: dto,
    })
    return dto
  })
}
