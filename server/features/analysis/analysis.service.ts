import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { populationStore } from '../../../db/population'
import { populationFor } from '../../core/population'
import { AppError } from '../../errors'
import { comparePeriods, parsePeriod } from '../../core/period'
import {
  benjaminiHochberg,
  emergingHotSpots,
  ebGlobal,
  ebLocal,
  gStar,
  gStarClass,
  localMoran,
  poissonRateChange,
  proportionChange,
} from '../../statistics'
import { permutationPValuesOffThread } from './permutations'
import type { ChangeDto, EmergingDto, HotspotClass, HotspotsDto, RatesDto } from './analysis.schema'

/** What analysis reads from the rest of the app (features do not import each other): analysts' figures. */
export interface AnalysisSources {
  values(indicator: string, layer: string, period: string): Promise<{
    unit: 'count' | 'rate_per_1000' | 'percent' | 'index'
    /** Counts: the population their denominators are (server/core/population.ts). */
    population?: { estimated: boolean; note: string } | null
    values: Array<{ areaId: number; value: number | null; numerator?: number | null; denominator?: number | null }>
    /** Every period the indicator holds on the layer, sorted. */
    availablePeriods: string[]
  }>
  neighbours(layer: string): Promise<Record<string, number[]>>
}

const SIGNIFICANT = 0.05

type Cell = { areaId: number; count: number | null; population: number | null }

/**
 * The counts (numerators) and populations of a layer's areas. A count's denominator is its population in
 * the period's year (the values carry it); a rate per 1 000 brings its own, and the population derivation
 * fills in where one is missing.
 */
async function countsAndPopulation(db: Kysely<Database>, sources: AnalysisSources, indicator: string, layer: string, period: string) {
  const v = await sources.values(indicator, layer, period)
  if (v.unit !== 'count' && v.unit !== 'rate_per_1000') {
    throw new AppError(422, 'validation_failed', 'Analysen kräver antal (en indikator med enheten antal eller per 1 000 invånare)', [
      { field: 'indicator', message: `${indicator} har enheten ${v.unit}` },
    ])
  }
  const missing = v.values.some((x) => !(x.denominator != null && x.denominator > 0))
  const model = v.unit === 'rate_per_1000' && missing ? await populationFor(await populationStore(db), [layer]) : null
  let filledEstimated = false
  const cells: Cell[] = v.values.map((x) => {
    let population = x.denominator != null && x.denominator > 0 ? x.denominator : null
    if (population === null && model) {
      const f = model.forPeriod(x.areaId, period)
      population = f?.population ?? null
      filledEstimated ||= Boolean(f?.estimated)
    }
    return { areaId: x.areaId, count: v.unit === 'count' ? (x.numerator ?? x.value) : (x.numerator ?? null), population }
  })
  const estimated = Boolean(v.population?.estimated) || filledEstimated
  const note = v.population?.note ?? (v.unit === 'rate_per_1000' ? 'Befolkning enligt indikatorns egna nämnare' : 'Ingen befolkningsuppgift')
  return { cells, populationEstimated: estimated, populationNote: note }
}

/** Areas that have a value, and their neighbour lists restricted to each other (indices, not ids). */
function restrict(ids: number[], neighbours: Record<string, number[]>) {
  const index = new Map(ids.map((id, i) => [id, i]))
  return ids.map((id) => (neighbours[String(id)] ?? []).map((n) => index.get(n)).filter((i): i is number => i !== undefined))
}

const finiteOrNull = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null)

export async function hotspots(
  db: Kysely<Database>,
  sources: AnalysisSources,
  version: number,
  q: { indicator: string; layer: string; period: string; method: 'gistar' | 'lisa'; measure: 'count' | 'rate'; fdr: boolean; permutations: number; seed: number },
): Promise<HotspotsDto> {
  const { cells } = await countsAndPopulation(db, sources, q.indicator, q.layer, q.period)
  const neighbours = await sources.neighbours(q.layer)
  const valueOf = (c: Cell) => (c.count === null ? null : q.measure === 'count' ? c.count : c.population ? (1000 * c.count) / c.population : null)
  const used = cells.filter((c) => valueOf(c) !== null)
  if (used.length < 3) throw new AppError(422, 'validation_failed', 'För få områden med värden för en analys', [{ field: 'layer', message: `${used.length} områden har värden` }])
  const x = Float64Array.from(used, (c) => valueOf(c)!)
  const nb = restrict(used.map((c) => c.areaId), neighbours)

  let z: ArrayLike<number>
  let analytic: ArrayLike<number>
  let ii: ArrayLike<number> | null = null
  let quadrant: ReadonlyArray<string | null> | null = null
  if (q.method === 'gistar') ({ gi: z, p: analytic } = gStar(x, nb))
  else {
    const lm = localMoran(x, nb)
    z = lm.zii
    analytic = lm.p
    ii = lm.ii
    quadrant = lm.quadrant
  }
  const p = q.permutations > 0 ? (await permutationPValuesOffThread(x, nb, q.method === 'gistar' ? 'gstar' : 'lisa', q.permutations, q.seed)).p : analytic
  const adjusted = benjaminiHochberg(p)

  const byId = new Map(used.map((c, i) => [c.areaId, i]))
  return {
    indicator: q.indicator,
    layer: q.layer,
    period: q.period,
    method: q.method,
    measure: q.measure,
    weights: q.method === 'gistar' ? 'binär queen-grannskap, området självt inräknat (spdep include.self, style B)' : 'radstandardiserat queen-grannskap (spdep style W)',
    fdr: q.fdr,
    permutations: q.permutations,
    seed: q.permutations > 0 ? q.seed : null,
    n: used.length,
    values: cells.map((c) => {
      const i = byId.get(c.areaId)
      if (i === undefined) return { areaId: c.areaId, value: null, z: null, i: null, p: null, pAdjusted: null, class: 'missing' as const, neighbours: (neighbours[String(c.areaId)] ?? []).length }
      const zi = finiteOrNull(z[i])
      const pi = finiteOrNull(p[i])
      const pa = finiteOrNull(adjusted[i])
      const decide = q.fdr ? pa : pi
      let cls: HotspotClass
      if (nb[i]!.length === 0) cls = 'no_neighbours'
      else if (zi === null || decide === null) cls = 'ns'
      else if (q.method === 'gistar') cls = gStarClass(zi, decide) ?? 'ns'
      else cls = decide < SIGNIFICANT && quadrant![i] ? (quadrant![i] as HotspotClass) : 'ns'
      return { areaId: c.areaId, value: x[i]!, z: nb[i]!.length === 0 ? null : zi, i: ii && nb[i]!.length ? finiteOrNull(ii[i]) : null, p: nb[i]!.length ? pi : null, pAdjusted: nb[i]!.length ? pa : null, class: cls, neighbours: nb[i]!.length }
    }),
  }
}

export async function rates(
  db: Kysely<Database>,
  sources: AnalysisSources,
  version: number,
  q: { indicator: string; layer: string; period: string; smooth: 'none' | 'eb' | 'seb' },
): Promise<RatesDto> {
  const { cells, populationEstimated, populationNote } = await countsAndPopulation(db, sources, q.indicator, q.layer, q.period)
  const used = cells.filter((c) => c.count !== null && c.population !== null && c.population > 0)
  const events = Float64Array.from(used, (c) => c.count!)
  const pop = Float64Array.from(used, (c) => c.population!)
  let smoothed: ArrayLike<number> | null = null
  if (q.smooth === 'eb') smoothed = ebGlobal(events, pop).estimate
  if (q.smooth === 'seb') smoothed = ebLocal(events, pop, restrict(used.map((c) => c.areaId), await sources.neighbours(q.layer))).estimate
  const byId = new Map(used.map((c, i) => [c.areaId, i]))
  const totalEvents = events.reduce((s, v) => s + v, 0)
  const totalPop = pop.reduce((s, v) => s + v, 0)
  return {
    indicator: q.indicator,
    layer: q.layer,
    period: q.period,
    smooth: q.smooth,
    populationEstimated,
    populationNote,
    cityRate: totalPop > 0 ? (1000 * totalEvents) / totalPop : null,
    values: cells.map((c) => {
      const i = byId.get(c.areaId)
      return {
        areaId: c.areaId,
        numerator: c.count,
        denominator: c.population,
        rate: i === undefined ? null : (1000 * events[i]!) / pop[i]!,
        smoothed: i === undefined || smoothed === null ? null : finiteOrNull(1000 * smoothed[i]!),
      }
    }),
  }
}

export async function change(
  db: Kysely<Database>,
  sources: AnalysisSources,
  version: number,
  q: { indicator: string; layer: string; from: string; to: string; fdr: boolean },
): Promise<ChangeDto> {
  const [a, b] = await Promise.all([sources.values(q.indicator, q.layer, q.from), sources.values(q.indicator, q.layer, q.to)])
  if (a.unit === 'index') throw new AppError(422, 'validation_failed', 'Ett index har inget antal att pröva en förändring på', [{ field: 'indicator', message: 'enheten är index' }])
  const test = a.unit === 'percent' ? 'proportion' : 'poisson'
  const before = new Map(a.values.map((v) => [v.areaId, v]))
  const rows = b.values.map((after) => {
    const prev = before.get(after.areaId)
    const empty = { areaId: after.areaId, from: prev?.value ?? null, to: after.value, difference: null, ratio: null, ciLow: null, ciHigh: null, p: null, pAdjusted: null, significant: null }
    if (!prev || prev.value === null || after.value === null) return empty
    if (test === 'proportion') {
      if (prev.numerator == null || !prev.denominator || after.numerator == null || !after.denominator) return { ...empty, difference: after.value - prev.value }
      const r = proportionChange(prev.numerator, prev.denominator, after.numerator, after.denominator)
      // Newcombe's interval: better than Wald for the small samples of small areas.
      return { ...empty, difference: after.value - prev.value, ciLow: 100 * r.newcombe[0], ciHigh: 100 * r.newcombe[1], p: finiteOrNull(r.p) }
    }
    const count = (v: typeof prev) => (a.unit === 'count' ? (v.numerator ?? v.value) : v.numerator)
    const c1 = count(prev)
    const c2 = count(after)
    if (c1 == null || c2 == null) return { ...empty, difference: after.value - prev.value }
    // Exposure: each period's population (a count's is its year's), else the same for both (counts compared as they are).
    const e1 = prev.denominator || 1
    const e2 = after.denominator || 1
    const r = poissonRateChange(c1, e1, c2, e2)
    return { ...empty, difference: after.value - prev.value, ratio: finiteOrNull(r.rateRatio), ciLow: finiteOrNull(r.ci[0]), ciHigh: finiteOrNull(r.ci[1]), p: finiteOrNull(r.p) }
  })
  const adjusted = benjaminiHochberg(Float64Array.from(rows, (r) => r.p ?? NaN))
  return {
    indicator: q.indicator,
    layer: q.layer,
    from: q.from,
    to: q.to,
    test,
    fdr: q.fdr,
    values: rows.map((r, i) => {
      const pa = r.p === null ? null : finiteOrNull(adjusted[i])
      const decide = q.fdr ? pa : r.p
      return { ...r, pAdjusted: pa, significant: decide === null ? null : decide < SIGNIFICANT }
    }),
  }
}

/**
 * Fewer periods than this and a trend means little: Mann–Kendall's normal approximation needs about ten, as
 * ArcGIS warns; six months is the shortest span we allow, so that half a year of weeks or months can be read.
 */
export const EMERGING_MIN_PERIODS = 6

/**
 * Emerging hot spots (server/statistics/emerging.ts) over every held period of from's kind in [from, to]: Gi*
 * per period on the counts (a rate's numerator), the same weights as /analysis/hotspots, α = 0.05 without FDR.
 */
export async function emerging(sources: AnalysisSources, q: { indicator: string; layer: string; from: string; to: string }): Promise<EmergingDto> {
  const first = await sources.values(q.indicator, q.layer, q.from)
  if (first.unit !== 'count' && first.unit !== 'rate_per_1000') {
    throw new AppError(422, 'validation_failed', 'Analysen kräver antal (en indikator med enheten antal eller per 1 000 invånare)', [
      { field: 'indicator', message: `${q.indicator} har enheten ${first.unit}` },
    ])
  }
  const kind = parsePeriod(q.from)!.kind
  const [lo, hi] = [parsePeriod(q.from)!.start, parsePeriod(q.to)!.start]
  const periods = first.availablePeriods
    .filter((id) => {
      const p = parsePeriod(id)
      return p?.kind === kind && p.start >= lo && p.start <= hi
    })
    .sort(comparePeriods)
  if (periods.length < EMERGING_MIN_PERIODS) {
    const message = `${periods.length} perioder med värden mellan ${q.from} och ${q.to}; minst ${EMERGING_MIN_PERIODS} behövs`
    throw new AppError(422, 'validation_failed', `För få perioder för en trend: ${message}`, [
      { field: 'from', message },
      { field: 'to', message },
    ])
  }
  const all = await Promise.all(periods.map((p) => sources.values(q.indicator, q.layer, p)))
  const countOf = (x: { value: number | null; numerator?: number | null }) => (first.unit === 'count' ? (x.numerator ?? x.value) : (x.numerator ?? null))
  const ids = [...new Set(all.flatMap((v) => v.values.map((x) => x.areaId)))].sort((a, b) => a - b)
  const index = new Map(ids.map((id, i) => [id, i]))
  const cube = all.map((v) => {
    const x = new Float64Array(ids.length).fill(NaN)
    for (const c of v.values) {
      const n = countOf(c)
      if (n !== null && n !== undefined) x[index.get(c.areaId)!] = n
    }
    return x
  })
  const neighbours = await sources.neighbours(q.layer)
  const nb = restrict(ids, neighbours)
  const r = emergingHotSpots(cube, nb, SIGNIFICANT)
  return {
    indicator: q.indicator,
    layer: q.layer,
    from: q.from,
    to: q.to,
    periodKind: kind,
    periods,
    alpha: SIGNIFICANT,
    minPeriods: EMERGING_MIN_PERIODS,
    weights: 'binär queen-grannskap, området självt inräknat (spdep include.self, style B)',
    values: ids.map((areaId, i) => {
      const held = cube.map((x) => !Number.isNaN(x[i]!))
      const bins = r.bins[i]!.map((b, t) => (held[t] ? b : ('missing' as const)))
      const t = r.trend[i]!
      const cls = !held.some(Boolean) ? 'missing' : nb[i]!.length === 0 ? 'no_neighbours' : r.classes[i]!
      return {
        areaId,
        class: cls,
        trendZ: finiteOrNull(t.z),
        trendP: finiteOrNull(t.p),
        tau: finiteOrNull(t.tau),
        bins,
        z: r.z.map((z) => finiteOrNull(z[i])),
        hotPeriods: bins.filter((b) => b === 'hot').length,
        coldPeriods: bins.filter((b) => b === 'cold').length,
      }
    }),
  }
}
