import bbox from '@turf/bbox'
import type { Feature } from 'geojson'

export type Bounds = [[number, number], [number, number]]

/** A feature's extent as MapLibre's bounds ([[west, south], [east, north]]); null for an empty geometry. */
export function featureBounds(feature: Feature | null | undefined): Bounds | null {
  if (!feature?.geometry) return null
  const [w, s, e, n] = bbox(feature)
  if (![w, s, e, n].every(Number.isFinite)) return null
  return [
    [w!, s!],
    [e!, n!],
  ]
}
