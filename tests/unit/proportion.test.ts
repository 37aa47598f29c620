import { describe, expect, it } from 'vitest'
import { wilsonInterval } from '../../server/spatial/proportion'

// Reference values: Newcombe (1998), Stat Med 17:857, table II, method 3 (score interval without continuity
// correction), published to 4 decimals; 0/10 and 10/10 are its boundary cases.
describe('wilsonInterval', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('x=%i n=%i → [%f, %f]', (x, n, lo, hi) => {
    const [l, h] = wilsonInterval(x, n)
    expect(l).toBeCloseTo(lo, 4)
    expect(h).toBeCloseTo(hi, 4)
  })

  it('rejects impossible counts with a precise message', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(/x=11, n=10/)
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError)
  })
})
