import type { Kysely } from 'kysely'
import { findLayer } from '../../../db/areas'
import { populationStore } from '../../../db/population'
import type { Database } from '../../../db/schema'
import { populationFor } from '../../core/population'
import { AppError } from '../../errors'
import { listAreas } from './areas.repository'
import type { AreaPopulationDto } from './areas.schema'

/**
 * A layer's current areas with their population in a year (public statistics), from the one population
 * derivation: stored, summed from nested areas, or interpolated by area (estimated). Without a year, the
 * latest with population; a year without population gives the nearest (earlier first), named in `year`.
 */
export async function layerPopulation(db: Kysely<Database>, layerId: string, year: number | undefined, today: string): Promise<AreaPopulationDto[]> {
  if (!(await findLayer(db, layerId))) throw AppError.notFound(`Okänd indelning: ${layerId}`, [{ field: 'layer', message: 'indelningen finns inte' }])
  const model = await populationFor(await populationStore(db), [layerId])
  const used = year !== undefined ? model.yearOf(year) : model.years.length ? { year: model.years.at(-1)!, nearest: false } : null
  const areas = (await listAreas(db, today)).filter((a) => a.layer_id === layerId).sort((a, b) => a.code.localeCompare(b.code))
  return areas.map((a) => {
    const f = used ? model.of(a.id, used.year) : null
    return { areaId: a.id, code: a.code, name: a.name, population: f ? Math.round(f.population) : null, estimated: f?.estimated ?? false, year: used?.year ?? null }
  })
}
