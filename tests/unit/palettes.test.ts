import { describe, expect, it } from 'vitest'
import {
  NO_DATA_COLOR,
  PALETTES,
  SUPPRESSED_COLOR,
  defaultPalette,
  divergingColors,
  getPalette,
} from '../../client/src/lib/palettes'

const HEX = /^#[0-9a-f]{6}$/

/** WCAG relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** Crude warmth: red minus green channel (red, orange, brown, pink > 0; blue, teal, green, purple less). */
const warmth = (hex: string) => parseInt(hex.slice(1, 3), 16) - parseInt(hex.slice(3, 5), 16)

const sequential = PALETTES.filter((p) => p.kind === 'sequential')
const diverging = PALETTES.filter((p) => p.kind === 'diverging')

describe('PALETTES', () => {
  it('has the colour-blind-safe ColorBrewer schemes with unique ids and Swedish labels', () => {
    expect(sequential.map((p) => p.id)).toEqual(['YlOrRd', 'OrRd', 'PuBu', 'YlGnBu', 'Purples'])
    expect(diverging.map((p) => p.id)).toEqual(['RdBu', 'PuOr', 'BrBG', 'PiYG'])
    expect(getPalette('YlOrRd').label).toBe('Gul–orange–röd')
    expect(new Set(PALETTES.map((p) => p.label)).size).toBe(PALETTES.length)
  })

  it.each(PALETTES.map((p) => [p.id, p] as const))('%s gives k lowercase #rrggbb colours for k = 1..9', (_, p) => {
    for (let k = 1; k <= 9; k++) {
      const colors = p.colors(k)
      expect(colors).toHaveLength(k)
      for (const c of colors) expect(c).toMatch(HEX)
      expect(new Set(colors).size).toBe(k)
    }
  })

  it('rejects k outside 1..9', () => {
    const p = PALETTES[0]!
    for (const k of [0, 10, 2.5]) expect(() => p.colors(k)).toThrow(RangeError)
  })

  it('returns a fresh array each time', () => {
    const p = getPalette('RdBu')
    p.colors(5).reverse()
    expect(p.colors(5)[0]).toBe('#ca0020')
  })

  it('uses the ColorBrewer colours', () => {
    expect(getPalette('YlOrRd').colors(3)).toEqual(['#ffeda0', '#feb24c', '#f03b20'])
    expect(getPalette('YlOrRd').colors(2)).toEqual(['#ffeda0', '#f03b20'])
    expect(getPalette('RdBu').colors(2)).toEqual(['#ef8a62', '#67a9cf'])
    expect(getPalette('RdBu').colors(1)).toEqual(['#f7f7f7'])
  })

  it.each(sequential.map((p) => [p.id, p] as const))('%s gets darker from class to class', (_, p) => {
    for (let k = 2; k <= 9; k++) {
      const l = p.colors(k).map(luminance)
      for (let i = 1; i < k; i++) expect(l[i]!).toBeLessThan(l[i - 1]!)
    }
  })

  it.each(diverging.map((p) => [p.id, p] as const))('%s is lightest in the middle for odd k', (_, p) => {
    for (const k of [3, 5, 7, 9]) {
      const l = p.colors(k).map(luminance)
      const mid = (k - 1) / 2
      for (let i = 0; i < k; i++) if (i !== mid) expect(l[i]!).toBeLessThan(l[mid]!)
      // and darker towards both ends
      for (let i = 1; i <= mid; i++) {
        expect(l[i - 1]!).toBeLessThan(l[i]!)
        expect(l[k - i]!).toBeLessThan(l[k - i - 1]!)
      }
    }
  })

  it('no class colour equals the no-data or suppressed grey', () => {
    expect(NO_DATA_COLOR).toMatch(HEX)
    expect(SUPPRESSED_COLOR).toMatch(HEX)
    expect(NO_DATA_COLOR).not.toBe(SUPPRESSED_COLOR)
    for (const p of PALETTES) {
      for (let k = 1; k <= 9; k++) {
        expect(p.colors(k)).not.toContain(NO_DATA_COLOR)
        expect(p.colors(k)).not.toContain(SUPPRESSED_COLOR)
      }
    }
  })
})

describe('getPalette', () => {
  it('finds by id, unknown gives the default sequential palette', () => {
    expect(getPalette('PuOr').id).toBe('PuOr')
    expect(getPalette('nope').id).toBe('YlOrRd')
    expect(getPalette('').kind).toBe('sequential')
  })
})

describe('divergingColors', () => {
  it('RdBu, higher is worse: blue for a decrease, red for an increase', () => {
    expect(divergingColors(getPalette('RdBu'), 5, 'higher_is_worse')).toEqual([
      '#0571b0',
      '#92c5de',
      '#f7f7f7',
      '#f4a582',
      '#ca0020',
    ])
  })

  it('RdBu, higher is better: red for a decrease, blue for an increase', () => {
    expect(divergingColors(getPalette('RdBu'), 5, 'higher_is_better')).toEqual(getPalette('RdBu').colors(5))
    expect(divergingColors(getPalette('RdBu'), 5, 'higher_is_better')[4]).toBe('#0571b0')
  })

  it.each(diverging.map((p) => [p.id, p] as const))('%s: the warm end marks the bad direction', (_, p) => {
    for (const k of [2, 3, 7]) {
      const worse = divergingColors(p, k, 'higher_is_worse')
      const better = divergingColors(p, k, 'higher_is_better')
      expect(warmth(worse[k - 1]!)).toBeGreaterThan(warmth(worse[0]!))
      expect(warmth(better[0]!)).toBeGreaterThan(warmth(better[k - 1]!))
      expect(better).toEqual([...worse].reverse())
    }
  })

  it('PuOr is reversed the other way round from RdBu (d3 puts its orange last)', () => {
    const p = getPalette('PuOr')
    expect(divergingColors(p, 3, 'higher_is_worse')).toEqual(p.colors(3))
    expect(divergingColors(p, 3, 'higher_is_worse')[2]).toBe('#f1a340')
  })

  it('leaves sequential palettes as they are', () => {
    const p = getPalette('OrRd')
    expect(divergingColors(p, 4, 'higher_is_better')).toEqual(p.colors(4))
  })
})

describe('defaultPalette', () => {
  it('picks by mode and polarity', () => {
    expect(defaultPalette({ polarity: 'higher_is_worse', mode: 'value' }).id).toBe('YlOrRd')
    expect(defaultPalette({ polarity: 'higher_is_better', mode: 'value' }).id).toBe('PuBu')
    expect(defaultPalette({ polarity: 'higher_is_worse', mode: 'change' }).id).toBe('RdBu')
    expect(defaultPalette({ polarity: 'higher_is_better', mode: 'change' }).kind).toBe('diverging')
  })

  it('gives a neutral indicator (an aktivitet) no alarm colours: a plain sequential scheme, a change without red', () => {
    const value = defaultPalette({ polarity: 'neutral', mode: 'value' })
    expect(value.kind).toBe('sequential')
    expect([defaultPalette({ polarity: 'higher_is_worse', mode: 'value' }).id, defaultPalette({ polarity: 'higher_is_better', mode: 'value' }).id]).not.toContain(value.id)
    const change = defaultPalette({ polarity: 'neutral', mode: 'change' })
    expect(change.kind).toBe('diverging')
    expect(change.id).not.toBe('RdBu')
    // Neither end is turned into the bad one: the scheme's own order, the same for every k.
    for (const k of [3, 5, 7]) expect(divergingColors(change, k, 'neutral')).toEqual(change.colors(k))
    expect(divergingColors(getPalette('RdBu'), 5, 'neutral')).toEqual(getPalette('RdBu').colors(5))
  })
})
