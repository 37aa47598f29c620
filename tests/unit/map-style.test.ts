import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec'
import { describe, expect, it } from 'vitest'
import { baseStyle, choroplethColor, classColor, drawingFeatures, hatchImage, LAYERS, projectLayers, SOURCES } from '../../client/src/components/map/style'

describe('map style', () => {
  it('colours areas by the colour of their class in feature-state, none meaning no data', () => {
    expect(choroplethColor('#d9d9d9')).toEqual(['to-color', ['feature-state', 'color'], '#d9d9d9'])
    expect(classColor(['#ffffb2', '#bd0026'], 1)).toBe('#bd0026')
    expect(classColor(['#ffffb2', '#bd0026'], null)).toBeNull()
    expect(classColor(['#ffffb2', '#bd0026'], -1)).toBeNull()
    expect(classColor([], 0)).toBeNull()
  })

  it('builds an offline style that MapLibre’s own validator accepts, with every project layer', () => {
    const style = baseStyle(null)
    if (typeof style === 'string') throw new Error('expected an inline style')
    const full = {
      ...style,
      sources: Object.fromEntries(Object.values(SOURCES).map((id) => [id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }])),
      layers: [...style.layers, ...projectLayers({ opaque: true, noDataColor: '#d9d9d9' })],
    }
    expect(validateStyleMin(full as never)).toEqual([])
    expect(full.layers.map((l) => l.id)).toEqual(['water', ...Object.values(LAYERS)])
    expect(JSON.stringify(full)).not.toMatch(/https?:/) // offline: no tiles, glyphs or sprites from anywhere
    expect(baseStyle('https://example.org/style.json')).toBe('https://example.org/style.json')
  })

  it('makes an opaque 8×8 hatch', () => {
    const img = hatchImage()
    expect(img.data.length).toBe(8 * 8 * 4)
    for (let i = 3; i < img.data.length; i += 4) expect(img.data[i]).toBe(255)
    expect(new Set(Array.from(img.data.filter((_, i) => i % 4 === 0)))).toEqual(new Set([90, 215]))
  })

  it('shows a drawing as corners, then a line, then a closed shape', () => {
    expect(drawingFeatures([]).features).toEqual([])
    expect(drawingFeatures([[1, 2]]).features.map((f) => f.geometry.type)).toEqual(['Point'])
    const three = drawingFeatures([[0, 0], [1, 0], [1, 1]])
    expect(three.features.map((f) => f.geometry.type)).toEqual(['Point', 'Point', 'Point', 'LineString', 'Polygon'])
    expect((three.features[4]!.geometry as GeoJSON.Polygon).coordinates[0]).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]])
  })
})
