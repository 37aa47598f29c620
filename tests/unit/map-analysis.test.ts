import { describe, expect, it } from 'vitest'
import { CATEGORIES, categoryCounts, categoryStates } from '../../client/src/lib/analysis'

describe('hot spot and cluster classes on the map', () => {
  it('gives every class its own colour and keeps Gi* symmetric: hot red, cold blue, not significant in the middle', () => {
    for (const cats of Object.values(CATEGORIES)) expect(new Set(cats.map((c) => c.color)).size).toBe(cats.length)
    const ids = CATEGORIES.gistar.map((c) => c.id)
    expect(ids.slice(0, 7)).toEqual(['hot99', 'hot95', 'hot90', 'ns', 'cold90', 'cold95', 'cold99'])
    expect(CATEGORIES.lisa.map((c) => c.id)).toEqual(['HH', 'LL', 'HL', 'LH', 'ns', 'no_neighbours'])
  })

  it('maps each area to its class index, and a missing value to none', () => {
    const values = [
      { areaId: 1, class: 'hot99' },
      { areaId: 2, class: 'ns' },
      { areaId: 3, class: 'no_neighbours' },
      { areaId: 4, class: 'missing' },
    ]
    const { states, colors } = categoryStates('gistar', values)
    expect([...states]).toEqual([
      [1, 0],
      [2, 3],
      [3, 7],
      [4, null],
    ])
    expect(colors[states.get(1)!]).toBe('#b2182b')
  })

  it('counts only the classes that occur, in legend order', () => {
    const counts = categoryCounts('lisa', [{ class: 'LL' }, { class: 'HH' }, { class: 'LL' }, { class: 'missing' }])
    expect(counts.map((c) => [c.id, c.count])).toEqual([
      ['HH', 1],
      ['LL', 2],
    ])
  })
})
