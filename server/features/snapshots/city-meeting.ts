/**
 * The city-wide ledningsgrupp's pack (Ledningsgrupp Trygg i Göteborg), read from a published snapshot like
 * the local pack and with the same tests (meeting.ts): the city's key figures, every stadsområde's and
 * lokalpolisområde's change side by side, the frozen problem areas' follow-up and the samverkansformer.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { monthsBefore, parsePeriod } from '../../core/period'
import { frozenMapOf } from './frozen-map'
import { ALPHA, cellOf, compare, decide, indicatorMeta, KIND_LABEL, latestBy, noTest, populationFiller, rateOf, type Cell, type MeetingSources } from './meeting'
import * as repo from './snapshots.repository'
import {
  CITY_LAYER,
  type CityIndicator,
  type CityLayerChanges,
  type CityMeetingDto,
  type CityMeetingQuery,
  type CityProblemArea,
  type CitySamverkansform,
  type Comparison,
  type FrozenMap,
  type MeetingIndicator,
  type RegisteredMeetingRef,
} from './snapshots.schema'

/** The layers whose areas the city-wide group compares: the city's and the police's. */
const SIDE_BY_SIDE = ['stadsomrade', 'lokalpolisomrade'] as const

/** What the city pack reads beyond the snapshot: the samverkansformer register as it stands. */
export interface CityMeetingSources extends MeetingSources {
  samverkansformer(): Promise<Array<{ id: string; name: string; status: CitySamverkansform['status'] }>>
}

type FrozenProblemArea = { id: number; parentId: number | null; areaId: number | null; title: string; goals?: string; targets?: Array<{ indicatorId: string; target: number; targetPeriod: string }> }
type FrozenMeasure = {
  id: number
  title: string
  status: CitySamverkansform['measures'][number]['status']
  problemAreaId: number
  samverkansform: string | null
  evaluation?: { indicators?: Array<{ status: 'gron' | 'gul' | 'rod' | null }> } | null
}

const figureOf = (period: string, c: Cell, unit: MeetingIndicator['unit']) => ({ period, value: c.suppressed ? null : c.value, suppressed: c.suppressed, rate: c.suppressed ? null : rateOf(c, unit) })

export async function cityMeetingPack(
  db: Kysely<Database>,
  sources: CityMeetingSources,
  snapshot: { id: number; title: string; published_at: Date | null; priorities: Record<string, unknown> },
  q: CityMeetingQuery,
  registered: RegisteredMeetingRef | null = null,
): Promise<CityMeetingDto> {
  const previousDate = q.previous ?? monthsBefore(q.date, 3)
  const [contents, rows] = await Promise.all([repo.snapshotContents(db, [snapshot.id]), repo.snapshotValuesOnLayers(db, snapshot.id, [...SIDE_BY_SIDE])])
  const layers = SIDE_BY_SIDE.filter((l) => contents.layers.some((x) => x.layer_id === l))
  const held = (layer: string, indicator: string) => rows.filter((r) => r.layer_id === layer && r.indicator_id === indicator)
  const frozenAt = (list: typeof rows, period: string | null): FrozenMap | null => (period ? frozenMapOf(snapshot.id, list.find((r) => r.period === period)!) : null)
  const notes = new Set<string>()
  const infos = contents.indicators.map((i) => i.info as Record<string, unknown> & { id: string })

  // The city's own figures: frozen with every layer alike; read from the first side-by-side layer holding them.
  const indicators: CityIndicator[] = []
  for (const info of infos) {
    const layer = layers.find((l) => held(l, info.id).length > 0)
    if (!layer) continue
    const list = held(layer, info.id)
    const periods = list.map((r) => r.period)
    const currentPeriod = latestBy(periods, q.periodKind, q.date)
    const previousPeriod = latestBy(periods, q.periodKind, previousDate)
    const now = frozenAt(list, currentPeriod)
    const then = frozenAt(list, previousPeriod)
    const meta = now ?? then ?? frozenMapOf(snapshot.id, list[0]!)
    const withPopulation = populationFiller(sources, layer, notes)
    const cur = await withPopulation(meta.unit, now, cellOf(now?.city ?? undefined), 'city', currentPeriod)
    const prev = await withPopulation(meta.unit, then, cellOf(then?.city ?? undefined), 'city', previousPeriod)
    indicators.push({
      ...indicatorMeta(info),
      unit: meta.unit,
      source: meta.source,
      demo: meta.demo,
      current: cur && currentPeriod ? figureOf(currentPeriod, cur, meta.unit) : null,
      previous: prev && previousPeriod ? figureOf(previousPeriod, prev, meta.unit) : null,
      change: changeOf(cur, currentPeriod, prev, previousPeriod, meta.unit, q.periodKind),
    })
  }
  decide(indicators.map((i) => i.change), 'increase', 'decrease', 'no_change')

  // Each layer's areas side by side: one Benjamini–Hochberg family per layer (every indicator and area).
  const sideBySide: CityLayerChanges[] = []
  for (const layer of layers) {
    const info = contents.layers.find((l) => l.layer_id === layer)!.info as { name?: unknown }
    const first = rows.find((r) => r.layer_id === layer)
    const areas = first ? frozenMapOf(snapshot.id, first).values.map((v) => ({ id: v.areaId, code: v.code, name: v.name })).sort((a, b) => a.name.localeCompare(b.name, 'sv')) : []
    const out: CityLayerChanges['indicators'] = []
    const withPopulation = populationFiller(sources, layer, notes)
    for (const i of infos) {
      const list = held(layer, i.id)
      if (list.length === 0) continue
      const periods = list.map((r) => r.period)
      const currentPeriod = latestBy(periods, q.periodKind, q.date)
      const previousPeriod = latestBy(periods, q.periodKind, previousDate)
      const now = frozenAt(list, currentPeriod)
      const then = frozenAt(list, previousPeriod)
      const meta = now ?? then ?? frozenMapOf(snapshot.id, list[0]!)
      const changes: CityLayerChanges['indicators'][number]['changes'] = []
      for (const a of areas) {
        const cur = await withPopulation(meta.unit, now, cellOf(now?.values.find((v) => v.areaId === a.id)), a.id, currentPeriod)
        const prev = await withPopulation(meta.unit, then, cellOf(then?.values.find((v) => v.areaId === a.id)), a.id, previousPeriod)
        changes.push({ areaId: a.id, ...changeOf(cur, currentPeriod, prev, previousPeriod, meta.unit, q.periodKind) })
      }
      const m = indicatorMeta(i)
      out.push({ indicator: m.indicator, name: m.name, unit: meta.unit, polarity: m.polarity, currentPeriod, previousPeriod, changes })
    }
    decide(out.flatMap((i) => i.changes), 'increase', 'decrease', 'no_change')
    sideBySide.push({ layer, name: String(info.name ?? layer), areas, indicators: out })
  }

  const frozen = snapshot.priorities as { problemAreas?: FrozenProblemArea[]; measures?: FrozenMeasure[] }
  const measures = frozen.measures ?? []
  const problemAreas = (frozen.problemAreas ?? []).map((p) => problemAreaFollowUp(p, measures, sideBySide, infos, (layer, indicator) => (layer ? held(layer, indicator) : held(layers[0] ?? '', indicator)), snapshot.id, q.date))

  const register = await sources.samverkansformer()
  const samverkansformer: CitySamverkansform[] = register.map((s) => ({
    id: s.id,
    name: s.name,
    status: s.status,
    measures: measures.filter((m) => m.samverkansform === s.id).map((m) => ({ id: m.id, title: m.title, status: m.status, problemAreaId: m.problemAreaId })),
  }))

  return {
    kind: 'city',
    snapshotId: snapshot.id,
    snapshotTitle: snapshot.title,
    publishedAt: snapshot.published_at ? snapshot.published_at.toISOString() : null,
    layer: CITY_LAYER,
    date: q.date,
    previousDate,
    periodKind: q.periodKind,
    alpha: ALPHA,
    method:
      'Publicerade siffror, dolda värden prövas inte. Antal: exakt Poisson-test på antal per invånare; andelar: test av två andelar. ' +
      'p-värdena justeras för antalet jämförelser (Benjamini–Hochberg) i en familj för stadens nyckeltal och en familj per indelning ' +
      '(alla indikatorer och områden i stadsområdena, alla i lokalpolisområdena); bara det som håller på 5 % kallas förändring.',
    indicators,
    populationNote: notes.size ? `Antal räknas per invånare. ${[...notes].join('; ')}.` : null,
    layers: sideBySide,
    problemAreas,
    samverkansformer,
    meeting: registered,
  }
}

/** The change since the previous meeting of one cell, as the local pack tests it. */
function changeOf(cur: Cell | null, currentPeriod: string | null, prev: Cell | null, previousPeriod: string | null, unit: MeetingIndicator['unit'], kind: CityMeetingQuery['periodKind']): Comparison {
  if (!currentPeriod || !cur) return noTest('not_testable', `inga siffror per ${KIND_LABEL[kind]} före mötet`)
  if (!previousPeriod || !prev) return noTest('not_testable', 'inga siffror vid föregående möte')
  if (previousPeriod === currentPeriod) return noTest('same_period', `samma period som vid föregående möte (${currentPeriod})`)
  return compare(prev, cur, unit)
}

/**
 * A frozen problem area: its targets against the latest frozen figure of its area (or the city) and its
 * measures' status and follow-up, all counted from what was frozen.
 */
function problemAreaFollowUp(
  p: FrozenProblemArea,
  measures: FrozenMeasure[],
  layers: CityLayerChanges[],
  infos: Array<Record<string, unknown> & { id: string }>,
  held: (layer: string | null, indicator: string) => Array<{ period: string; payload: unknown; indicator_id: string; layer_id: string }>,
  snapshotId: number,
  date: string,
): CityProblemArea {
  const home = p.areaId === null ? null : layers.find((l) => l.areas.some((a) => a.id === p.areaId))
  const area = home ? { id: p.areaId!, name: home.areas.find((a) => a.id === p.areaId)!.name, layer: home.layer } : null
  const targets = (p.targets ?? []).map((t) => {
    const info = infos.find((i) => i.id === t.indicatorId)
    const base = { indicatorId: t.indicatorId, indicatorName: String(info?.name ?? t.indicatorId), target: t.target, targetPeriod: t.targetPeriod }
    const none = (reason: string) => ({ ...base, unit: null, latest: null, meets: null, reason })
    if (p.areaId !== null && !home) return none('områdets indelning finns inte i lägesbilden')
    const list = held(home?.layer ?? null, t.indicatorId)
    if (list.length === 0) return none('indikatorn finns inte i lägesbilden')
    const kind = parsePeriod(t.targetPeriod)?.kind ?? 'year'
    const period = latestBy(list.map((r) => r.period), kind, date)
    if (!period) return none(`inga siffror per ${KIND_LABEL[kind]} före mötet`)
    const map = frozenMapOf(snapshotId, list.find((r) => r.period === period)!)
    const cell = area ? map.values.find((v) => v.areaId === area.id) : map.city
    if (!cell) return none('inget värde för området')
    const latest = { period, value: cell.suppressed ? null : cell.value, suppressed: cell.suppressed }
    const polarity = indicatorMeta(info ?? { id: t.indicatorId }).polarity
    if (cell.suppressed || cell.value === null) return { ...base, unit: map.unit, latest, meets: null, reason: 'värdet är dolt' }
    if (polarity === 'neutral') return { ...base, unit: map.unit, latest, meets: null, reason: 'indikatorn har ingen riktning' }
    return { ...base, unit: map.unit, latest, meets: polarity === 'higher_is_worse' ? cell.value <= t.target : cell.value >= t.target, reason: null }
  })
  const own = measures.filter((m) => m.problemAreaId === p.id)
  const statuses = own.flatMap((m) => (m.evaluation?.indicators ?? []).map((r) => r.status))
  return {
    id: p.id,
    parentId: p.parentId,
    title: p.title,
    goals: p.goals ?? '',
    area,
    targets,
    measures: { total: own.length, planerad: own.filter((m) => m.status === 'planerad').length, pagaende: own.filter((m) => m.status === 'pagaende').length, avslutad: own.filter((m) => m.status === 'avslutad').length },
    followUp: { gron: statuses.filter((s) => s === 'gron').length, gul: statuses.filter((s) => s === 'gul').length, rod: statuses.filter((s) => s === 'rod').length, none: statuses.filter((s) => s == null).length },
  }
}
