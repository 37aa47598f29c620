import { describe, expect, it } from 'vitest'
import { CATEGORIES, categoryCounts, categoryStates, emergingRange } from '../../client/src/lib/analysis'
import { EMERGING_CLASSES } from '../../server/statistics'

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

  it('has a Swedish label and a colour for every emerging hot spot class, hot ones warm and cold ones cool', () => {
    const ids = CATEGORIES.emerging.map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining([...EMERGING_CLASSES, 'no_neighbours']))
    expect(ids).toHaveLength(EMERGING_CLASSES.length + 1)
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
    for (const c of CATEGORIES.emerging) {
      const [r, , b] = rgb(c.color)
      if (c.id.endsWith('_hot')) expect(r, c.id).toBeGreaterThan(b)
      if (c.id.endsWith('_cold')) expect(b, c.id).toBeGreaterThan(r)
    }
    expect(CATEGORIES.emerging.find((c) => c.id === 'new_hot')!.label).toBe('Ny het punkt')
    expect(CATEGORIES.emerging.find((c) => c.id === 'no_pattern')!.label).toBe('Inget mönster')
  })

  it('runs emerging hot spots over twelve held periods of the shown kind by default, or from the chosen one', () => {
    const months = Array.from({ length: 15 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`)
    const held = ['2024', '2025', ...months, '2026-W05']
    expect(emergingRange(held, '2026-03', null).from).toBe('2025-04')
    expect(emergingRange(held, '2026-03', '2025-01').from).toBe('2025-01')
    expect(emergingRange(held, '2026-03', '2024').from).toBe('2025-04') // another kind: the default
    expect(emergingRange(held, '2026-03', '2025-11').from).toBe('2025-04') // fewer than six periods: the default
    expect(emergingRange(held, '2026-03', null).choices).toEqual(months.slice(0, 10)) // up to 2025-10, six before 2026-03 inclusive
    expect(emergingRange(held, '2025-06', null)).toEqual({ from: '2025-01', choices: ['2025-01'] })
    expect(emergingRange(held, '2025-05', null)).toEqual({ from: null, choices: [] })
    expect(emergingRange(held, '2025', null).from).toBeNull() // two years
    expect(emergingRange(['2026-W05'], '2026-W05', null).from).toBeNull()
  })
})
