import { describe, expect, it } from 'vitest'
import { clampOrdinal, insertAt, moveTo, ordinalsOf } from '../../server/core/ordering'

describe('ordered steps', () => {
  const steps = ['k', 'p', 'a', 'g', 'u'] as const

  it('moves an item to a position, the others closing up in their order', () => {
    expect(moveTo(steps, 'u', 1)).toEqual(['u', 'k', 'p', 'a', 'g'])
    expect(moveTo(steps, 'k', 5)).toEqual(['p', 'a', 'g', 'u', 'k'])
    expect(moveTo(steps, 'a', 2)).toEqual(['k', 'a', 'p', 'g', 'u'])
    expect(moveTo(steps, 'p', 4)).toEqual(['k', 'a', 'g', 'p', 'u'])
    expect(moveTo(steps, 'a', 3)).toEqual(steps)
  })

  it('clamps a position beyond either end, and leaves its input as it was', () => {
    const input = [...steps]
    expect(moveTo(input, 'a', 99)).toEqual(['k', 'p', 'g', 'u', 'a'])
    expect(moveTo(input, 'a', -3)).toEqual(['a', 'k', 'p', 'g', 'u'])
    expect(input).toEqual(steps)
    expect(clampOrdinal(0, 5)).toBe(1)
    expect(clampOrdinal(2.7, 5)).toBe(2)
    expect(clampOrdinal(3, 0)).toBe(1)
  })

  it('inserts at a position or last', () => {
    expect(insertAt(steps, 'x')).toEqual([...steps, 'x'])
    expect(insertAt(steps, 'x', 1)).toEqual(['x', ...steps])
    expect(insertAt(steps, 'x', 6)).toEqual([...steps, 'x'])
    expect(insertAt(steps, 'x', 60)).toEqual([...steps, 'x'])
    expect(insertAt([], 'x', 3)).toEqual(['x'])
  })

  it('numbers the list 1..n without gaps', () => {
    expect(ordinalsOf(moveTo(steps, 'g', 1)).map((o) => o.ordinal)).toEqual([1, 2, 3, 4, 5])
    expect(ordinalsOf(['a', 'b'])).toEqual([{ id: 'a', ordinal: 1 }, { id: 'b', ordinal: 2 }])
  })

  it('refuses to move what is not in the list', () => {
    expect(() => moveTo(steps, 'z' as never, 1)).toThrow(/not in the list/)
  })
})
