import { describe, expect, it } from 'vitest'
import { isIsoDate, monthsBefore } from '../../client/src/lib/dates'
import * as server from '../../server/core/period'

describe('isIsoDate (client)', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2026-12-31')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2025-13-01')).toBe(false)
    expect(isIsoDate('2025-04-31')).toBe(false)
    expect(isIsoDate('2025-1-01')).toBe(false)
    expect(isIsoDate('2025-01-01T00:00')).toBe(false)
    expect(isIsoDate('')).toBe(false)
    expect(isIsoDate('yesterday')).toBe(false)
  })
})

describe('monthsBefore (client)', () => {
  it.each([
    ['2025-05-15', 3, '2025-02-15'],
    ['2025-05-31', 3, '2025-02-28'],
    ['2024-05-31', 3, '2024-02-29'],
    ['2025-01-15', 3, '2024-10-15'],
    ['2025-03-31', 1, '2025-02-28'],
    ['2025-12-31', 12, '2024-12-31'],
    ['2025-07-01', 0, '2025-07-01'],
  ])('%s minus %i months is %s', (date, months, expected) => {
    expect(monthsBefore(date, months)).toBe(expected)
  })
})

// The meeting form proposes the previous meeting's date; the server falls back to the same rule without one.
describe('the client date helpers agree with the server', () => {
  const days: string[] = []
  for (let t = Date.UTC(2023, 0, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10))

  it('on three months back from every day of 2023–2025', () => {
    expect(days.filter((d) => monthsBefore(d, 3) !== server.monthsBefore(d, 3))).toEqual([])
  })
  it('on which texts are dates', () => {
    const texts = [...days, '2025-02-29', '2025-00-10', '2025-06-00', '2025-6-1', '20250601', ' 2025-06-01', 'x']
    expect(texts.filter((d) => isIsoDate(d) !== server.isIsoDate(d))).toEqual([])
  })
})
