import { describe, expect, it } from 'vitest'
import { comparePeriods, defaultPeriodKind, isIsoDate, isoWeekOf, isoWeeksIn, parsePeriod, periodKindsOf, weeksMakingUp } from '../../server/core/period'

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

describe('ISO weeks', () => {
  it.each([
    // 2026 starts on a Thursday: week 1 holds 1 January and the year has 53 weeks.
    ['2026-W01', 2026, '2025-12-29', '2026-01-05'],
    ['2026-W10', 2026, '2026-03-02', '2026-03-09'],
    ['2026-W53', 2026, '2026-12-28', '2027-01-04'],
    // 2021 starts on a Friday: 1–3 January are in 2020-W53.
    ['2021-W01', 2021, '2021-01-04', '2021-01-11'],
    ['2020-W53', 2020, '2020-12-28', '2021-01-04'],
  ])('%s runs Monday to Monday', (text, year, start, end) => {
    expect(parsePeriod(text)).toEqual({ id: text, kind: 'week', year, start, end })
  })

  it('knows which years have 53 weeks', () => {
    expect([2015, 2020, 2026, 2032].map(isoWeeksIn)).toEqual([53, 53, 53, 53])
    expect([2021, 2024, 2025, 2027].map(isoWeeksIn)).toEqual([52, 52, 52, 52])
    expect(parsePeriod('2025-W53')).toBeNull()
    expect(parsePeriod('2026-W00')).toBeNull()
    expect(parsePeriod('2026-W54')).toBeNull()
    expect(parsePeriod('2026-w10')).toBeNull()
  })

  it('places every day of six years in the week that contains it', () => {
    // Checked against the definition: the week's Monday ≤ day < next Monday, for every day 2020–2025.
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2026, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10)
      const w = parsePeriod(isoWeekOf(day))!
      expect(w.start <= day && day < w.end, `${day} in ${w.id}`).toBe(true)
      expect(new Date(`${w.start}T00:00:00Z`).getUTCDay()).toBe(1)
    }
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53')
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01')
  })

  it('sorts weeks among the other kinds by start', () => {
    expect(['2026-03', '2026-W10', '2026-W09', '2026-Q1'].sort(comparePeriods)).toEqual(['2026-Q1', '2026-W09', '2026-03', '2026-W10'])
  })

  it('finds the weeks that exactly make up a period, and none where it does not run Monday to Monday', () => {
    // 1 April 2024 and 1 July 2024 are Mondays: the second quarter is weeks 14–26.
    expect(weeksMakingUp(parsePeriod('2024-Q2')!)).toEqual(Array.from({ length: 13 }, (_, i) => `2024-W${14 + i}`))
    // February 2027 starts on a Monday and has 28 days.
    expect(weeksMakingUp(parsePeriod('2027-02')!)).toEqual(['2027-W05', '2027-W06', '2027-W07', '2027-W08'])
    expect(weeksMakingUp(parsePeriod('2026-03')!)).toBeNull()
    expect(weeksMakingUp(parsePeriod('2024')!)).toBeNull()
  })

  it('starts a trend on weeks only when nothing else is held', () => {
    expect(defaultPeriodKind(['2026-W01', '2026-W02', '2026-01'])).toBe('month')
    expect(defaultPeriodKind(['2026-W01', '2026-W02'])).toBe('week')
    expect(periodKindsOf(['2026-W01', '2026'])).toEqual(['year', 'week'])
  })
})

describe('rolling windows of whole weeks', () => {
  it('takes the last four weeks that had ended, the four before, and the same weeks 52 weeks earlier', async () => {
    const { windowWeeks, lastWholeWeek } = await import('../../server/core/windows')
    // 2026-03-15 is a Sunday: week 11 has ended. On Saturday the 14th it has not.
    expect(lastWholeWeek('2026-03-15')).toBe('2026-W11')
    expect(lastWholeWeek('2026-03-14')).toBe('2026-W10')
    expect(windowWeeks('2026-03-15', '28d')).toEqual({
      current: ['2026-W08', '2026-W09', '2026-W10', '2026-W11'],
      previous: ['2026-W04', '2026-W05', '2026-W06', '2026-W07'],
      lastYear: ['2025-W08', '2025-W09', '2025-W10', '2025-W11'],
    })
    // Across a new year: 2026-W02's four weeks reach back into 2025 (which has 52 weeks).
    expect(windowWeeks('2026-01-11', '28d').current).toEqual(['2025-W51', '2025-W52', '2026-W01', '2026-W02'])
    expect(windowWeeks('2026-01-11', '28d').previous).toEqual(['2025-W47', '2025-W48', '2025-W49', '2025-W50'])
  })

  it('compares the year to date with the same weeks of the year before', async () => {
    const { windowWeeks } = await import('../../server/core/windows')
    const w = windowWeeks('2026-03-15', 'ytd')
    expect(w.current).toHaveLength(11)
    expect(w.current[0]).toBe('2026-W01')
    expect(w.lastYear.at(-1)).toBe('2025-W11')
    expect(w.previous).toBeNull()
    // 2026 has 53 weeks, 2025 52: the last week has no twin.
    expect(windowWeeks('2027-01-03', 'ytd').lastYear).toHaveLength(52)
  })
})
