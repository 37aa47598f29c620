import { describe, expect, it } from 'vitest'
import { polar, WHEEL, wheelSegments, wrapLabel } from '../../client/src/features/priorities/wheel'

const TAU = 2 * Math.PI

describe('Trygg i-hjulet geometry', () => {
  it('cuts the ring into equal segments clockwise from the top, with a gap between neighbours', () => {
    const s = wheelSegments(5)
    expect(s).toHaveLength(5)
    expect(s[0]!.start).toBeCloseTo(WHEEL.gap / 2)
    for (const [i, g] of s.entries()) {
      expect(g.index).toBe(i)
      expect(g.end - g.start).toBeCloseTo(TAU / 5 - WHEEL.gap)
      if (i > 0) expect(g.start - s[i - 1]!.end).toBeCloseTo(WHEEL.gap)
    }
    expect(s[4]!.end).toBeCloseTo(TAU - WHEEL.gap / 2)
  })

  it('draws each segment as two arcs joined at the ring’s edges, and puts the number in its middle', () => {
    const [first] = wheelSegments(4)
    const a = polar(first!.start, WHEEL.outer)
    expect(first!.path.startsWith(`M${a.x} ${a.y}A${WHEEL.outer} ${WHEEL.outer} 0 0 1 `)).toBe(true)
    expect(first!.path).toContain(`A${WHEEL.inner} ${WHEEL.inner} 0 0 0 `)
    expect(first!.path.endsWith('Z')).toBe(true)
    // The first of four segments lies in the upper right quarter, its number half-way through the ring.
    const r = Math.hypot(first!.number.x, first!.number.y)
    expect(r).toBeCloseTo((WHEEL.outer + WHEEL.inner) / 2, 1)
    expect(first!.number.x).toBeGreaterThan(0)
    expect(first!.number.y).toBeLessThan(0)
  })

  it('puts names outside the ring, running away from it on each side', () => {
    const s = wheelSegments(6)
    for (const g of s) expect(Math.hypot(g.label.x, g.label.y)).toBeCloseTo(WHEEL.outer + WHEEL.labelOffset, 1)
    // Six segments: the right ones run right, the left ones left.
    expect(s.slice(0, 3).map((g) => g.label.anchor)).toEqual(['start', 'start', 'start'])
    expect(s.slice(3).map((g) => g.label.anchor)).toEqual(['end', 'end', 'end'])
    // Two segments: their middles are straight right and straight left; a segment centred at the top is centred.
    expect(wheelSegments(2).map((g) => g.label.anchor)).toEqual(['start', 'end'])
    expect(wheelSegments(1)[0]!.label.anchor).toBe('middle')
  })

  it('draws a single step as a whole ring with a large arc, and no steps as nothing', () => {
    const [only] = wheelSegments(1)
    expect(only!.path).toContain(`A${WHEEL.outer} ${WHEEL.outer} 0 1 1 `)
    expect(only!.end).toBeLessThan(TAU)
    expect(wheelSegments(0)).toEqual([])
    expect(() => wheelSegments(-1)).toThrow(/n must be/)
    expect(() => wheelSegments(3, { ...WHEEL, inner: 200 })).toThrow(/outer radius/)
  })

  it('wraps a step’s name into short lines between words, cutting a long one with …', () => {
    expect(wrapLabel('Kartläggning och lägesbild')).toEqual(['Kartläggning och', 'lägesbild'])
    expect(wrapLabel('Åtgärdsplan')).toEqual(['Åtgärdsplan'])
    expect(wrapLabel('Prioritering och orsaksanalys')).toEqual(['Prioritering och', 'orsaksanalys'])
    expect(wrapLabel('Uppföljning och lärande tillsammans med alla parter')).toEqual(['Uppföljning och', 'lärande tillsam…'])
    expect(wrapLabel('  ')).toEqual([])
  })
})
