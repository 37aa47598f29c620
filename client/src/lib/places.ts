/**
 * A drawn place checked before it is saved, with Turf: the shape must not cross itself (the server would
 * repair it into something the analyst did not draw) and must be the size of a place, not of a district.
 */
import area from '@turf/area'
import circle from '@turf/circle'
import { polygon } from '@turf/helpers'
import kinks from '@turf/kinks'

export type LonLat = [number, number]

/** A square or a transport hub, not a stadsområde: 10 m² to 5 km². */
export const PLACE_MIN_M2 = 10
export const PLACE_MAX_M2 = 5_000_000

export interface PlaceCheck {
  /** The closed ring to save (first corner repeated), or null while there is no shape yet. */
  ring: LonLat[] | null
  areaM2: number | null
  /** What must change before saving, in Swedish; empty when the place can be saved. */
  problems: string[]
}

export function closeRing(corners: ReadonlyArray<LonLat>): LonLat[] {
  return [...corners.map((c): LonLat => [c[0], c[1]]), [corners[0]![0], corners[0]![1]]]
}

export function checkPlace(corners: ReadonlyArray<LonLat>): PlaceCheck {
  if (corners.length < 3) return { ring: null, areaM2: null, problems: [`en yta behöver minst tre hörn (${corners.length} hittills)`] }
  const ring = closeRing(corners)
  const shape = polygon([ring])
  const crossings = kinks(shape).features.length
  const areaM2 = area(shape)
  const problems: string[] = []
  if (crossings > 0) problems.push('kanterna korsar varandra: ångra hörn eller rita om så att ytan inte korsar sig själv')
  else if (areaM2 < PLACE_MIN_M2) problems.push(`ytan är för liten (${formatArea(areaM2)}): en plats behöver minst ${PLACE_MIN_M2} m²`)
  else if (areaM2 > PLACE_MAX_M2) problems.push(`ytan är för stor för en plats (${formatArea(areaM2)}, högst 5 km²): använd ett område i en indelning i stället`)
  return { ring, areaM2, problems }
}

/** A place drawn as a point with a radius (a square, a stop): a circle of 64 corners. */
export function circleCorners(centre: LonLat, radiusM: number): LonLat[] {
  const ring = circle(centre, radiusM / 1000, { steps: 64, units: 'kilometers' }).geometry.coordinates[0] as LonLat[]
  return ring.slice(0, -1)
}

export function formatArea(m2: number): string {
  if (m2 >= 1_000_000) return `${(m2 / 1_000_000).toLocaleString('sv-SE', { maximumFractionDigits: 2 })} km²`
  if (m2 >= 10_000) return `${(m2 / 10_000).toLocaleString('sv-SE', { maximumFractionDigits: 1 })} ha`
  return `${Math.round(m2).toLocaleString('sv-SE')} m²`
}
