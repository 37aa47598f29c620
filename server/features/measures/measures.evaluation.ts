/**
 * Evaluation of a measure (issue 16): for every follow-up indicator and every area of the measure, the
 * baseline computed from the data for the baseline period, the latest figure of the same kind of period,
 * the test between them and the status grön/gul/röd (server/core/evaluation.ts); for a place-based measure
 * with a comparison area and a buffer, displacement (server/statistics/displacement.ts).
 *
 * The figures come from the indicators feature through `EvaluationSources`, read as the caller may see them:
 * a figure hidden for the caller stays hidden here, and nothing is tested on it.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { boundaryVersion } from '../../../db/data-version'
import { versionedCache } from '../../core/versioned-cache'
import { changeTest, followUpStatus, interpretDisplacement, type Figure, type Polarity, type Unit } from '../../core/evaluation'
import { comparePeriods, parsePeriod } from '../../core/period'
import { AppError } from '../../errors'
import { discloseFollowUp, targetWithheld, withholdRow } from '../../disclosure/follow-up'
import { displacement as displacementOf } from '../../statistics'
import { areaInfo, areasWithin, isWithin } from './measures.repository'
import type { DisplacementDto, DisplacementIndicator, EvaluationDto, EvaluationRow, FollowUpDto, MeasureDto } from './measures.schema'

/** The figures of one indicator on one layer in one period, as the indicators feature serves them. */
export interface LayerFigures {
  period: string
  availablePeriods: string[]
  values: Array<Figure & { areaId: number }>
}

export interface EvaluationIndicator {
  id: string
  name: string
  unit: Unit
  polarity: Polarity
  /** The smallest count that may be published. */
  minPublishCount: number
}

/** What the evaluation reads from other features, already bound to one viewer's disclosure. */
export interface EvaluationSources {
  /** Rejects with an AppError 404 when the indicator has no values on the layer. */
  values(indicator: string, layer: string, period: string): Promise<LayerFigures>
  indicators(): Promise<EvaluationIndicator[]>
}

/** Reads figures once per (indicator, layer, period) for one evaluation; a missing indicator/layer is null. */
function figureReader(sources: EvaluationSources) {
  const cache = new Map<string, Promise<LayerFigures | null>>()
  return (indicator: string, layer: string, period: string): Promise<LayerFigures | null> => {
    const key = `${indicator}|${layer}|${period}`
    let hit = cache.get(key)
    if (!hit) {
      hit = sources.values(indicator, layer, period).catch((err: unknown) => {
        if (err instanceof AppError && err.status === 404) return null
        throw err
      })
      cache.set(key, hit)
    }
    return hit
  }
}

type Read = ReturnType<typeof figureReader>

const figureOf = (f: LayerFigures | null, areaId: number): Figure | null => f?.values.find((v) => v.areaId === areaId) ?? null
const shown = (f: Figure | null) => f !== null && (f.suppressed || f.value !== null)

/** Periods of the baseline's kind after it, newest first, among those the layer has. */
function laterPeriods(available: string[], baselinePeriod: string): string[] {
  const b = parsePeriod(baselinePeriod)
  if (!b) return []
  return available
    .filter((p) => {
      const q = parsePeriod(p)
      return q !== null && q.kind === b.kind && q.start > b.start
    })
    .sort(comparePeriods)
    .reverse()
}

/** A row with the follow-up's withheld target (disclosed by discloseMeasures) carries neither target nor what is read against it. */
async function evaluateRow(read: Read, indicator: EvaluationIndicator, area: { id: number; name: string; layer: string }, f: FollowUpDto): Promise<EvaluationRow> {
  const row = await evaluateRowWithTarget(read, indicator, area, f)
  return f.target === null ? withholdRow(row, f.targetWithheld ?? 'målet visas inte') : row
}

async function evaluateRowWithTarget(read: Read, indicator: EvaluationIndicator, area: { id: number; name: string; layer: string }, f: FollowUpDto): Promise<EvaluationRow> {
  const row: EvaluationRow = {
    indicatorId: indicator.id,
    indicatorName: indicator.name,
    unit: indicator.unit,
    areaId: area.id,
    areaName: area.name,
    layer: area.layer,
    baseline: { period: f.baselinePeriod, value: null, suppressed: false },
    latest: null,
    target: f.target,
    targetPeriod: f.targetPeriod,
    direction: f.target === null ? null : 'hold',
    test: null,
    estimate: null,
    p: null,
    status: null,
    reason: null,
  }
  const base = await read(indicator.id, area.layer, f.baselinePeriod)
  if (!base) return { ...row, reason: `${indicator.name} har inga värden för områdets indelning` }
  const b = base.availablePeriods.includes(f.baselinePeriod) ? figureOf(base, area.id) : null
  if (b) row.baseline = { period: f.baselinePeriod, value: b.suppressed ? null : b.value, suppressed: b.suppressed }
  if (f.target !== null) row.direction = row.baseline.value === null ? 'hold' : f.target > row.baseline.value ? 'up' : f.target < row.baseline.value ? 'down' : 'hold'

  let latest: Figure | null = null
  for (const period of laterPeriods(base.availablePeriods, f.baselinePeriod)) {
    const x = figureOf(await read(indicator.id, area.layer, period), area.id)
    if (shown(x)) {
      latest = x
      row.latest = { period, value: x!.suppressed ? null : x!.value, suppressed: x!.suppressed }
      break
    }
  }

  if (b === null || (!b.suppressed && b.value === null)) return { ...row, reason: `inget värde för utgångsperioden ${f.baselinePeriod}` }
  if (b.suppressed) return { ...row, reason: `utgångsvärdet för ${f.baselinePeriod} är dolt (för få för att visas), så det prövas inte` }
  if (!row.latest || !latest) return { ...row, reason: `inget värde efter utgångsperioden ${f.baselinePeriod} ännu` }
  if (latest.suppressed) return { ...row, reason: `det senaste värdet (${row.latest.period}) är dolt (för få för att visas), så det prövas inte` }

  const t = changeTest(indicator.unit, b, latest)
  const tested = t.test === null ? null : t
  const reason = t.test === null ? `ingen prövning: ${t.why}` : tested!.p === null ? 'ingen prövning: båda andelarna är 0 eller 100 %' : null
  if (f.target === null) return { ...row, test: tested?.test ?? null, estimate: tested?.estimate ?? null, p: tested?.p ?? null, reason }
  const s = followUpStatus({
    baseline: b.value!,
    latest: latest.value!,
    target: f.target,
    latestPeriod: row.latest.period,
    targetPeriod: f.targetPeriod,
    polarity: indicator.polarity,
    test: tested === null ? null : { p: tested.p, change: tested.change },
  })
  return {
    ...row,
    direction: s.direction,
    test: tested?.test ?? null,
    estimate: tested?.estimate ?? null,
    p: tested?.p ?? null,
    status: s.status,
    reason,
  }
}

/** Sums the areas' counts in a period; null with the reason when one is hidden or missing. */
function sumOf(f: LayerFigures | null, ids: number[]): { sum: number } | { why: 'hidden' | 'missing' } {
  let sum = 0
  for (const id of ids) {
    const x = figureOf(f, id)
    if (x?.suppressed) return { why: 'hidden' }
    if (x === null || x.value === null) return { why: 'missing' }
    sum += x.value
  }
  return { sum }
}

// Distances over the full-precision boundaries (hundreds of ms on the embedded engine): kept until the boundaries change.
const bufferCache = versionedCache<{ buffer: Array<{ id: number; name: string }>; near: boolean }>({ maxEntries: 500 })

async function evaluateDisplacement(db: Kysely<Database>, read: Read, m: MeasureDto, areas: Array<{ id: number; name: string; layer: string }>, indicators: EvaluationIndicator[]): Promise<DisplacementDto | null> {
  if (m.comparisonAreaId === null || m.displacementBufferM === null) return null
  const [comparison] = await areaInfo(db, [m.comparisonAreaId])
  if (!comparison) return null
  // The treated areas are those of one layer: the comparison area's, when the measure has areas there, else its first area's.
  const layer = areas.some((a) => a.layer === comparison.layer) ? comparison.layer : areas[0]!.layer
  const treated = areas.filter((a) => a.layer === layer)
  const treatedIds = treated.map((a) => a.id)
  const metres = m.displacementBufferM
  const { buffer, near } = await bufferCache(db, await boundaryVersion(db), `${layer}|${treatedIds.join(',')}|${metres}|${comparison.id}`, async () => ({
    buffer: await areasWithin(db, layer, treatedIds, metres, [comparison.id]),
    near: await isWithin(db, comparison.id, treatedIds, metres),
  }))
  const warnings: string[] = []
  if (near) warnings.push('Jämförelseområdet ligger inom bufferten: det kan självt påverkas av förskjutning.')
  const dto: DisplacementDto = {
    comparisonArea: comparison,
    bufferM: m.displacementBufferM,
    layer,
    treatedAreas: treated.map(({ id, name }) => ({ id, name })),
    bufferAreas: buffer,
    sharedControl: true,
    warnings,
    indicators: [],
  }
  const seen = new Set<string>()
  for (const f of m.followUp) {
    const ind = indicators.find((i) => i.id === f.indicatorId)
    if (!ind || ind.unit !== 'count' || seen.has(ind.id)) continue
    seen.add(ind.id)
    const out: DisplacementIndicator = {
      indicatorId: ind.id,
      indicatorName: ind.name,
      before: f.baselinePeriod,
      after: null,
      counts: null,
      successMeasure: null,
      wdq: null,
      totalNetEffect: null,
      wdd: null,
      variance: null,
      z: null,
      p: null,
      interpretation: null,
      reason: null,
    }
    dto.indicators.push(out)
    if (buffer.length === 0) {
      out.reason = `inga områden i indelningen ligger inom ${m.displacementBufferM} meter från åtgärdens områden`
      continue
    }
    const [own, other] = await Promise.all([read(ind.id, layer, f.baselinePeriod), read(ind.id, comparison.layer, f.baselinePeriod)])
    if (!own || !other) {
      out.reason = `${ind.name} har inga värden för ${!own ? 'åtgärdsområdenas' : 'jämförelseområdets'} indelning`
      continue
    }
    // After: the newest period of the baseline's kind that both layers have.
    out.after = laterPeriods(own.availablePeriods, f.baselinePeriod).find((p) => other.availablePeriods.includes(p)) ?? null
    if (out.after === null || !own.availablePeriods.includes(f.baselinePeriod) || !other.availablePeriods.includes(f.baselinePeriod)) {
      out.reason = out.after === null ? `inget värde efter utgångsperioden ${f.baselinePeriod} ännu` : `inget värde för utgångsperioden ${f.baselinePeriod}`
      continue
    }
    const [ownAfter, otherAfter] = await Promise.all([read(ind.id, layer, out.after), read(ind.id, comparison.layer, out.after)])
    const bufferIds = buffer.map((a) => a.id)
    const sums = [sumOf(own, treatedIds), sumOf(ownAfter, treatedIds), sumOf(own, bufferIds), sumOf(ownAfter, bufferIds), sumOf(other, [comparison.id]), sumOf(otherAfter, [comparison.id])]
    const failed = sums.find((x): x is { why: 'hidden' | 'missing' } => 'why' in x)
    if (failed) {
      out.reason = failed.why === 'hidden' ? 'minst ett av antalen är dolt (för få för att visas), så förskjutningen beräknas inte' : 'minst ett av områdena saknar värde för perioderna'
      continue
    }
    const [a0, a1, b0, b1, c0, c1] = sums.map((x) => (x as { sum: number }).sum) as [number, number, number, number, number, number]
    const r = displacementOf({ a0, a1, b0, b1, c0, c1 })
    Object.assign(out, {
      counts: { a0, a1, b0, b1, c0, c1 },
      successMeasure: r.successMeasure,
      wdq: r.wdq,
      totalNetEffect: r.totalNetEffect,
      wdd: r.wdd,
      variance: r.variance,
      z: r.z,
      p: r.p,
      interpretation: interpretDisplacement(r),
    })
  }
  return dto
}

/** The measure's evaluation under the disclosure `sources` is bound to. */
export async function evaluateMeasure(db: Kysely<Database>, sources: EvaluationSources, m: MeasureDto): Promise<EvaluationDto> {
  const read = figureReader(sources)
  const [indicators, areas] = await Promise.all([sources.indicators(), areaInfo(db, m.areaIds)])
  const rows: EvaluationRow[] = []
  for (const f of m.followUp) {
    const ind = indicators.find((i) => i.id === f.indicatorId)
    if (!ind) continue
    for (const area of areas) rows.push(await evaluateRow(read, ind, area, f))
  }
  return { measureId: m.id, indicators: rows, displacement: await evaluateDisplacement(db, read, m, areas, indicators) }
}

/**
 * The measures as `sources`' viewer may see them (server/disclosure/follow-up.ts): a target is withheld
 * when the baseline is hidden in one of the measure's areas, or is itself a count below the threshold.
 * Only for viewers outside the analyst role: analysts' sources hide nothing.
 */
export async function discloseMeasures(db: Kysely<Database>, sources: EvaluationSources, measures: MeasureDto[]): Promise<MeasureDto[]> {
  if (!measures.some((m) => m.followUp.length > 0)) return measures
  const read = figureReader(sources)
  const [indicators, areas] = await Promise.all([sources.indicators(), areaInfo(db, [...new Set(measures.flatMap((m) => m.areaIds))])])
  const out: MeasureDto[] = []
  for (const m of measures) {
    const followUp: FollowUpDto[] = []
    for (const f of m.followUp) {
      const ind = indicators.find((i) => i.id === f.indicatorId)
      const baselines: Array<{ suppressed: boolean }> = []
      for (const area of areas.filter((a) => m.areaIds.includes(a.id))) {
        const base = await read(f.indicatorId, area.layer, f.baselinePeriod)
        const b = base?.availablePeriods.includes(f.baselinePeriod) ? figureOf(base, area.id) : null
        baselines.push({ suppressed: b?.suppressed ?? false })
      }
      // An indicator no longer in the catalogue has no threshold to read: its target is withheld.
      followUp.push(discloseFollowUp(f, ind ? targetWithheld(ind.unit, ind.minPublishCount, f.target, baselines) : 'målet visas inte: indikatorn finns inte längre'))
    }
    out.push({ ...m, followUp })
  }
  return out
}
