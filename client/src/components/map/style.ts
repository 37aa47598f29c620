/**
 * Pure builders for the MapLibre style. The default style is offline: it draws only the project's own
 * layers over a water-coloured background, so the map needs no tile server and no glyphs.
 */
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'

export const SOURCES = { land: 'land', areas: 'areas', overlay: 'overlay', draw: 'draw' } as const
export const LAYERS = {
  land: 'land-fill',
  fill: 'areas-fill',
  hatch: 'areas-hatch',
  line: 'areas-line',
  highlight: 'areas-highlight',
  measure: 'areas-measure',
  overlay: 'overlay-line',
  drawFill: 'draw-fill',
  drawLine: 'draw-line',
  drawPoints: 'draw-points',
} as const

export const WATER_COLOR = '#d4e4ee'
export const LAND_COLOR = '#f6f4ef'
export const HATCH_IMAGE = 'hatch'
/** Göteborg's extent (lon/lat), for the first view. */
export const GOTEBORG_BOUNDS: [[number, number], [number, number]] = [
  [11.6, 57.55],
  [12.25, 57.87],
]

/** The base style: a configured basemap, or the offline background. */
export function baseStyle(basemapStyleUrl: string | null): StyleSpecification | string {
  if (basemapStyleUrl) return basemapStyleUrl
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'water', type: 'background', paint: { 'background-color': WATER_COLOR } }],
  }
}

/**
 * Fill colour per area from its feature-state `color` (its class's colour); none → the no-data colour.
 * The expression stays the same whatever the classes or palette: a switch only sets feature-state, which
 * MapLibre draws at once, where a new paint expression would fade over 300 ms (and a zero-length fade on
 * a feature-state expression throws in MapLibre 6).
 */
export function choroplethColor(noDataColor: string): ExpressionSpecification {
  return ['to-color', ['feature-state', 'color'], noDataColor]
}

/** The colour an area's class is drawn in (its feature-state `color`); null: no data. */
export const classColor = (colors: readonly string[], cls: number | null): string | null => (cls !== null && cls >= 0 ? (colors[cls] ?? null) : null)

const stateFlag = (name: string): ExpressionSpecification => ['boolean', ['feature-state', name], false]

/** The project's layers, bottom to top. `opaque` is false over a basemap so streets show through. */
export function projectLayers(opts: { opaque: boolean; noDataColor: string }): LayerSpecification[] {
  return [
    {
      id: LAYERS.land,
      type: 'fill',
      source: SOURCES.land,
      paint: { 'fill-color': LAND_COLOR, 'fill-opacity': opts.opaque ? 1 : 0 },
    },
    {
      id: LAYERS.fill,
      type: 'fill',
      source: SOURCES.areas,
      paint: {
        'fill-color': choroplethColor(opts.noDataColor),
        'fill-opacity': opts.opaque ? 1 : 0.75,
      },
    },
    {
      id: LAYERS.hatch,
      type: 'fill',
      source: SOURCES.areas,
      paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': ['case', stateFlag('suppressed'), 1, 0] },
    },
    {
      id: LAYERS.line,
      type: 'line',
      source: SOURCES.areas,
      paint: {
        'line-color': ['case', stateFlag('hover'), '#111111', '#5f6368'],
        'line-width': ['case', stateFlag('hover'), 2.5, 0.6],
      },
    },
    {
      id: LAYERS.highlight,
      type: 'line',
      source: SOURCES.areas,
      paint: { 'line-color': '#000000', 'line-width': ['case', stateFlag('selected'), 3.5, 0], 'line-opacity': 1 },
    },
    {
      id: LAYERS.measure,
      type: 'line',
      source: SOURCES.areas,
      paint: { 'line-color': '#1a7f37', 'line-width': ['case', stateFlag('measure'), 4, 0] },
    },
    {
      id: LAYERS.overlay,
      type: 'line',
      source: SOURCES.overlay,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#6a1b9a', 'line-width': 2.2, 'line-dasharray': [2, 1.2] },
    },
    // A place being drawn: its outline so far and its corners.
    { id: LAYERS.drawFill, type: 'fill', source: SOURCES.draw, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#1a7f37', 'fill-opacity': 0.25 } },
    { id: LAYERS.drawLine, type: 'line', source: SOURCES.draw, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#1a7f37', 'line-width': 2.5 } },
    { id: LAYERS.drawPoints, type: 'circle', source: SOURCES.draw, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': '#1a7f37', 'circle-stroke-width': 2 } },
  ]
}

/** An 8×8 diagonal hatch (RGBA), for cells whose value is hidden. */
export function hatchImage(size = 8): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size === 0 || (x + y) % size === size - 1
      const i = (y * size + x) * 4
      // Stripes dark grey on a light grey ground: readable on any class colour, and colour-blind safe.
      const v = on ? 90 : 215
      data.set([v, v, v, 255], i)
    }
  }
  return { width: size, height: size, data }
}

/** The drawing so far as GeoJSON: corners, the line between them, and the closed shape from three corners. */
export function drawingFeatures(corners: ReadonlyArray<[number, number]>): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = corners.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [...c] } }))
  if (corners.length >= 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: corners.map((c) => [...c]) } })
  if (corners.length >= 3) {
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...corners.map((c) => [...c]), [...corners[0]!]]] } })
  }
  return { type: 'FeatureCollection', features }
}
