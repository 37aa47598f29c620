import { describe, expect, it } from 'vitest'
import { disclose, needsSuppression } from '../../server/disclosure/primary'

const cell = (value: number | null, numerator: number | null = value, denominator: number | null = null) => ({
  value,
  numerator,
  denominator,
  ciLow: value === null ? null : value - 1,
  ciHigh: value === null ? null : value + 1,
})

describe('primary suppression', () => {
  it('hides counts below the threshold, including zero, and keeps the population', () => {
    for (const n of [0, 1, 4]) {
      expect(disclose('count', 5, cell(n, n, 12000))).toEqual({ value: null, numerator: null, denominator: 12000, ciLow: null, ciHigh: null, suppressed: true })
    }
    expect(disclose('count', 5, cell(5, 5, 12000))).toMatchObject({ value: 5, suppressed: false })
  })

  it('honours a per-indicator threshold', () => {
    expect(needsSuppression('count', 10, cell(9))).toBe(true)
    expect(needsSuppression('count', 3, cell(3))).toBe(false)
  })

  it('hides a share built on a small numerator, with its interval', () => {
    const d = disclose('percent', 5, cell(3.2, 4, 125))
    expect(d).toEqual({ value: null, numerator: null, denominator: 125, ciLow: null, ciHigh: null, suppressed: true })
  })

  it('hides a share of a group smaller than the threshold, denominator too', () => {
    expect(disclose('percent', 5, cell(75, 3, 4))).toMatchObject({ suppressed: true, denominator: null })
    // 100 % of 4 people is 4 people.
    expect(needsSuppression('rate_per_1000', 5, cell(250, 1, 4))).toBe(true)
  })

  it('leaves index values and shares without a count basis alone', () => {
    expect(needsSuppression('index', 5, cell(1.2, 1, 2))).toBe(false)
    expect(needsSuppression('percent', 5, cell(12.5, null, null))).toBe(false)
  })

  it('does not touch missing values', () => {
    expect(disclose('count', 5, cell(null))).toMatchObject({ value: null, suppressed: false })
  })
})
