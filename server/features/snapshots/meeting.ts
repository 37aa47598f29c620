/**
 * Mötesunderlag: the material for a local management group's meeting, read from a published snapshot.
 * Everything here is computed from the published, suppressed figures only, so it can be shown to anyone
 * who may see the snapshot: a hidden figure is never guessed, and a test that would need one is not made.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { comparePeriods, monthsBefore, parsePeriod } from '../../core/period'
import { AppError } from '../../errors'
import { benjaminiHochberg, gStar, gStarClass, poissonRateChange, proportionChange } from '../../statistics'
import { frozenMapOf } from './frozen-map'
import * as repo from './snapshots.repository'
import type { AreaMeetingQuery, Comparison, FrozenMap, MeetingDto, MeetingHotspots, MeetingIndicator, RegisteredMeetingRef } from './snapshots.schema'

/** What the meeting reads beyond the snapshot: contiguity and overlap of boundaries valid on a date. */
export interface MeetingSources {
  neighbours(layer: string, at: string): Promise<Record<string, number[]>>
  /** Which candidate areas lie mostly in the target (or mostly cover it). */
  overlapping(targetId: number, candidateIds: number[]): Promise<number[]>
  /**
   * Population of an area of a layer (or the whole city) in a period's year, from the one population
   * derivation (public figures): for counts frozen before they carried their population.
   */
  population(layer: string, period: string): Promise<(area: number | 'city') => { population: number; note: string } | null>
}

export const ALPHA = 0.05
/** The layer hot spots are looked for on: small enough to point at places, published for every count. */
const HOTSPOT_LAYER = 'primaromrade'


export type Cell = { value: number | null; suppressed: boolean; numerator: number | null; denominator: number | null }

/** The latest period of a kind that had ended by the date (periods end exclusively: 2025 ends 2026-01-01). */
export function latestBy(periods: string[], kind: string, date: string): string | null {
  return (
    periods
      .filter((p) => {
        const x = parsePeriod(p)
        return x !== null && x.kind === kind && x.end <= date
      })
      .sort(comparePeriods)
      .at(-1) ?? null
  )
}

export const rateOf = (c: Cell, unit: MeetingIndicator['unit']) => (unit === 'count' && c.numerator != null && c.denominator ? (1000 * c.numerator) / c.denominator : null)

export const noTest = (verdict: Comparison['verdict'], reason: string | null): Comparison => ({ verdict, reason, p: null, pAdjusted: null, ratio: null, difference: null })

/**
 * One comparison of two published cells: `a` the reference (the rest of the city, or the previous figure),
 * `b` the area now. Counts and rates: exact Poisson test on numerators over populations; shares: the
 * two-proportion test on the survey's numerators and denominators. Index values have no count to test.
 */
export function compare(a: Cell, b: Cell, unit: MeetingIndicator['unit']): Comparison {
  if (a.suppressed || b.suppressed) return noTest('hidden', 'ett av värdena är dolt')
  if (unit === 'index') return noTest('not_testable', 'ett index har inget antal att pröva')
  const { numerator: x1, denominator: n1 } = a
  const { numerator: x2, denominator: n2 } = b
  if (x1 == null || x2 == null || !n1 || !n2 || x1 < 0 || x2 < 0 || !Number.isInteger(x1) || !Number.isInteger(x2)) {
    return noTest('not_testable', unit === 'percent' ? 'antal svarande saknas' : 'befolkning saknas')
  }
  if (unit === 'percent') {
    if (x1 > n1 || x2 > n2) return noTest('not_testable', 'antal svarande saknas')
    const r = proportionChange(x1, n1, x2, n2)
    return { verdict: 'similar', reason: null, p: Number.isFinite(r.p) ? r.p : null, pAdjusted: null, ratio: null, difference: 100 * r.difference }
  }
  const r = poissonRateChange(x1, n1, x2, n2)
  // The difference per 1 000 inhabitants also carries the direction when the ratio is infinite (from 0).
  return { verdict: 'similar', reason: null, p: r.p, pAdjusted: null, ratio: Number.isFinite(r.rateRatio) ? r.rateRatio : null, difference: (1000 * x2) / n2 - (1000 * x1) / n1 }
}

/** Adjusts a family of comparisons together (Benjamini–Hochberg) and names the significant ones. */
export function decide(family: Comparison[], up: Comparison['verdict'], down: Comparison['verdict'], none: Comparison['verdict']) {
  const adjusted = benjaminiHochberg(Float64Array.from(family, (c) => c.p ?? NaN))
  family.forEach((c, i) => {
    if (c.p === null) return
    c.pAdjusted = adjusted[i]!
    const direction = c.difference ?? (c.ratio !== null ? c.ratio - 1 : 0)
    c.verdict = c.pAdjusted < ALPHA && direction !== 0 ? (direction > 0 ? up : down) : none
  })
}

export const cellOf = (v: FrozenMap['values'][number] | FrozenMap['city'] | undefined): Cell | null =>
  v ? { value: v.value, suppressed: v.suppressed, numerator: v.numerator ?? null, denominator: v.denominator ?? null } : null

/** Gi* over the published counts of a layer; hidden areas are left out, never filled in. */
function publishedHotspots(frozen: FrozenMap, neighbours: Record<string, number[]>) {
  const used = frozen.values.filter((v) => !v.suppressed && v.value !== null)
  const index = new Map(used.map((v, i) => [v.areaId, i]))
  const nb = used.map((v) => (neighbours[String(v.areaId)] ?? []).map((n) => index.get(n)).filter((i): i is number => i !== undefined))
  const x = Float64Array.from(used, (v) => v.value!)
  const { gi, p } = used.length >= 3 ? gStar(x, nb) : { gi: new Float64Array(used.length).fill(NaN), p: new Float64Array(used.length).fill(NaN) }
  const adjusted = benjaminiHochberg(p)
  return {
    n: used.length,
    values: frozen.values.map((v): MeetingHotspots['values'][number] => {
      const i = index.get(v.areaId)
      if (i === undefined) return { areaId: v.areaId, class: 'missing', suppressed: v.suppressed }
      if (nb[i]!.length === 0) return { areaId: v.areaId, class: 'no_neighbours', suppressed: false }
      return { areaId: v.areaId, class: gStarClass(gi[i]!, adjusted[i]!) ?? 'ns', suppressed: false }
    }),
  }
}

/**
 * A count is tested per inhabitant: frozen with its population as denominator, or (frozen before counts
 * carried one) with the population derivation's for the period's year. The notes collect which year.
 */
export function populationFiller(sources: Pick<MeetingSources, 'population'>, layer: string, notes: Set<string>) {
  return async (unit: MeetingIndicator['unit'], frozen: FrozenMap | null, c: Cell | null, areaId: number | 'city', period: string | null): Promise<Cell | null> => {
    if (unit !== 'count' || !c || !period) return c
    if (c.denominator != null) {
      const note = (frozen as { population?: { note?: unknown } | null } | null)?.population?.note
      if (typeof note === 'string') notes.add(note)
      return c
    }
    if (c.suppressed) return c
    const f = (await sources.population(layer, period))(areaId)
    if (!f) return c
    notes.add(f.note)
    return { ...c, denominator: Math.round(f.population) }
  }
}

/** An indicator's frozen catalogue entry as the pack names it. */
export function indicatorMeta(info: Record<string, unknown> & { id: string }) {
  return {
    indicator: info.id,
    name: String(info.name ?? info.id),
    category: String(info.category ?? ''),
    // A frozen catalogue entry from before polarity could be neutral has one of the other two.
    polarity: (info.polarity === 'higher_is_better' || info.polarity === 'neutral' ? info.polarity : 'higher_is_worse') as MeetingIndicator['polarity'],
  }
}

export async function meetingPack(
  db: Kysely<Database>,
  sources: MeetingSources,
  snapshot: { id: number; title: string; published_at: Date | null; created_at: Date; priorities: Record<string, unknown> },
  q: AreaMeetingQuery,
  registered: RegisteredMeetingRef | null = null,
): Promise<MeetingDto> {
  const previousDate = q.previous ?? monthsBefore(q.date, 3)
  const [indicators, rows] = await Promise.all([repo.snapshotContents(db, [snapshot.id]), repo.snapshotValuesOnLayers(db, snapshot.id, [q.layer, HOTSPOT_LAYER])])
  if (!indicators.layers.some((l) => l.layer_id === q.layer)) {
    throw AppError.notFound(`Ögonblicksbilden har inte indelningen ${q.layer}`, [{ field: 'layer', message: 'inte med i ögonblicksbilden' }])
  }
  const onLayer = (layer: string, indicator: string) => rows.filter((r) => r.layer_id === layer && r.indicator_id === indicator)
  const first = rows.find((r) => r.layer_id === q.layer)
  const anyValues = first ? frozenMapOf(snapshot.id, first) : undefined
  const area = anyValues?.values.find((v) => v.areaId === q.area)
  if (!area) throw AppError.notFound(`Området ${q.area} finns inte på ${q.layer} i ögonblicksbilden`, [{ field: 'area', message: 'inget sådant område' }])

  const populationNotes = new Set<string>()
  const withPopulation = populationFiller(sources, q.layer, populationNotes)

  const out: MeetingIndicator[] = []
  for (const info of indicators.indicators.map((i) => i.info as Record<string, unknown> & { id: string })) {
    const held = onLayer(q.layer, info.id)
    if (held.length === 0) continue
    const periods = held.map((r) => r.period)
    const currentPeriod = latestBy(periods, q.periodKind, q.date)
    const previousPeriod = latestBy(periods, q.periodKind, previousDate)
    const frozenAt = (p: string | null) => (p ? frozenMapOf(snapshot.id, held.find((r) => r.period === p)!) : null)
    const now = frozenAt(currentPeriod)
    const then = frozenAt(previousPeriod)
    const meta = now ?? then ?? frozenMapOf(snapshot.id, held[0]!)
    const unit = meta.unit
    const cur = await withPopulation(unit, now, cellOf(now?.values.find((v) => v.areaId === q.area)), q.area, currentPeriod)
    const prev = await withPopulation(unit, then, cellOf(then?.values.find((v) => v.areaId === q.area)), q.area, previousPeriod)
    const city = await withPopulation(unit, now, cellOf(now?.city), 'city', currentPeriod)
    const fig = (period: string, c: Cell) => ({ period, value: c.suppressed ? null : c.value, suppressed: c.suppressed, rate: c.suppressed ? null : rateOf(c, unit) })

    let versusCity: Comparison
    if (!cur || !currentPeriod) versusCity = noTest('not_testable', `inga siffror per ${KIND_LABEL[q.periodKind]} före mötet`)
    else if (!city) versusCity = noTest('not_testable', 'inget värde för hela staden')
    else if (city.suppressed) versusCity = noTest('hidden', 'stadens värde är dolt')
    else {
      // The area against the rest of the city: both published, so the difference is too.
      const rest: Cell = {
        value: null,
        suppressed: false,
        numerator: city.numerator != null && cur.numerator != null ? city.numerator - cur.numerator : null,
        denominator: city.denominator != null && cur.denominator != null ? city.denominator - cur.denominator : null,
      }
      versusCity = cur.suppressed ? noTest('hidden', 'områdets värde är dolt') : compare(rest, cur, unit)
    }
    let change: Comparison
    if (!currentPeriod || !cur) change = noTest('not_testable', `inga siffror per ${KIND_LABEL[q.periodKind]} före mötet`)
    else if (!previousPeriod || !prev) change = noTest('not_testable', 'inga siffror vid föregående möte')
    else if (previousPeriod === currentPeriod) change = noTest('same_period', `samma period som vid föregående möte (${currentPeriod})`)
    else change = compare(prev, cur, unit)

    out.push({
      ...indicatorMeta(info),
      unit,
      source: meta.source,
      demo: meta.demo,
      current: cur && currentPeriod ? { ...fig(currentPeriod, cur), city: city ? fig(currentPeriod, city) : { period: currentPeriod, value: null, suppressed: false, rate: null } } : null,
      previous: prev && previousPeriod ? fig(previousPeriod, prev) : null,
      versusCity,
      change,
    })
  }
  decide(out.map((i) => i.versusCity), 'higher', 'lower', 'similar')
  decide(out.map((i) => i.change), 'increase', 'decrease', 'no_change')

  // Hot spots of every count indicator, on the boundaries valid when the snapshot was taken.
  const at = snapshot.created_at.toISOString().slice(0, 10)
  const hotspots: MeetingHotspots[] = []
  const counts = out.filter((i) => i.unit === 'count')
  if (counts.length && indicators.layers.some((l) => l.layer_id === HOTSPOT_LAYER)) {
    const neighbours = await sources.neighbours(HOTSPOT_LAYER, at)
    let inside: number[] | null = null
    for (const ind of counts) {
      const held = onLayer(HOTSPOT_LAYER, ind.indicator)
      const period = latestBy(held.map((r) => r.period), q.periodKind, q.date)
      if (!period) continue
      const frozen = frozenMapOf(snapshot.id, held.find((r) => r.period === period)!)
      inside ??= await sources.overlapping(q.area, frozen.values.map((v) => v.areaId))
      const h = publishedHotspots(frozen, neighbours)
      hotspots.push({ indicator: ind.indicator, name: ind.name, layer: HOTSPOT_LAYER, period, n: h.n, leftOut: frozen.values.length - h.n, values: h.values, inside })
    }
  }

  const measures = (snapshot.priorities as { measures?: Array<{ id: number; areaIds: number[] }> }).measures ?? []
  const touched = new Set(await sources.overlapping(q.area, [...new Set(measures.flatMap((m) => m.areaIds))]))

  return {
    kind: 'area',
    snapshotId: snapshot.id,
    snapshotTitle: snapshot.title,
    publishedAt: snapshot.published_at ? snapshot.published_at.toISOString() : null,
    layer: q.layer,
    area: { id: area.areaId, code: area.code, name: area.name },
    date: q.date,
    previousDate,
    periodKind: q.periodKind,
    alpha: ALPHA,
    method:
      'Publicerade siffror, dolda värden prövas inte. Antal: exakt Poisson-test på antal per invånare; andelar: test av två andelar. ' +
      'Mot staden jämförs området med resten av staden. p-värdena justeras för antalet jämförelser (Benjamini–Hochberg); bara det som håller på 5 % kallas skillnad eller förändring.',
    indicators: out,
    populationNote: populationNotes.size ? `Antal räknas per invånare. ${[...populationNotes].join('; ')}.` : null,
    hotspots,
    hotspotMethod:
      'Getis–Ord Gi* på publicerade antal per primärområde (queen-grannar, området självt inräknat), FDR-korrigerat. Områden med dolda värden är utelämnade, inte gissade.',
    measureIds: measures.filter((m) => m.areaIds.some((a) => touched.has(a))).map((m) => m.id),
    meeting: registered,
  }
}

export const KIND_LABEL = { year: 'år', half: 'halvår', quarter: 'kvartal', month: 'månad', week: 'vecka' } as const
