import type { Kysely } from 'kysely'
import { insertArea } from '../../../db/areas'
import { recordAudit } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { INSIDE_SHARE, shareInsideStadsomrade } from '../../../db/scope'
import { AppError } from '../../errors'
import type { SessionUser } from '../../http/access'
import { inSweden3006, projectorTo3006 } from '../../spatial/reproject'
import { ensureLayer } from './areas.repository'
import type { PlaceDto, PlaceInput } from './areas.schema'

export const PLACE_LAYER = 'plats'

/** Small places an analyst draws (a square, a transport hub): areas of the `plats` layer, usable by measures. */
export async function createPlace(db: Kysely<Database>, user: SessionUser, { name, geometry }: PlaceInput): Promise<PlaceDto> {
  const project = projectorTo3006('EPSG:4326')
  const rings = geometry.coordinates.map((ring) => ring.map(([lon, lat]) => project(lon, lat)))
  const outside = rings.flat().findIndex(([e, n]) => !inSweden3006(e!, n!))
  if (outside >= 0) {
    throw new AppError(422, 'validation_failed', 'Platsen ligger utanför Sverige', [{ field: 'geometry.coordinates', message: `hörn ${outside + 1} ligger utanför Sverige` }])
  }
  const result = await db.transaction().execute(async (trx) => {
    await ensureLayer(trx, {
      id: PLACE_LAYER,
      name: 'Platser',
      kind: 'drawn',
      description: 'Platser som analytiker ritat in, t.ex. torg och bytespunkter (särskilt utsatta platser).',
      source: 'Inritade i Lägesbild',
      licence: 'Lägesbild',
      approximate: false,
      approximate_reason: null,
      sort_order: 35,
    })
    const code = `plats-${Date.now().toString(36)}`
    const area = await insertArea(trx, { layerId: PLACE_LAYER, code, name, validFrom: new Date().toISOString().slice(0, 10), geometry: JSON.stringify({ type: 'Polygon', coordinates: rings }), importId: null })
    // A local group draws places only in its own stadsområde (the check needs the repaired geometry).
    if (user.role === 'local') {
      const share = (await shareInsideStadsomrade(trx, [area.id], user.stadsomradeCode ?? '')).get(area.id) ?? 0
      if (share < INSIDE_SHARE) {
        throw AppError.forbidden('En lokal ledningsgrupp kan bara rita platser i sitt eget stadsområde', [{ field: 'geometry', message: `${Math.round((1 - share) * 100)} % av ytan ligger utanför ditt stadsområde` }])
      }
    }
    await recordAudit(trx, user, { action: 'create', entity: 'place', entityId: area.id, summary: `Plats ”${name}” inritad`, after: { name, code, geometry } })
    return area
  }).catch((err: Error) => {
    if (!(err instanceof AppError) && /areas_geom|empty|MultiPolygon/i.test(err.message)) {
      throw new AppError(422, 'validation_failed', 'Ytan går inte att använda (den har ingen area)', [{ field: 'geometry', message: 'the drawn shape has no area' }])
    }
    throw err
  })
  return { id: result.id, layer: PLACE_LAYER, name, repaired: result.repairedReason }
}
