import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import { dataVersion } from '../../../db/data-version'
import type { Database, FrozenBasis } from '../../../db/schema'
import { comparePeriods, defaultPeriodKind, parsePeriod, periodKindsOf, type PeriodKind } from '../../core/period'
import { AppError } from '../../errors'
import { discloseFrozenMeasures } from '../../disclosure/follow-up'
import type { Unit } from '../../disclosure/primary'
import { cityMeetingPack, type CityMeetingSources } from './city-meeting'
import { meetingPack } from './meeting'
import { frozenMapOf } from './frozen-map'
import * as repo from './snapshots.repository'
import { CITY_LAYER, type DeckDto, type FrozenMap, type MeetingPackDto, type MeetingQuery, type RegisteredMeetingRef, type Slide, type SnapshotDto, type SnapshotInput, type SnapshotSummaryDto } from './snapshots.schema'

/**
 * What a snapshot is made of, read from the live data by the app (features do not import each other).
 * `values` must answer as for the public: suppressed, primary and secondary.
 */
export interface SnapshotSources extends CityMeetingSources {
  indicators(): Promise<Array<Record<string, unknown> & { id: string; layers: Array<{ layer: string; periods: string[] }> }>>
  layers(): Promise<Array<Record<string, unknown> & { id: string }>>
  values(indicatorId: string, layerId: string, period: string): Promise<Record<string, unknown>>
  /** The true figures behind those values (analysts'), stored beside them and never served: later releases are audited with them. */
  basis(indicatorId: string, layerId: string, period: string): Promise<FrozenBasis>
  /** A layer's areas as GeoJSON text. */
  areas(layerId: string): Promise<string>
  priorities(): Promise<Record<string, unknown>>
}

/** The layers a lägesbild is read on, unless the analyst names others. */
export const DEFAULT_LAYERS = ['stadsomrade', 'lokalpolisomrade', 'primaromrade', 'utsatt_omrade']

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)

function notFound(id: number) {
  return AppError.notFound(`Ingen ögonblicksbild med id ${id}`, [{ field: 'id', message: 'finns inte eller är inte publicerad' }])
}

/** A draft is the analysts' own; everyone else sees published snapshots only, and cannot tell a draft exists. */
async function visible(db: Kysely<Database>, id: number, internal: boolean) {
  const s = await repo.findSnapshot(db, id)
  if (!s || (!internal && !s.published_at)) throw notFound(id)
  return s
}

/** The threshold a lägesbild that does not hold an indicator applies to its measures' targets (the catalogue's default). */
const DEFAULT_THRESHOLD = 5

/**
 * The frozen measures' follow-up under the disclosure rule (server/disclosure/follow-up.ts), with the
 * indicators' units and thresholds as frozen. A lägesbild is the public's figures, so this holds for every
 * reader; it matters for those frozen before the rule, which carry their targets as typed.
 */
function disclosedPriorities(priorities: Record<string, unknown>, indicators: Array<{ indicator_id: string; info: unknown }>): Record<string, unknown> {
  const frozen = new Map(indicators.map((i) => [i.indicator_id, i.info as { unit?: Unit; minPublishCount?: number }]))
  return discloseFrozenMeasures(
    priorities,
    (id) => {
      const i = frozen.get(id)
      return i?.unit && typeof i.minPublishCount === 'number' ? { unit: i.unit, threshold: i.minPublishCount } : null
    },
    DEFAULT_THRESHOLD,
  )
}

/**
 * Freezes the current, publicly disclosed figures of the chosen indicators on the chosen layers (every
 * period but ISO weeks), the layers' boundaries, the priorities and measures, and the map settings. Everything is read
 * first and written in one transaction; if an import lands in between, the snapshot is refused rather
 * than made of two data versions.
 */
export async function createSnapshot(db: Kysely<Database>, sources: SnapshotSources, actor: Actor, input: SnapshotInput): Promise<{ id: number }> {
  const version = await dataVersion(db)
  const [catalogue, layerList] = await Promise.all([sources.indicators(), sources.layers()])
  const unknownIndicators = (input.indicators ?? []).filter((i) => !catalogue.some((c) => c.id === i))
  const unknownLayers = (input.layers ?? []).filter((l) => !layerList.some((x) => x.id === l))
  if (unknownIndicators.length || unknownLayers.length) {
    throw new AppError(422, 'validation_failed', 'Ögonblicksbilden hänvisar till sådant som inte finns', [
      ...unknownIndicators.map((i) => ({ field: 'indicators', message: `indikatorn ${i} finns inte` })),
      ...unknownLayers.map((l) => ({ field: 'layers', message: `indelningen ${l} finns inte` })),
    ])
  }
  const mapLayer = typeof input.settings.layer === 'string' ? input.settings.layer : null
  const wantedLayers = new Set(input.layers ?? [...DEFAULT_LAYERS, ...(mapLayer ? [mapLayer] : [])])
  const indicators = catalogue.filter((c) => (input.indicators ? input.indicators.includes(c.id) : c.layers.length > 0))
  const values: Array<{ indicator: string; layer: string; period: string; payload: Record<string, unknown>; basis: FrozenBasis }> = []
  const frozenIndicators: Array<Record<string, unknown> & { id: string }> = []
  for (const ind of indicators) {
    // Weeks are the operational picture of the groups that work with it, not part of a published lägesbild.
    const layers = ind.layers.filter((l) => wantedLayers.has(l.layer)).map((l) => ({ ...l, periods: l.periods.filter((p) => parsePeriod(p)?.kind !== 'week') }))
    for (const l of layers) {
      for (const period of l.periods) values.push({ indicator: ind.id, layer: l.layer, period, payload: await sources.values(ind.id, l.layer, period), basis: await sources.basis(ind.id, l.layer, period) })
    }
    frozenIndicators.push({ ...ind, layers, periods: [...new Set(layers.flatMap((l) => l.periods))].sort(comparePeriods) })
  }
  const layers = layerList.filter((l) => wantedLayers.has(l.id))
  const areas = new Map<string, string>()
  for (const l of layers) areas.set(l.id, await sources.areas(l.id))
  // Measures come with their evaluation under public disclosure (server/sources.ts): a hidden baseline stays hidden.
  const priorities = await sources.priorities()

  return db.transaction().execute(async (trx) => {
    // Read inside the transaction: on PGlite the transaction holds the only connection.
    if ((await dataVersion(trx)) !== version) {
      throw new AppError(409, 'conflict', 'Data ändrades (en import) medan ögonblicksbilden togs. Försök igen.')
    }
    const id = await repo.insertSnapshot(trx, { title: input.title, description: input.description, settings: input.settings, priorities, dataVersion: version, createdBy: actor.email })
    await repo.insertSnapshotIndicators(trx, id, frozenIndicators)
    for (const l of layers) await repo.insertSnapshotLayer(trx, id, l, areas.get(l.id)!)
    await repo.insertSnapshotValues(trx, id, values)
    await recordAudit(trx, actor, {
      action: 'create',
      entity: 'snapshot',
      entityId: id,
      summary: `Ögonblicksbild ”${input.title}” tagen: ${frozenIndicators.length} indikatorer, ${layers.length} indelningar, ${values.length} kartor (dataversion ${version})`,
      after: { title: input.title, description: input.description, settings: input.settings, indicators: frozenIndicators.map((i) => i.id), layers: layers.map((l) => l.id), dataVersion: version },
    })
    return { id }
  })
}

export async function publishSnapshot(db: Kysely<Database>, actor: Actor, id: number) {
  return db.transaction().execute(async (trx) => {
    const s = await repo.findSnapshot(trx, id)
    if (!s) throw notFound(id)
    if (s.published_at) throw new AppError(409, 'conflict', `”${s.title}” är redan publicerad (${iso(s.published_at)})`, [{ field: 'id', message: 'redan publicerad' }])
    const publishedAt = iso(await repo.markPublished(trx, id, actor.email))
    await recordAudit(trx, actor, { action: 'publish', entity: 'snapshot', entityId: id, summary: `Ögonblicksbild ”${s.title}” publicerad`, before: { published: false }, after: { published: true, publishedAt } })
    return { id, published: true, publishedAt }
  })
}

export async function deleteSnapshot(db: Kysely<Database>, actor: Actor, id: number) {
  await db.transaction().execute(async (trx) => {
    const s = await repo.findSnapshot(trx, id)
    if (!s) throw notFound(id)
    if (s.published_at) throw new AppError(409, 'conflict', `”${s.title}” är publicerad och ändras aldrig`, [{ field: 'id', message: 'publicerad' }])
    await repo.deleteSnapshotRow(trx, id)
    await recordAudit(trx, actor, { action: 'delete', entity: 'snapshot', entityId: id, summary: `Utkast ”${s.title}” borttaget`, before: { title: s.title, description: s.description } })
  })
}

type SnapshotRow = Pick<NonNullable<Awaited<ReturnType<typeof repo.findSnapshot>>>, 'id' | 'title' | 'description' | 'created_at' | 'created_by' | 'published_at' | 'data_version'>

/** Who took a snapshot is for analysts only. */
function summaryOf(r: SnapshotRow, internal: boolean, indicators: Array<{ indicator_id: string }>, layers: Array<{ layer_id: string }>): SnapshotSummaryDto {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    createdAt: iso(r.created_at)!,
    ...(internal ? { createdBy: r.created_by } : {}),
    published: r.published_at !== null,
    publishedAt: iso(r.published_at),
    dataVersion: r.data_version,
    indicators: indicators.map((i) => i.indicator_id),
    layers: layers.map((l) => l.layer_id),
  }
}

export async function listSnapshotDtos(db: Kysely<Database>, internal: boolean): Promise<SnapshotSummaryDto[]> {
  const rows = await repo.listSnapshots(db, !internal)
  const { indicators, layers } = await repo.snapshotContents(db, rows.map((r) => r.id))
  return rows.map((r) => summaryOf(r, internal, indicators.filter((i) => i.snapshot_id === r.id), layers.filter((l) => l.snapshot_id === r.id)))
}

export async function getSnapshot(db: Kysely<Database>, id: number, internal: boolean): Promise<SnapshotDto> {
  const s = await visible(db, id, internal)
  const { indicators, layers } = await repo.snapshotContents(db, [id])
  return {
    ...summaryOf(s, internal, indicators, layers),
    settings: s.settings,
    indicatorInfo: indicators.map((i) => i.info as SnapshotDto['indicatorInfo'][number]),
    layerInfo: layers.map((l) => l.info as SnapshotDto['layerInfo'][number]),
    priorities: disclosedPriorities(s.priorities, indicators),
  }
}

export async function getSnapshotValues(db: Kysely<Database>, id: number, internal: boolean, indicatorId: string, layerId: string, period: string | undefined) {
  await visible(db, id, internal)
  const rows = await repo.snapshotValues(db, id, indicatorId, layerId)
  if (rows.length === 0) {
    throw AppError.notFound(`Ögonblicksbilden har inga värden för ${indicatorId} på ${layerId}`, [{ field: 'indicator', message: 'inte med i ögonblicksbilden' }])
  }
  const chosen = period ?? rows.map((r) => r.period).sort(comparePeriods).at(-1)!
  const row = rows.find((r) => r.period === chosen)
  if (!row) throw AppError.notFound(`Ögonblicksbilden har inga värden för ${chosen}`, [{ field: 'period', message: 'inte med i ögonblicksbilden' }])
  return frozenMapOf(id, { indicator_id: indicatorId, layer_id: layerId, ...row })
}

export async function getSnapshotAreas(db: Kysely<Database>, id: number, internal: boolean, layerId: string): Promise<unknown> {
  await visible(db, id, internal)
  const row = await repo.snapshotAreas(db, id, layerId)
  if (!row) throw AppError.notFound(`Ögonblicksbilden har inte indelningen ${layerId}`, [{ field: 'layer', message: 'inte med i ögonblicksbilden' }])
  return row.areas
}


/** A trend for some areas, from the frozen maps: the same shape as the live series. */
export async function getSnapshotSeries(db: Kysely<Database>, id: number, internal: boolean, indicatorId: string, areaIds: number[], periodKind?: PeriodKind) {
  await visible(db, id, internal)
  const all = await repo.snapshotValuesOfIndicator(db, id, indicatorId)
  if (all.length === 0) throw AppError.notFound(`Indikatorn ${indicatorId} är inte med i ögonblicksbilden`, [{ field: 'indicator', message: 'inte med' }])
  const maps = new Map(all.map((r) => [r, frozenMapOf(id, r)]))
  const held = all.filter((r) => maps.get(r)!.values.some((v) => areaIds.includes(v.areaId)))
  const kinds = periodKindsOf(held.map((r) => r.period))
  const kind = periodKind ?? defaultPeriodKind(held.map((r) => r.period))
  const rows = all.filter((r) => parsePeriod(r.period)?.kind === kind).sort((a, b) => comparePeriods(a.period, b.period))
  const series = new Map<number, { areaId: number; layer: string; code: string; name: string; points: Array<Record<string, unknown>> }>()
  const city = new Map<string, NonNullable<FrozenMap['city']>>()
  const meta = maps.get(all[0]!)!
  for (const r of rows) {
    const p = maps.get(r)!
    if (p.city) city.set(r.period, p.city)
    for (const v of p.values) {
      if (!areaIds.includes(v.areaId)) continue
      const s = series.get(v.areaId) ?? series.set(v.areaId, { areaId: v.areaId, layer: r.layer_id, code: v.code, name: v.name, points: [] }).get(v.areaId)!
      const { areaId: _a, code: _c, name: _n, ...point } = v
      s.points.push({ period: r.period, ...point })
    }
  }
  for (const r of all) {
    for (const v of maps.get(r)!.values) {
      if (areaIds.includes(v.areaId) && !series.has(v.areaId)) series.set(v.areaId, { areaId: v.areaId, layer: r.layer_id, code: v.code, name: v.name, points: [] })
    }
  }
  const missing = areaIds.filter((a) => !series.has(a))
  if (missing.length) throw AppError.notFound(`Okänt område i ögonblicksbilden: ${missing.join(', ')}`, missing.map((a) => ({ field: 'areas', message: `område ${a} finns inte i ögonblicksbilden` })))
  return {
    indicator: indicatorId,
    unit: meta.unit,
    demo: meta.demo,
    source: meta.source,
    suppression: meta.suppression,
    periodKind: kind,
    periodKinds: kinds,
    periods: [...new Set(rows.map((r) => r.period))],
    city: [...city.values()],
    series: areaIds.map((a) => series.get(a)!),
  }
}

/** The deck built on a snapshot (empty, version 0, until one is saved). */
export async function getDeck(db: Kysely<Database>, id: number, internal: boolean): Promise<DeckDto> {
  await visible(db, id, internal)
  const row = await repo.findDeck(db, id)
  if (!row) return { snapshotId: id, version: 0, slides: [], updatedAt: null }
  return { snapshotId: id, version: row.version, slides: row.slides as Slide[], updatedAt: iso(row.updated_at), ...(internal ? { updatedBy: row.updated_by } : {}) }
}

/**
 * Saves a deck on a published snapshot. Every map slide must show a view the snapshot holds (indicator,
 * layer and period): a deck can only ever show published, suppressed figures.
 */
export async function saveDeck(db: Kysely<Database>, actor: Actor, id: number, body: { version: number; slides: Slide[] }): Promise<DeckDto> {
  const s = await repo.findSnapshot(db, id)
  if (!s) throw notFound(id)
  if (!s.published_at) {
    throw new AppError(409, 'conflict', 'Publicera lägesbilden först: en presentation visar bara publicerade siffror', [{ field: 'id', message: 'inte publicerad' }])
  }
  const held = new Set((await repo.snapshotViews(db, id)).map((v) => `${v.indicator_id}|${v.layer_id}|${v.period}`))
  const details = body.slides.flatMap((slide, i) =>
    slide.kind === 'map' && !held.has(`${slide.indicator}|${slide.layer}|${slide.period}`)
      ? [{ field: `slides.${i}`, message: `${slide.indicator} på ${slide.layer} för ${slide.period} finns inte i ögonblicksbilden` }]
      : [],
  )
  if (details.length) throw new AppError(422, 'validation_failed', 'Kartbilder kan bara visa det som finns i ögonblicksbilden', details)
  await db.transaction().execute(async (trx) => {
    const current = await repo.findDeck(trx, id)
    if ((current?.version ?? 0) !== body.version) {
      throw new AppError(409, 'conflict', `Presentationen har ändrats sedan du öppnade den (version ${body.version}, nu ${current?.version ?? 0}). Läs in den igen.`, [
        { field: 'version', message: `nu ${current?.version ?? 0}` },
      ])
    }
    await repo.upsertDeck(trx, id, body.slides, body.version + 1, actor.email)
    await recordAudit(trx, actor, {
      action: current ? 'update' : 'create',
      entity: 'deck',
      entityId: id,
      summary: `Presentation för ”${s.title}”: ${body.slides.length} bilder (version ${body.version + 1})`,
      before: current ? { slides: current.slides } : undefined,
      after: { slides: body.slides },
    })
  })
  return getDeck(db, id, true)
}

/**
 * A meeting pack from a snapshot's published figures: a local group's, the city-wide group's, or a
 * registered meeting's. A registered meeting decides the date, "förra mötet" (its group's meeting before
 * it in the register) and the pack: the local ledningsgrupper get their stadsområde's, the city-wide
 * ledningsgrupp, the nätverk and the forum the city's; a working group has none. The register is for
 * signed-in users, so a meeting id is too.
 */
export async function getMeeting(db: Kysely<Database>, sources: CityMeetingSources, id: number, internal: boolean, signedIn: boolean, q: MeetingQuery): Promise<MeetingPackDto> {
  const frozen = await visible(db, id, internal)
  const snapshot = { ...frozen, priorities: disclosedPriorities(frozen.priorities, (await repo.snapshotContents(db, [id])).indicators) }
  if (q.meetingId === undefined) {
    const base = { date: q.date!, previous: q.previous, periodKind: q.periodKind }
    if (q.layer === CITY_LAYER) return cityMeetingPack(db, sources, snapshot, base)
    return meetingPack(db, sources, snapshot, { ...base, layer: q.layer!, area: q.area! })
  }
  if (!signedIn) throw new AppError(401, 'unauthorized', 'Logga in för att läsa ett registrerat mötes underlag', [{ field: 'meetingId', message: 'mötesregistret är för inloggade' }])
  const m = await repo.registeredMeeting(db, q.meetingId)
  if (!m) throw AppError.notFound(`Okänt möte: ${q.meetingId}`, [{ field: 'meetingId', message: 'mötet finns inte' }])
  const before = await repo.meetingBefore(db, m.group_id, m.date, m.id)
  const registered: RegisteredMeetingRef = { id: m.id, groupId: m.group_id, groupName: m.group_name, date: m.date, previous: before ? { id: before.id, date: before.date } : null }
  const base = { date: m.date, previous: before?.date, periodKind: q.periodKind }
  if (m.group_kind === 'ledningsgrupp' || m.group_kind === 'natverk' || m.group_kind === 'forum') return cityMeetingPack(db, sources, snapshot, base, registered)
  if (m.group_kind === 'lokal_ledningsgrupp' && m.stadsomrade_code) {
    const row = await repo.anyValuesOnLayer(db, id, 'stadsomrade')
    const area = row ? frozenMapOf(id, row).values.find((v) => v.code === m.stadsomrade_code)?.areaId : undefined
    if (area === undefined) throw AppError.notFound(`Lägesbilden har inte ${m.group_name}s stadsområde`, [{ field: 'meetingId', message: `stadsområdet ${m.stadsomrade_code} finns inte i lägesbilden` }])
    return meetingPack(db, sources, snapshot, { ...base, layer: 'stadsomrade', area }, registered)
  }
  throw AppError.badRequest(`${m.group_name} har inget mötesunderlag ur lägesbilden`, [{ field: 'meetingId', message: 'bara ledningsgrupperna, nätverket och forumet har mötesunderlag' }])
}
