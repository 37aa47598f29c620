import { describe, expect, it } from 'vitest'
import { comparePeriods, defaultPeriodKind, isIsoDate, parsePeriod, periodKindsOf } from '../../server/core/period'

describe('parsePeriod', () => {
  it.each([
    ['2024', 'year', '2024-01-01', '2025-01-01'],
    ['2024-H1', 'half', '2024-01-01', '2024-07-01'],
    ['2024-H2', 'half', '2024-07-01', '2025-01-01'],
    ['2024-Q3', 'quarter', '2024-07-01', '2024-10-01'],
    ['2024-Q4', 'quarter', '2024-10-01', '2025-01-01'],
    ['2024-05', 'month', '2024-05-01', '2024-06-01'],
    ['2024-12', 'month', '2024-12-01', '2025-01-01'],
  ])('%s is a %s from %s to %s (half-open)', (text, kind, start, end) => {
    expect(parsePeriod(text)).toEqual({ id: text, kind, year: 2024, start, end })
  })

  it.each(['', '24', '2024-H3', '2024-Q0', '2024-13', '2024-00', '2024-1', '2024-q1', '1800', ' 2024', '2024-05-01'])(
    'rejects %j',
    (text) => expect(parsePeriod(text)).toBeNull(),
  )

  it('orders by start, longer periods first', () => {
    expect(['2024-Q1', '2023', '2024-02', '2024', '2024-H1'].sort(comparePeriods)).toEqual([
      '2023',
      '2024',
      '2024-H1',
      '2024-Q1',
      '2024-02',
    ])
  })
})

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2025-13-01')).toBe(false)
    expect(isIsoDate('2025-1-01')).toBe(false)
    expect(isIsoDate('yesterday')).toBe(false)
  })
})

describe('defaultPeriodKind', () => {
  const months = (y: number, n: number) => Array.from({ length: n }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`)
  it('shows years when they span longer than the months of the latest year', () => {
    expect(defaultPeriodKind(['2019', '2020', '2021', '2022', '2023', '2024', '2025', ...months(2026, 11), '2026-Q1', '2026-H1'])).toBe('year')
  })
  it('takes the finest kind among those spanning as long', () => {
    expect(defaultPeriodKind([...months(2025, 12), '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2025-H1', '2025-H2', '2025'])).toBe('month')
    expect(defaultPeriodKind(['2025', '2025-H1', '2025-H2'])).toBe('half')
  })
  it('takes months when they run past the last whole quarter', () => {
    expect(defaultPeriodKind([...months(2026, 11), '2026-Q1', '2026-Q2', '2026-Q3', '2026-H1'])).toBe('month')
  })
  it('has none without periods', () => {
    expect(defaultPeriodKind([])).toBeNull()
    expect(periodKindsOf(['2024-05', '2024', 'x'])).toEqual(['year', 'month'])
  })
})
