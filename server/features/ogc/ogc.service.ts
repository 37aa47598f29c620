import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { comparePeriods, parsePeriod, type Period } from '../../core/period'
import * as repo from './ogc.repository'
import { OgcError, type DateWindow, type ItemsQuery } from './ogc.schema'

/**
 * What the open-data endpoints read from other features, composed by the app (server/sources.ts). Every
 * answer is the public's: published lägesbilder only, suppressed figures hidden.
 */
export interface OgcSources {
  layers(): Promise<Array<{ id: string; name: string; description: string; source: string; licence: string }>>
  /** Published lägesbilder only. */
  snapshots(): Promise<Array<{ id: number; title: string; description: string; publishedAt: string | null; layers: string[] }>>
  /** A published lägesbild (a 404 otherwise): its indicators' catalogue entries and its layers. */
  snapshot(id: number): Promise<{
    id: number
    title: string
    description: string
    publishedAt: string | null
    indicatorInfo: Array<Record<string, unknown> & { id: string; layers: Array<{ layer: string; periods: string[] }> }>
    layerInfo: Array<Record<string, unknown> & { id: string }>
  }>
  /** The snapshot values answer the public gets. */
  snapshotValues(id: number, indicator: string, layer: string, period: string): Promise<{
    suppression: unknown
    values: Array<{ areaId: number; code: string; name: string; value: number | null; suppressed: boolean }>
  }>
  /** The snapshot's frozen areas of a layer (GeoJSON; only the properties are read here). */
  snapshotAreas(id: number, layer: string): Promise<unknown>
  /** Analysts' collections: the live catalogue and every figure as an analyst sees it (hidden ones included). */
  indicators(): Promise<Array<{ id: string; name: string; layers: Array<{ layer: string; periods: string[] }> }>>
  /** Without a period: the values API's default (the latest period that is not a week). */
  internalValues(indicator: string, layer: string, period: string | undefined): Promise<{ period: string; availablePeriods: string[]; values: Array<{ areaId: number; value: number | null }> }>
}

/** Who is asking: the internal collections are for analysts (a session or an API token). */
export interface OgcViewer {
  signedIn: boolean
  internal: boolean
}

export interface Collection {
  id: string
  title: string
  description: string
  kind: 'boundaries' | 'snapshot' | 'internal'
  layer: string
  snapshotId?: number
  /** CRS84 lon/lat. */
  bbox: [number, number, number, number] | null
  interval: [string | null, string | null]
  queryables: string[]
}

interface Row {
  id: number
  code: string
  name: string
  properties: Record<string, unknown>
}

interface Column {
  name: string
  indicator: string
  period: Period
}

interface SnapshotTable {
  title: string
  layerName: string
  rows: Array<Row & { hidden: string[] }>
  columns: Column[]
  bbox: [number, number, number, number] | null
  interval: [string | null, string | null]
}

const QUERYABLES = ['code', 'name']
const HIDDEN_NOTE = 'dolda_varden'

export const boundaryId = (layer: string) => `granser-${layer}`
export const snapshotCollectionId = (snapshot: number, layer: string) => `lagesbild-${snapshot}-${layer}`
export const internalId = (layer: string) => `intern-${layer}`

function parseCollectionId(id: string): { kind: 'boundaries'; layer: string } | { kind: 'internal'; layer: string } | { kind: 'snapshot'; snapshotId: number; layer: string } {
  const b = /^granser-(.+)$/.exec(id)
  if (b) return { kind: 'boundaries', layer: b[1]! }
  const i = /^intern-(.+)$/.exec(id)
  if (i) return { kind: 'internal', layer: i[1]! }
  const s = /^lagesbild-(\d{1,9})-(.+)$/.exec(id)
  if (s) return { kind: 'snapshot', snapshotId: Number(s[1]), layer: s[2]! }
  throw OgcError.notFound(`Samlingen ${id} finns inte`)
}

const today = () => new Date().toISOString().slice(0, 10)

/** The feature service over the database and the sources; a published lägesbild never changes, so its tables are kept. */
export function ogcService(db: Kysely<Database>, sources: OgcSources) {
  const tables = new Map<string, Promise<SnapshotTable>>()

  async function buildTable(snapshotId: number, layer: string): Promise<SnapshotTable> {
    const s = await sources.snapshot(snapshotId)
    const layerInfo = s.layerInfo.find((l) => l.id === layer)
    if (!layerInfo) throw OgcError.notFound(`Lägesbild ${snapshotId} har inte indelningen ${layer}`)
    const raw = await sources.snapshotAreas(snapshotId, layer)
    const fc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { features: Array<{ properties: { id: number; code: string; name: string } }> }
    const rows = fc.features
      .map((f) => ({ id: Number(f.properties.id), code: String(f.properties.code), name: String(f.properties.name), properties: {} as Record<string, unknown>, hidden: [] as string[] }))
      .sort((a, b) => a.code.localeCompare(b.code) || a.id - b.id)
    const byId = new Map(rows.map((r) => [r.id, r]))
    const columns: Column[] = []
    for (const ind of s.indicatorInfo) {
      const periods = (ind.layers.find((l) => l.layer === layer)?.periods ?? []).slice().sort(comparePeriods)
      for (const p of periods) {
        const period = parsePeriod(p)
        if (!period) continue
        const name = `${ind.id}__${p}`
        columns.push({ name, indicator: ind.id, period })
        const map = await sources.snapshotValues(snapshotId, ind.id, layer, p)
        for (const v of map.values) {
          const row = byId.get(v.areaId)
          if (!row) continue
          row.properties[name] = v.suppressed ? null : v.value
          if (v.suppressed) row.hidden.push(name)
        }
      }
    }
    const starts = columns.map((c) => c.period.start).sort()
    const ends = columns.map((c) => c.period.end).sort()
    return {
      title: s.title,
      layerName: String(layerInfo.name ?? layer),
      rows,
      columns,
      bbox: await repo.extent(db, rows.map((r) => r.id)),
      interval: [starts[0] ?? null, ends.at(-1) ?? null],
    }
  }

  function table(snapshotId: number, layer: string): Promise<SnapshotTable> {
    const key = `${snapshotId}|${layer}`
    let t = tables.get(key)
    if (!t) {
      t = buildTable(snapshotId, layer)
      tables.set(key, t)
      t.catch(() => tables.delete(key))
    }
    return t
  }

  async function boundaryCollection(layer: { id: string; name: string; description: string; source: string; licence: string }): Promise<Collection> {
    const rows = await repo.boundaryRows(db, layer.id, { from: today(), to: today() })
    return {
      id: boundaryId(layer.id),
      title: `Gränser: ${layer.name}`,
      description: `${layer.description} Gällande gränser (utan datetime: de som gäller i dag). Källa: ${layer.source}. Licens: ${layer.licence}.`.trim(),
      kind: 'boundaries',
      layer: layer.id,
      bbox: await repo.extent(db, rows.map((r) => r.id)),
      interval: [rows.map((r) => r.valid_from).sort()[0] ?? null, null],
      queryables: [...QUERYABLES],
    }
  }

  async function snapshotCollection(snapshotId: number, layer: string): Promise<Collection> {
    const t = await table(snapshotId, layer)
    return {
      id: snapshotCollectionId(snapshotId, layer),
      title: `${t.title}: ${t.layerName}`,
      description:
        `Publicerad lägesbild ${snapshotId}, indelningen ${t.layerName}: de frysta indikatorvärdena som allmänheten ser, en egenskap per indikator och period (<indikator>__<period>). ` +
        `Värden som döljs (röjandeskydd: för små tal för att redovisas) är null och listas i egenskapen ${HIDDEN_NOTE}.`,
      kind: 'snapshot',
      layer,
      snapshotId,
      bbox: t.bbox,
      interval: t.interval,
      queryables: [...QUERYABLES],
    }
  }

  /** The live figures of a layer as analysts see them: each indicator's latest period that is not a week (all overlapping periods with datetime). */
  function internalCollection(layer: { id: string; name: string }): Collection {
    return {
      id: internalId(layer.id),
      title: `Interna siffror: ${layer.name}`,
      description:
        `Aktuella indikatorvärden för analytiker (med API-nyckel), indelningen ${layer.name}: en egenskap per indikator och period (<indikator>__<period>), ` +
        'utan datetime varje indikators senaste period som inte är en vecka, med datetime alla perioder (utom veckor) som överlappar. Inga värden är dolda: sprid dem inte vidare.',
      kind: 'internal',
      layer: layer.id,
      bbox: null,
      interval: [null, null],
      queryables: [...QUERYABLES],
    }
  }

  function mayReadInternal(viewer: OgcViewer) {
    if (!viewer.signedIn) throw OgcError.unauthorized('De interna samlingarna kräver en API-nyckel (Authorization: Bearer) för ett analytikerkonto')
    if (!viewer.internal) throw OgcError.forbidden('De interna samlingarna är bara för analytiker')
  }

  async function collection(id: string, viewer: OgcViewer = { signedIn: false, internal: false }): Promise<Collection> {
    const c = parseCollectionId(id)
    if (c.kind === 'internal') {
      mayReadInternal(viewer)
      const layer = (await sources.layers()).find((l) => l.id === c.layer)
      if (!layer) throw OgcError.notFound(`Samlingen ${id} finns inte: ingen indelning ${c.layer}`)
      return internalCollection(layer)
    }
    if (c.kind === 'boundaries') {
      const layer = (await sources.layers()).find((l) => l.id === c.layer)
      if (!layer) throw OgcError.notFound(`Samlingen ${id} finns inte: ingen indelning ${c.layer}`)
      return boundaryCollection(layer)
    }
    const published = (await sources.snapshots()).find((s) => s.id === c.snapshotId)
    if (!published || !published.layers.includes(c.layer)) throw OgcError.notFound(`Samlingen ${id} finns inte (eller lägesbilden är inte publicerad)`)
    return snapshotCollection(c.snapshotId, c.layer)
  }

  async function collections(viewer: OgcViewer = { signedIn: false, internal: false }): Promise<Collection[]> {
    const out: Collection[] = []
    for (const l of await sources.layers()) out.push(await boundaryCollection(l))
    for (const s of await sources.snapshots()) for (const layer of s.layers) out.push(await snapshotCollection(s.id, layer))
    if (viewer.internal) for (const l of await sources.layers()) out.push(internalCollection(l))
    return out
  }

  /** The internal table of a layer: current areas, one column per indicator and period, analysts' values. */
  async function internalRows(layer: string, window: DateWindow | null): Promise<Row[]> {
    const areas = await repo.boundaryRows(db, layer, { from: today(), to: today() })
    const rows = areas.map((a) => ({ id: a.id, code: a.code, name: a.name, properties: { code: a.code, name: a.name } as Record<string, unknown> }))
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const ind of await sources.indicators()) {
      if (!ind.layers.some((l) => l.layer === layer)) continue
      const latest = await sources.internalValues(ind.id, layer, undefined)
      const periods = window
        ? latest.availablePeriods.filter((p) => parsePeriod(p) && parsePeriod(p)!.kind !== 'week' && overlaps(parsePeriod(p)!, window))
        : parsePeriod(latest.period)?.kind === 'week' ? [] : [latest.period]
      for (const p of periods) {
        const v = p === latest.period ? latest : await sources.internalValues(ind.id, layer, p)
        for (const r of rows) r.properties[`${ind.id}__${p}`] = null
        for (const x of v.values) {
          const row = byId.get(x.areaId)
          if (row) row.properties[`${ind.id}__${p}`] = x.value
        }
      }
    }
    return rows
  }

  /** A period column is shown when the period overlaps the window (period end is exclusive). */
  const overlaps = (p: Period, w: DateWindow) => (w.to === null || p.start <= w.to) && (w.from === null || p.end > w.from)

  /** The matching rows with their properties, before paging; `one` finds a single feature by id. */
  async function matching(c: Collection, q: Pick<ItemsQuery, 'datetime' | 'filters' | 'bbox'>, one?: number): Promise<Row[]> {
    let rows: Row[]
    if (c.kind === 'internal') {
      rows = await internalRows(c.layer, q.datetime)
    } else if (c.kind === 'boundaries') {
      const window = one !== undefined ? 'any' : (q.datetime ?? { from: today(), to: today() })
      rows = (await repo.boundaryRows(db, c.layer, window)).map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        properties: { code: r.code, name: r.name, valid_from: r.valid_from, valid_to: r.valid_to },
      }))
    } else {
      const t = await table(c.snapshotId!, c.layer)
      const columns = q.datetime ? t.columns.filter((col) => overlaps(col.period, q.datetime!)) : t.columns
      if (columns.length === 0) return []
      const names = new Set(columns.map((col) => col.name))
      rows = t.rows.map((r) => {
        const properties: Record<string, unknown> = { code: r.code, name: r.name }
        for (const col of columns) properties[col.name] = r.properties[col.name] ?? null
        const hidden = r.hidden.filter((h) => names.has(h))
        properties[HIDDEN_NOTE] = hidden.length ? `Dolda (för små tal för att redovisas): ${hidden.join(', ')}` : null
        return { id: r.id, code: r.code, name: r.name, properties }
      })
    }
    if (one !== undefined) return rows.filter((r) => r.id === one)
    for (const [k, v] of Object.entries(q.filters)) rows = rows.filter((r) => String(r.properties[k]) === v)
    if (q.bbox) {
      const inside = await repo.idsInBox(db, rows.map((r) => r.id), q.bbox.box, q.bbox.crs)
      rows = rows.filter((r) => inside.has(r.id))
    }
    return rows
  }

  const feature = (r: Row, geometry: string | undefined) => `{"type":"Feature","id":${r.id},"geometry":${geometry ?? 'null'},"properties":${JSON.stringify(r.properties)}}`

  return {
    collections,
    collection,
    /** One page of features, the GeoJSON's features as text (geometry spliced in, not re-serialised). */
    async items(id: string, q: ItemsQuery, viewer?: OgcViewer) {
      const c = await collection(id, viewer)
      const rows = await matching(c, q)
      const page = rows.slice(q.offset, q.offset + q.limit)
      const geoms = await repo.geometries(db, page.map((r) => r.id), q.crs)
      return { collection: c, numberMatched: rows.length, page, features: page.map((r) => feature(r, geoms.get(r.id))) }
    },
    async item(id: string, featureId: string, crs: ItemsQuery['crs'], viewer?: OgcViewer) {
      const c = await collection(id, viewer)
      const n = /^\d{1,9}$/.test(featureId) ? Number(featureId) : NaN
      const [row] = Number.isNaN(n) ? [] : await matching(c, { datetime: null, filters: {}, bbox: null }, n)
      if (!row) throw OgcError.notFound(`Objektet ${featureId} finns inte i samlingen ${id}`)
      const geoms = await repo.geometries(db, [row.id], crs)
      return { collection: c, row, feature: feature(row, geoms.get(row.id)) }
    },
  }
}

export type OgcService = ReturnType<typeof ogcService>
