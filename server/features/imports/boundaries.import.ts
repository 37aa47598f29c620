import { allowLongWork } from '../../../db/connect'
/**
 * Boundary layers: a GeoJSON FeatureCollection of (Multi)Polygons in EPSG:4326, 3006 or 3007 becomes a
 * new version of an area layer from a validity date; the versions in force then end that day. Invalid
 * geometry is repaired with ST_MakeValid and reported. One transaction.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import type { Actor } from '../../../db/audit'
import { refreshDisplayGeometry } from '../../../db/display-geometry'
import { AppError } from '../../errors'
import { displayGeometries } from '../../spatial/display-geometry'
import { projectorTo3006, type Crs } from '../../spatial/reproject'
import { computeNesting, findLayer, insertArea } from '../../../db/areas'
import type { BoundariesImportResult } from './imports.schema'
import { closeVersions, findActiveImportByHash, insertImportLog, listLayerNesting, markLayerExact, markReplaced, setImportDetails, versionsFrom } from './imports.repository'
import { meteredUpload, rejected } from './upload'

const CODE_FIELDS = ['code', 'kod', 'id', 'omradeskod', 'omrade_kod', 'objectid']
const NAME_FIELDS = ['name', 'namn', 'omradesnamn', 'omrade_namn', 'lokalpolisomrade']

export interface BoundariesImportOptions {
  layerId: string
  validFrom: string
  crs: Crs | null
  codeField?: string | undefined
  nameField?: string | undefined
  replace: boolean
  fileName: string
  actor: Actor
  /** Tests only: the suite keeps signing in as demo accounts after real imports. */
  keepDemoAccounts?: boolean
}

type Feature = { type?: string; geometry?: { type?: string; coordinates?: unknown } | null; properties?: Record<string, unknown> | null }

export async function importBoundaries(db: Kysely<Database>, body: AsyncIterable<Uint8Array>, opts: BoundariesImportOptions): Promise<BoundariesImportResult> {
  const layer = await findLayer(db, opts.layerId)
  if (!layer) throw AppError.notFound(`Okänd indelning: ${opts.layerId}`, [{ field: 'layer', message: 'indelningen finns inte' }])
  if (layer.kind === 'grid') throw AppError.badRequest('Hexagonrutnätet byggs av Lägesbild och kan inte importeras', [{ field: 'layer', message: 'grid layers are computed' }])

  const upload = meteredUpload(body, 64 * 1024 * 1024)
  const chunks: Buffer[] = []
  for await (const c of upload.stream) chunks.push(Buffer.from(c))
  const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '')
  if (!text.trim()) throw rejected('Filen är tom', [{ row: 1, field: 'file', message: 'inget innehåll' }])
  let doc: { type?: string; crs?: { properties?: { name?: string } }; features?: Feature[] }
  try {
    doc = JSON.parse(text)
  } catch {
    throw rejected('Filen är inte giltig GeoJSON', [{ row: 1, field: 'file', message: 'kunde inte läsas som JSON' }])
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features) || doc.features.length === 0) {
    throw rejected('GeoJSON-filen måste vara en FeatureCollection med områden', [{ row: 1, field: 'type', message: 'ingen FeatureCollection med features' }])
  }
  const declared = /EPSG:{1,2}(\d{4})$/i.exec(doc.crs?.properties?.name ?? '')?.[1]
  const crs = (declared ? `EPSG:${declared}` : (opts.crs ?? 'EPSG:4326')) as Crs
  if (!['EPSG:4326', 'EPSG:3006', 'EPSG:3007'].includes(crs)) {
    throw rejected(`Koordinatsystemet ${crs} stöds inte`, [{ row: 1, field: 'crs', message: 'use EPSG:4326, EPSG:3006 or EPSG:3007' }])
  }
  const project = crs === 'EPSG:3006' ? null : projectorTo3006(crs)

  const problems: Array<{ row: number; field: string; message: string }> = []
  const pick = (p: Record<string, unknown>, wanted: string | undefined, fallbacks: string[]) => {
    const keys = Object.keys(p)
    const key = wanted ? keys.find((k) => k === wanted) : keys.find((k) => fallbacks.includes(k.toLowerCase()))
    const v = key === undefined ? undefined : p[key]
    return v === null || v === undefined ? '' : String(v).trim()
  }
  const features: Array<{ code: string; name: string; geometry: string; attributes: Record<string, unknown> }> = []
  const seen = new Map<string, number>()
  doc.features.forEach((f, i) => {
    const row = i + 1
    const props = f?.properties ?? {}
    const code = pick(props, opts.codeField, CODE_FIELDS)
    const name = pick(props, opts.nameField, NAME_FIELDS) || code
    const g = f?.geometry
    if (!code) problems.push({ row, field: opts.codeField ?? 'code', message: 'områdeskod saknas' })
    else if (seen.has(code)) problems.push({ row, field: opts.codeField ?? 'code', message: `koden "${code}" finns redan på rad ${seen.get(code)}` })
    else seen.set(code, row)
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
      problems.push({ row, field: 'geometry', message: `geometrin måste vara Polygon eller MultiPolygon, inte ${g?.type ?? 'tom'}` })
      return
    }
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[][][]
    let ok = true
    const projected = polys.map((poly) =>
      poly.map((ring) =>
        (Array.isArray(ring) ? ring : []).map((pt) => {
          const [x, y] = Array.isArray(pt) ? (pt as number[]) : []
          if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
            ok = false
            return [0, 0]
          }
          return project ? project(x, y) : [x, y]
        }),
      ),
    )
    if (!ok) problems.push({ row, field: 'geometry', message: 'koordinater som inte är tal' })
    else features.push({ code, name, geometry: JSON.stringify({ type: 'MultiPolygon', coordinates: projected }), attributes: { ...props } })
  })
  if (problems.length) throw rejected('Filen har fel och lästes inte in', problems)

  const sha256 = upload.sha256()
  const earlier = await findActiveImportByHash(db, 'boundaries', sha256)
  if (earlier && !opts.replace) {
    throw new AppError(409, 'conflict', `Samma fil lästes redan in (import ${earlier.id}).`, [{ field: 'file', message: `same SHA-256 as import ${earlier.id}` }])
  }
  const later = await versionsFrom(db, opts.layerId, opts.validFrom)
  if (later.length) {
    throw new AppError(409, 'conflict', `Indelningen har redan gränser som gäller från ${later[0]!.valid_from} eller senare`, [
      { field: 'validFrom', message: `${later.length} area versions start on or after ${opts.validFrom}` },
    ])
  }

  try {
    return await db.transaction().execute(async (trx) => {
      await allowLongWork(trx)
      const importId = await insertImportLog(trx, {
        actor: opts.actor,
        keepDemoAccounts: opts.keepDemoAccounts,
        kind: 'boundaries',
        fileName: opts.fileName,
        sha256,
        rowsRead: doc.features!.length,
        rowsAccepted: features.length,
        details: { layer: opts.layerId, validFrom: opts.validFrom, crs },
      })
      if (earlier) await markReplaced(trx, [earlier.id], importId)
      const closed = await closeVersions(trx, opts.layerId, opts.validFrom)
      const repaired: BoundariesImportResult['repaired'] = []
      for (const f of features) {
        const r = await insertArea(trx, { layerId: opts.layerId, code: f.code, name: f.name, validFrom: opts.validFrom, geometry: f.geometry, attributes: f.attributes, importId, displayLater: true })
        if (r.repairedReason) repaired.push({ code: f.code, reason: r.repairedReason })
      }
      // The new boundaries' display geometry, made together so that neighbours share their edges.
      await refreshDisplayGeometry(trx, opts.layerId, opts.validFrom, displayGeometries)
      // Official boundaries replace an approximation: the layer is exact from now on (older versions keep their note).
      if (layer.approximate) await markLayerExact(trx, opts.layerId)
      const pairs = await listLayerNesting(trx)
      const nesting: BoundariesImportResult['nesting'] = []
      const candidates = new Set([...pairs.map((p) => `${p.child_layer_id}|${p.parent_layer_id}`), ...(opts.layerId === 'lokalpolisomrade' || opts.layerId === 'stadsomrade' ? [`primaromrade|${opts.layerId}`] : [])])
      for (const key of candidates) {
        const [child, parent] = key.split('|') as [string, string]
        if (child !== opts.layerId && parent !== opts.layerId) continue
        const r = await computeNesting(trx, child, parent)
        nesting.push({ child, parent, nested: r.nested })
      }
      await setImportDetails(trx, importId, { layer: opts.layerId, validFrom: opts.validFrom, crs, repaired, nesting })
      return { importId, layer: opts.layerId, validFrom: opts.validFrom, areas: features.length, closedVersions: closed, repaired, nesting }
    })
  } catch (err) {
    const msg = (err as Error).message ?? ''
    if (/areas_geom_valid|areas_geom_web_valid|MultiPolygon|empty/i.test(msg)) {
      throw rejected('En geometri kunde inte lagas till en giltig yta', [{ row: 1, field: 'geometry', message: msg.slice(0, 200) }])
    }
    throw err
  }
}
