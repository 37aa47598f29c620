/**
 * The continuous local picture's rolling comparisons: per area, the last 28 days (four whole ISO weeks)
 * against the 28 before and the same weeks a year earlier, or the year to date against last year. Every
 * figure is a sum of the weekly values exactly as the values API gives them to the same viewer: a window that
 * holds a week hidden from the viewer is not summed (the sum and the shown weeks would give it away), and no
 * test is made on it.
 */
import { AppError } from '../../errors'
import { parsePeriod } from '../../core/period'
import { windowWeeks, type WindowKind } from '../../core/windows'
import { benjaminiHochberg, poissonRateChange } from '../../statistics'
import type { CompareQuery, OperationalAreaDto, OperationalCompareDto, OperationalVerdict, WindowSpan, WindowTest } from './operational.schema'

const ALPHA = 0.05

/** One week's values on a layer as the viewer may see them (the values API's answer). */
export interface WeekValues {
  unit: 'count' | 'rate_per_1000' | 'percent' | 'index'
  suppression: { threshold: number; internal: boolean }
  availablePeriods: string[]
  values: Array<{ areaId: number; code: string; name: string; value: number | null; suppressed: boolean; numerator?: number | null; denominator?: number | null }>
}

export interface OperationalSources {
  indicator(id: string): Promise<{ id: string; name: string; unit: WeekValues['unit'] } | null>
  /** Null when the layer has no values for the indicator at all. */
  values(indicator: string, layer: string, period: string | undefined): Promise<WeekValues | null>
}

interface Summed {
  count: number | null
  /** Inhabitant-weeks: each week's population (its year's), so a growing area is compared per inhabitant. */
  exposure: number
  hidden: boolean
}

const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())

function span(weeks: string[]): WindowSpan {
  const first = parsePeriod(weeks[0]!)!
  const last = parsePeriod(weeks.at(-1)!)!
  return { weeks, from: first.start, to: new Date(Date.parse(`${last.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) }
}

function test(a: Summed, b: Summed): { p: number | null; ratio: number | null; verdict: OperationalVerdict } {
  if (a.hidden || b.hidden) return { p: null, ratio: null, verdict: 'hidden' }
  if (a.count === null || b.count === null) return { p: null, ratio: null, verdict: 'not_testable' }
  const r = poissonRateChange(a.count, a.exposure, b.count, b.exposure)
  return { p: Number.isFinite(r.p) ? r.p : null, ratio: Number.isFinite(r.rateRatio) ? r.rateRatio : null, verdict: 'no_change' }
}

/** Adjusts one comparison over the layer's areas and names the significant rises and falls. */
function decide(family: Array<{ p: number | null; ratio: number | null; verdict: OperationalVerdict; pAdjusted?: number | null }>) {
  const adjusted = benjaminiHochberg(Float64Array.from(family, (t) => t.p ?? NaN))
  family.forEach((t, i) => {
    t.pAdjusted = t.p === null ? null : adjusted[i]!
    if (t.p === null || t.pAdjusted === null) return
    t.verdict = t.pAdjusted < ALPHA && t.ratio !== 1 ? ((t.ratio ?? Infinity) > 1 ? 'increase' : 'decrease') : 'no_change'
  })
}

export async function compare(sources: OperationalSources, q: CompareQuery): Promise<OperationalCompareDto> {
  const indicator = await sources.indicator(q.indicator)
  if (!indicator) throw AppError.notFound(`Okänd indikator: ${q.indicator}`, [{ field: 'indicator', message: 'indikatorn finns inte' }])
  if (indicator.unit !== 'count') {
    throw new AppError(422, 'validation_failed', 'Rullande jämförelser görs på antal', [{ field: 'indicator', message: `${indicator.name} är inte ett antal` }])
  }
  const end = q.end ?? localToday()
  const w = windowWeeks(end, q.window as WindowKind)
  const needed = [...new Set([...w.current, ...(w.previous ?? []), ...w.lastYear])]
  const first = await sources.values(q.indicator, q.layer, undefined)
  if (!first) throw AppError.notFound(`${indicator.name} finns inte för indelningen ${q.layer}`, [{ field: 'layer', message: 'inga värden för indelningen' }])
  const held = new Set(first.availablePeriods)
  // Weeks are counted on the local layers only (DeSO or hexagons would be mostly below the threshold).
  if (!first.availablePeriods.some((p) => parsePeriod(p)?.kind === 'week')) {
    throw new AppError(422, 'validation_failed', `${indicator.name} har inga veckosiffror för indelningen ${q.layer}`, [
      { field: 'layer', message: 'indelningen har inga veckor för indikatorn; välj stadsområde, lokalpolisområde, stadsdel, primärområde eller utsatt område' },
    ])
  }
  const byWeek = new Map<string, Map<number, WeekValues['values'][number]>>()
  for (const week of needed) {
    if (!held.has(week)) continue
    const v = await sources.values(q.indicator, q.layer, week)
    if (v) byWeek.set(week, new Map(v.values.map((x) => [x.areaId, x])))
  }
  const sum = (areaId: number, weeks: string[]): Summed => {
    let count = 0
    let exposure = 0
    let hidden = false
    let missing = false
    for (const week of weeks) {
      const cell = byWeek.get(week)?.get(areaId)
      if (!cell) missing = true
      else if (cell.suppressed || cell.value === null) hidden = true
      else {
        count += cell.numerator ?? cell.value
        exposure += cell.denominator || 1
      }
    }
    return { count: hidden || missing ? null : count, exposure, hidden }
  }

  const rows = first.values.map((a) => {
    const cur = sum(a.areaId, w.current)
    const prev = w.previous ? sum(a.areaId, w.previous) : null
    const ly = sum(a.areaId, w.lastYear)
    const main = { ...test(prev ?? ly, cur), pAdjusted: null as number | null }
    const yearly: (WindowTest & { pAdjusted: number | null }) | null = prev ? { ...test(ly, cur), pAdjusted: null } : null
    return { a, cur, prev, ly, main, yearly }
  })
  decide(rows.map((r) => r.main))
  decide(rows.flatMap((r) => (r.yearly ? [r.yearly] : [])))

  const areas: OperationalAreaDto[] = rows.map(({ a, cur, prev, ly, main, yearly }) => ({
    areaId: a.areaId,
    code: a.code,
    name: a.name,
    current: cur.count,
    previous: prev ? prev.count : null,
    lastYear: ly.count,
    hidden: cur.hidden || Boolean(prev?.hidden) || ly.hidden,
    p: main.p,
    pAdjusted: main.pAdjusted,
    verdict: main.verdict,
    versusLastYear: yearly,
  }))
  const against = q.window === '28d' ? 'de 28 dagarna före' : 'samma veckor förra året'
  return {
    indicator: indicator.id,
    name: indicator.name,
    layer: q.layer,
    window: q.window,
    end,
    current: span(w.current),
    previous: w.previous ? span(w.previous) : null,
    lastYear: span(w.lastYear),
    alpha: ALPHA,
    method:
      `Hela ISO-veckor. Varje område prövas mot ${against}${q.window === '28d' ? ' och mot samma veckor ett år tidigare' : ''} med exakt Poisson-test på antal per invånarvecka; ` +
      'p-värdena justeras för antalet områden (Benjamini–Hochberg) och bara det som håller på 5 % kallas ökning eller minskning. ' +
      'Ett fönster med en dold vecka summeras inte och prövas inte: summan skulle avslöja veckan.',
    suppression: first.suppression,
    areas,
  }
}
