import { describe, expect, it } from 'vitest'
import { disclosureNote, downloadName, valuesCsv, valuesFeatureCollection, type ValuesForDownload } from '../../server/core/values-geojson'

const values: ValuesForDownload = {
  indicator: 'ran',
  layer: 'stadsomrade',
  period: '2025',
  unit: 'count',
  source: 'Polisen',
  demo: false,
  suppression: { threshold: 5, internal: false },
  values: [
    { areaId: 1, code: 'A', name: 'Ett', value: 12, suppressed: false, numerator: 12, denominator: 1000 },
    { areaId: 2, code: 'B', name: 'Två', value: 3, suppressed: true, numerator: 3, denominator: 800 },
  ],
}

describe('values as downloads', () => {
  it('joins values to geometry by area id, hides suppressed figures, and keeps an area without a shape', () => {
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }
    const geo = valuesFeatureCollection(values, { features: [{ geometry: square, properties: { id: 1 } }] }, { name: 'Rån', generatedAt: 'now' }) as any
    expect(geo.features.map((f: any) => [f.id, f.geometry, f.properties.value, f.properties.numerator])).toEqual([[1, square, 12, 12], [2, null, null, null]])
    expect(geo.metadata).toMatchObject({ indicator: 'ran', name: 'Rån', source: 'Polisen', suppression: { threshold: 5, note: disclosureNote(values.suppression) } })
  })

  it('writes the CSV with the disclosure note on every row and a file name safe to save', () => {
    const lines = valuesCsv(values).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[2]).toBe(`Två;B;2025;;;800;;;ja;Polisen;${disclosureNote(values.suppression)};ran;stadsomrade`)
    expect(downloadName({ indicator: 'a/b', layer: 'x y', period: '2025-Q1' }, 'csv')).toBe('lagesbild_a_b_x_y_2025-Q1.csv')
    expect(disclosureNote(undefined)).toMatch(/tomma/)
  })
})
