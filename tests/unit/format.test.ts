import { describe, expect, it } from 'vitest'
import {
  formatChange,
  formatNumber,
  formatValue,
  legendRangeLabel,
  periodLabel,
  periodLabelShort,
  suppressedLabel,
  hiddenExplanation,
  hiddenOutsideLabel,
  unitLabel,
} from '../../client/src/lib/format'
import { commonKind, comparePeriods, periodContaining, periodKindOf } from '../../client/src/lib/periods'

// sv-SE: U+00A0 groups thousands, U+2212 is the minus sign; spelled out so the expectations are unambiguous.
const NB = '\u00a0'
const MINUS = '\u2212'

describe('formatNumber', () => {
  it.each([
    [null, '–'],
    [undefined, '–'],
    [NaN, '–'],
    [Infinity, '–'],
    [0, '0'],
    [12, '12'],
    [1234, `1${NB}234`],
    [1234567, `1${NB}234${NB}567`],
    [-1234, `${MINUS}1${NB}234`],
    [123.456, '123'],
    [12.345, '12,3'],
    [4.567, '4,57'],
    [4.5, '4,5'],
    [0.1, '0,1'],
    [-3.14159, `${MINUS}3,14`],
    [-0.001, '0'],
  ])('%s → %j', (v, expected) => {
    expect(formatNumber(v)).toBe(expected)
  })

  it('uses exactly the given decimals', () => {
    expect(formatNumber(12, { decimals: 1 })).toBe('12,0')
    expect(formatNumber(1234.5678, { decimals: 2 })).toBe(`1${NB}234,57`)
    expect(formatNumber(2.5, { decimals: 0 })).toBe('3')
    expect(formatNumber(-0.04, { decimals: 1 })).toBe('0,0')
    expect(formatNumber(null, { decimals: 1 })).toBe('–')
  })
})

describe('formatValue', () => {
  it('count', () => {
    expect(formatValue(1234, 'count')).toBe(`1${NB}234`)
    expect(formatValue(0, 'count')).toBe('0')
    expect(formatValue(null, 'count')).toBe('–')
  })

  it('percent with one decimal and a non-breaking space before %', () => {
    expect(formatValue(12.34, 'percent')).toBe(`12,3${NB}%`)
    expect(formatValue(15, 'percent')).toBe(`15,0${NB}%`)
    expect(formatValue(100, 'percent')).toBe(`100,0${NB}%`)
    expect(formatValue(0, 'percent')).toBe(`0,0${NB}%`)
    expect(formatValue(0.04, 'percent')).toBe(`0,04${NB}%`)
  })

  it('rate per 1 000 inhabitants', () => {
    expect(formatValue(4.5, 'rate_per_1000')).toBe(`4,5 per 1${NB}000 inv.`)
    expect(formatValue(1234.56, 'rate_per_1000')).toBe(`1${NB}234,6 per 1${NB}000 inv.`)
    expect(formatValue(0.123, 'rate_per_1000')).toBe(`0,12 per 1${NB}000 inv.`)
  })

  it('a count per 1 000 is shown as a rate', () => {
    expect(formatValue(4.54, 'count', { perThousand: true })).toBe(`4,5 per 1${NB}000 inv.`)
    expect(formatValue(12.3, 'percent', { perThousand: true })).toBe(`12,3${NB}%`)
  })

  it('a count per 100 000 (Brå’s unit) says so', () => {
    expect(formatValue(454.2, 'count', { perThousand: true, per: 100000 })).toBe(`454,2 per 100${NB}000 inv.`)
    expect(unitLabel('count', { perThousand: true, per: 100000 })).toBe(`per 100${NB}000 invånare`)
  })

  it('index', () => {
    expect(formatValue(0.354, 'index')).toBe('0,35')
    expect(formatValue(-1.5, 'index')).toBe(`${MINUS}1,5`)
    expect(formatValue(undefined, 'index')).toBe('–')
  })
})

describe('formatChange', () => {
  it('is always signed', () => {
    expect(formatChange(12, 'count')).toBe('+12')
    expect(formatChange(-1234, 'count')).toBe(`${MINUS}1${NB}234`)
    expect(formatChange(0, 'count')).toBe('±0')
    expect(formatChange(-0.0001, 'count')).toBe('±0')
    expect(formatChange(2.5, 'count')).toBe('+2,5')
  })

  it('percent changes are percentage points', () => {
    expect(formatChange(-3.44, 'percent')).toBe(`${MINUS}3,4 procentenheter`)
    expect(formatChange(1, 'percent')).toBe('+1,0 procentenheter')
    expect(formatChange(0.01, 'percent')).toBe('+0,01 procentenheter')
    expect(formatChange(0, 'percent')).toBe('±0,0 procentenheter')
  })

  it('rates', () => {
    expect(formatChange(1.2, 'rate_per_1000')).toBe(`+1,2 per 1${NB}000 inv.`)
    expect(formatChange(-0.5, 'count', { perThousand: true })).toBe(`${MINUS}0,50 per 1${NB}000 inv.`)
  })

  it('index and missing', () => {
    expect(formatChange(0.123, 'index')).toBe('+0,12')
    expect(formatChange(null, 'percent')).toBe('–')
  })
})

describe('periodLabel', () => {
  it.each([
    ['2024', '2024'],
    ['2024-H1', 'halvår 1 2024'],
    ['2024-H2', 'halvår 2 2024'],
    ['2024-Q3', 'kv. 3 2024'],
    ['2026-03', 'mars 2026'],
    ['2024-01', 'januari 2024'],
    ['2024-05', 'maj 2024'],
    ['2024-12', 'december 2024'],
    ['2024-13', '2024-13'],
    ['2024-00', '2024-00'],
    ['något', 'något'],
  ])('%s → %s', (p, expected) => {
    expect(periodLabel(p)).toBe(expected)
  })

  it('shortens only months, for a crowded axis', () => {
    expect(['2026-01', '2026-03', '2026-09', '2026-Q3', '2026-H1', '2026', 'x'].map(periodLabelShort)).toEqual([
      'jan 2026',
      'mar 2026',
      'sep 2026',
      'kv. 3 2026',
      'halvår 1 2026',
      '2026',
      'x',
    ])
  })
})

describe('periods in time order', () => {
  const mixed = ['2026-H1', '2026-Q1', '2026-01', '2025', '2026-02', '2025-Q4', '2026']

  it('orders by start, the longer first, never as strings', () => {
    expect([...mixed].sort(comparePeriods)).toEqual(['2025', '2025-Q4', '2026', '2026-H1', '2026-Q1', '2026-01', '2026-02'])
    expect(['2026-10', '2026-02', '2025-12'].sort(comparePeriods)).toEqual(['2025-12', '2026-02', '2026-10'])
  })

  it('names kinds and finds the period of a coarser kind that holds one', () => {
    expect(mixed.map(periodKindOf)).toEqual(['half', 'quarter', 'month', 'year', 'month', 'quarter', 'year'])
    expect(periodKindOf('2026-13')).toBeNull()
    expect(periodContaining('2026-08', 'quarter')).toBe('2026-Q3')
    expect(periodContaining('2026-08', 'half')).toBe('2026-H2')
    expect(periodContaining('2026-Q2', 'half')).toBe('2026-H1')
    expect(periodContaining('2026-Q4', 'year')).toBe('2026')
    expect(periodContaining('2026-Q4', 'quarter')).toBe('2026-Q4')
    expect(periodContaining('2026', 'month')).toBeNull()
  })

  it('picks the kind most ids have, the coarser on a tie', () => {
    expect(commonKind(mixed)).toBe('year')
    expect(commonKind(['2026-01', '2026-02', '2026'])).toBe('month')
    expect(commonKind(['x'])).toBeNull()
  })
})

describe('suppressedLabel and hiddenExplanation', () => {
  it('never claims a hidden value is small: it may be hidden to protect another', () => {
    expect(suppressedLabel(5)).toBe('dolt')
    expect(hiddenExplanation(5)).toMatch(/färre än 5 fall, eller dolt för att ett annat dolt värde/)
    expect(hiddenExplanation(10)).toMatch(/färre än 10 fall/)
  })

  it('tells analysts which rule hides a value from others', () => {
    expect(hiddenOutsideLabel('primary', 5)).toBe('Visas inte för andra: färre än 5 fall')
    expect(hiddenOutsideLabel('secondary', 5)).toMatch(/annat dolt värde/)
    expect(hiddenOutsideLabel('release', 5)).toMatch(/publicerad lägesbild dolde det.*färre än 5 fall/)
  })
})

describe('unitLabel', () => {
  it.each([
    ['count', undefined, 'antal'],
    ['count', { perThousand: true }, `per 1${NB}000 invånare`],
    ['percent', undefined, 'procent'],
    ['rate_per_1000', undefined, `per 1${NB}000 invånare`],
    ['index', undefined, 'index'],
  ] as const)('%s %j → %s', (unit, opts, expected) => {
    expect(unitLabel(unit, opts)).toBe(expected)
  })
})

describe('legendRangeLabel', () => {
  it('percent: both ends with one decimal', () => {
    expect(legendRangeLabel(12.34, 15, 'percent')).toBe(`12,3–15,0${NB}%`)
  })

  it('rate', () => {
    expect(legendRangeLabel(2, 4.5, 'rate_per_1000')).toBe(`2,0–4,5 per 1${NB}000 inv.`)
    expect(legendRangeLabel(0.1, 0.25, 'count', { perThousand: true })).toBe(`0,10–0,25 per 1${NB}000 inv.`)
  })

  it('count: integers without decimals, fractional breaks with shared decimals', () => {
    expect(legendRangeLabel(10, 1200, 'count')).toBe(`10–1${NB}200`)
    expect(legendRangeLabel(1, 4.75, 'count')).toBe('1,00–4,75')
    expect(legendRangeLabel(4.75, 150.5, 'count')).toBe('5–151')
  })

  it('explicit decimals', () => {
    expect(legendRangeLabel(1, 2, 'index', { decimals: 1 })).toBe('1,0–2,0')
  })

  it('negative ends get a spaced dash', () => {
    expect(legendRangeLabel(-3, -1, 'percent')).toBe(`${MINUS}3,0 – ${MINUS}1,0${NB}%`)
    expect(legendRangeLabel(-1.5, 1.5, 'rate_per_1000')).toBe(`${MINUS}1,5 – 1,5 per 1${NB}000 inv.`)
  })

  it('a zero-width class shows one number', () => {
    expect(legendRangeLabel(20, 20, 'count')).toBe('20')
  })
})

describe('ISO weeks in the client', () => {
  it('labels, sorts and places weeks', async () => {
    const { periodLabel } = await import('../../client/src/lib/format')
    const { defaultPeriod, parsePeriod } = await import('../../client/src/lib/periods')
    expect(periodLabel('2026-W10')).toBe('v. 10 2026')
    expect(['2026-03', '2026-W10', '2026-W09', '2026-Q1'].sort(comparePeriods)).toEqual(['2026-Q1', '2026-W09', '2026-03', '2026-W10'])
    expect(periodKindOf('2026-W10')).toBe('week')
    expect(parsePeriod('2025-W53')).toBeNull()
    expect(parsePeriod('2026-W53')).toMatchObject({ kind: 'week', year: 2026, part: 53 })
    // 2026-W01 runs 29 December 2025 – 4 January 2026: its Thursday is in January 2026.
    expect(periodContaining('2026-W01', 'month')).toBe('2026-01')
    expect(periodContaining('2026-W01', 'year')).toBe('2026')
    expect(periodContaining('2026-W14', 'quarter')).toBe('2026-Q2')
    expect(periodContaining('2026-03', 'week')).toBeNull()
    expect(periodContaining('2026-W10', 'week')).toBe('2026-W10')
    expect(commonKind(['2026-W01', '2026-W02', '2026-01'])).toBe('week')
    expect(defaultPeriod(['2026-02', '2026-03', '2026-W13'])).toBe('2026-03')
    expect(defaultPeriod(['2026-W12', '2026-W13'])).toBe('2026-W13')
  })
})
