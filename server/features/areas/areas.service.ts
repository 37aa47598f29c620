import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { AppError } from '../../errors'
import { areasAndDataVersion, dataVersion } from '../../../db/data-version'
import { versionedCache } from '../../core/versioned-cache'
import { findLayer } from '../../../db/areas'
import { areaIdsAt, listAreaFeatures, listAreas, listLayers, queenPairs } from './areas.repository'
import type { AreaListItem, AreaProperties, LayerDto, NeighboursDto } from './areas.schema'

const gzipAsync = promisify(gzip)

export const today = () => new Date().toISOString().slice(0, 10)

/** A layer's GeoJSON as sent: the text, an ETag naming its version, and the gzipped bytes once asked for. */
export interface AreaCollectionBody {
  text: string
  etag: string
  gzipped(): Promise<Buffer>
}

// A layer's GeoJSON is megabytes of text built from the areas alone: kept per version of the areas and
// of imported data (the grid and a layer's facts come with imports), read from the database per request,
// with its gzipped form, so that a busy server neither rebuilds, hashes nor compresses it per request.
const collectionCache = versionedCache<AreaCollectionBody>({ maxEntries: 64 })

export async function areaCollectionBody(db: Kysely<Database>, layerId: string, at: string): Promise<AreaCollectionBody> {
  const version = await areasAndDataVersion(db)
  return collectionCache(db, version, `${layerId}|${at}`, async () => {
    const text = await buildAreaCollection(db, layerId, at)
    let gz: Promise<Buffer> | null = null
    return { text, etag: `W/"areas-${version}-${layerId}-${at}"`, gzipped: () => (gz ??= gzipAsync(text)) }
  })
}

/**
 * A layer's areas valid at a date as GeoJSON text. The geometry arrives as GeoJSON text from PostGIS; it
 * is spliced in rather than parsed and re-serialised (megabytes).
 */
export async function areaCollection(db: Kysely<Database>, layerId: string, at: string): Promise<string> {
  return (await areaCollectionBody(db, layerId, at)).text
}

async function buildAreaCollection(db: Kysely<Database>, layerId: string, at: string): Promise<string> {
  const layer = await findLayer(db, layerId)
  if (!layer) throw AppError.notFound(`Okänd indelning: ${layerId}`, [{ field: 'layer', message: 'indelningen finns inte' }])
  const rows = await listAreaFeatures(db, layerId, at)
  const features = rows.map((r) => {
    const properties: AreaProperties = {
      id: r.id,
      code: r.code,
      name: r.name,
      layer: layerId,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      approximate: layer.approximate,
      attributes: r.attributes,
      labelPoint: (JSON.parse(r.label_point) as { coordinates: [number, number] }).coordinates,
    }
    return `{"type":"Feature","id":${r.id},"geometry":${r.geometry},"properties":${JSON.stringify(properties)}}`
  })
  const meta = {
    layer: layerId,
    name: layer.name,
    at,
    source: layer.source,
    licence: layer.licence,
    approximate: layer.approximate,
    approximateReason: layer.approximate_reason,
  }
  return `{"type":"FeatureCollection","metadata":${JSON.stringify(meta)},"features":[${features.join(',')}]}`
}

export async function layerDtos(db: Kysely<Database>): Promise<LayerDto[]> {
  const rows = await listLayers(db, today())
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    areaCount: Number(r.area_count ?? 0),
    description: r.description,
    source: r.source,
    licence: r.licence,
    approximate: r.approximate,
    approximateReason: r.approximate_reason,
    nestsIn: r.nests_in ?? [],
  }))
}

/** All areas valid on a date, without geometry: for pickers and search. */
export async function areaList(db: Kysely<Database>, at: string): Promise<AreaListItem[]> {
  const rows = await listAreas(db, at)
  return rows.map((r) => ({ id: r.id, layer: r.layer_id, code: r.code, name: r.name, approximate: r.approximate }))
}

// Contiguity changes only with boundaries, which change only with an import: cached per data version.
const neighbourCache = versionedCache<NeighboursDto>()

/** Queen neighbours of a layer's areas valid on a date, symmetric, islands included with none. */
export async function queenNeighbours(db: Kysely<Database>, layerId: string, at: string): Promise<NeighboursDto> {
  const layer = await findLayer(db, layerId)
  if (!layer) throw AppError.notFound(`Okänd indelning: ${layerId}`, [{ field: 'layer', message: 'indelningen finns inte' }])
  return neighbourCache(db, await dataVersion(db), `${layerId}|${at}`, async () => {
    const [ids, pairs] = await Promise.all([areaIdsAt(db, layerId, at), queenPairs(db, layerId, at)])
    const out: Record<string, number[]> = Object.fromEntries(ids.map((id) => [String(id), [] as number[]]))
    for (const { a, b } of pairs) {
      out[String(a)]!.push(b)
      out[String(b)]!.push(a)
    }
    for (const list of Object.values(out)) list.sort((x, y) => x - y)
    return { method: 'queen' as const, layer: layerId, at, neighbours: out }
  })
}
