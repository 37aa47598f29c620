import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { BarChart, type Bar } from '../../client/src/components/charts/BarChart'
import { SmallMultiples } from '../../client/src/components/charts/SmallMultiples'
import { PeriodKindPicker } from '../../client/src/components/charts/PeriodKindPicker'
import { TrendChart, type TrendPoint, type TrendSeries } from '../../client/src/components/charts/TrendChart'
import { textWidth } from '../../client/src/components/charts/chartUtils'
import { followUpKind, OutcomeChart } from '../../client/src/components/OutcomeChart'

/** Start tags with their attributes, optionally only those carrying a class token. */
function elements(html: string, tag: string, cls?: string): Record<string, string>[] {
  const found: Record<string, string>[] = []
  for (const m of html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>`, 'g'))) {
    const attrs = Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]))
    if (!cls || (attrs.class ?? '').split(' ').includes(cls)) found.push(attrs as Record<string, string>)
  }
  return found
}
const num = (attrs: Record<string, string> | undefined, name: string) => Number(attrs?.[name])
const moveCount = (d: string | undefined) => (d ?? '').match(/M/g)?.length ?? 0
const yDomain = (html: string) => (elements(html, 'svg')[0]?.['data-y-domain'] ?? '').split(',').map(Number)
const sv = (v: number) => v.toFixed(1).replace('.', ',')
/** The x axis labels as drawn: text, centre and the period they name. */
const xLabels = (html: string) =>
  [...(html.match(/<g class="chart-axis chart-axis-x"[^>]*>(.*?)<\/g>/)?.[1] ?? '').matchAll(/<text x="([-\d.]+)"[^>]*data-period="([^"]+)">([^<]+)<\/text>/g)].map(
    (m) => ({ x: Number(m[1]), period: m[2], text: m[3]! }),
  )

const pts = (values: Array<number | null>, start = 2019): TrendPoint[] =>
  values.map((value, i) => ({ period: String(start + i), value }))
const series = (id: string, points: TrendPoint[], color = '#0969da'): TrendSeries => ({ id, label: `Område ${id}`, color, points })

/** y pixel of a value, read back from two rendered y-axis ticks (`translate(0,Y)` + label). */
function yOf(html: string, value: number): number {
  const ticks = [...html.matchAll(/<g transform="translate\(0,([\d.]+)\)"><line class="chart-grid"[^>]*><\/line><text[^>]*>([^<]+)<\/text>/g)].map(
    (m) => ({ y: Number(m[1]), v: Number(m[2]?.replace(',', '.')) }),
  )
  const [a, b] = [ticks[0], ticks.at(-1)]
  if (!a || !b || a === b) throw new Error('need two ticks')
  return a.y + ((value - a.v) * (b.y - a.y)) / (b.v - a.v)
}

describe('TrendChart', () => {
  it('draws one line per series, a dashed reference, and a circle per known value', () => {
    const html = renderToStaticMarkup(
      <TrendChart
        title="Anmälda brott"
        series={[series('a', pts([4, 5, 6])), series('b', pts([1, null, 3]), '#cf222e')]}
        reference={series('g', pts([2, 2, 2]), '#888')}
        testId="trend"
      />,
    )
    expect(html).toMatch(/^<figure class="chart chart-trend" data-testid="trend"><figcaption class="chart-title">Anmälda brott<\/figcaption>/)
    expect(elements(html, 'svg')[0]?.['data-series-count']).toBe('2')
    expect(elements(html, 'path', 'chart-line')).toHaveLength(3)
    expect(elements(html, 'path', 'chart-line--reference')[0]?.['stroke-dasharray']).toBe('5 4')
    expect(elements(html, 'circle', 'chart-point').filter((c) => !c.class?.includes('--'))).toHaveLength(5)
    expect(elements(html, 'circle', 'chart-point--reference')).toHaveLength(3)
    expect(html).toContain('class="chart-legend"')
  })

  it('places points on the scales: periods evenly spaced in order, values linear from zero', () => {
    const html = renderToStaticMarkup(<TrendChart title="t" series={[series('a', pts([10, 40, 25, 0]))]} />)
    const circles = elements(html, 'circle', 'chart-point')
    const cx = circles.map((c) => num(c, 'cx'))
    expect(circles.map((c) => c['data-period'])).toEqual(['2019', '2020', '2021', '2022'])
    expect(cx[1]! - cx[0]!).toBeGreaterThan(0)
    expect(cx[2]! - cx[1]!).toBeCloseTo(cx[1]! - cx[0]!, 6)
    expect(cx[3]! - cx[2]!).toBeCloseTo(cx[1]! - cx[0]!, 6)
    expect(yDomain(html)).toEqual([0, 40])
    ;[10, 40, 25, 0].forEach((v, i) => expect(num(circles[i], 'cy')).toBeCloseTo(yOf(html, v), 6))
    expect(html).not.toContain('class="chart-legend"') // one series, no reference
  })

  it('breaks the line where a value is null', () => {
    const gap = renderToStaticMarkup(<TrendChart title="t" series={[series('a', pts([3, 4, null, 6, 7]))]} />)
    const whole = renderToStaticMarkup(<TrendChart title="t" series={[series('a', pts([3, 4, 5, 6, 7]))]} />)
    expect(moveCount(elements(gap, 'path', 'chart-line')[0]?.d)).toBe(2)
    expect(moveCount(elements(whole, 'path', 'chart-line')[0]?.d)).toBe(1)
    expect(elements(gap, 'circle', 'chart-point')).toHaveLength(4)
    expect(gap).toContain('<td class="num">Uppgift saknas</td>')
  })

  it('draws confidence bands and error bars only where both limits are given', () => {
    const plain = renderToStaticMarkup(<TrendChart title="t" series={[series('a', pts([3, 4, 5]))]} />)
    expect(elements(plain, 'path', 'chart-band')).toHaveLength(0)
    expect(elements(plain, 'path', 'chart-errorbar')).toHaveLength(0)

    const points: TrendPoint[] = [
      { period: '2022', value: 10, ciLow: 8, ciHigh: 12 },
      { period: '2023', value: 11, ciLow: 9, ciHigh: 23 },
      { period: '2024', value: 12, ciLow: 10 }, // half an interval: no band, no bar
    ]
    const html = renderToStaticMarkup(<TrendChart title="t" series={[series('a', points)]} format={sv} />)
    const bands = elements(html, 'path', 'chart-band')
    expect(bands).toHaveLength(1)
    expect(moveCount(bands[0]?.d)).toBe(1)
    expect(elements(html, 'path', 'chart-errorbar')).toHaveLength(2)
    // The y-domain reaches the highest CI limit, not just the highest value.
    const [lo, hi] = yDomain(html)
    expect(lo).toBe(0)
    expect(hi).toBeGreaterThanOrEqual(23)
    expect(hi).toBeLessThan(30)
    const bandTop = Math.min(...[...(bands[0]?.d ?? '').matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1])))
    expect(bandTop).toBeCloseTo(yOf(html, 23), 2)
    expect(bandTop).toBeGreaterThanOrEqual(0)
    expect(html).toContain('2023: 11,0 (9,0–23,0)')
  })

  it('extends the domain below zero for negative values', () => {
    const html = renderToStaticMarkup(<TrendChart title="t" series={[series('a', pts([-7, 3]))]} />)
    const [lo, hi] = yDomain(html)
    expect(lo).toBeLessThanOrEqual(-7)
    expect(hi).toBeGreaterThanOrEqual(3)
  })

  it('summarises the latest value and suppressed periods in the desc, never the hidden number', () => {
    const points: TrendPoint[] = [
      { period: '2024-Q1', value: 12.25 },
      { period: '2024-Q2', value: 977, suppressed: true },
      { period: '2024-Q3', value: 9.5, ciLow: 7, ciHigh: 12 },
      { period: '2024-Q4', value: null },
    ]
    const html = renderToStaticMarkup(<TrendChart title="Trygghet" series={[series('a', points)]} format={sv} />)
    const svg = elements(html, 'svg')[0]
    const [titleId, descId] = (svg?.['aria-labelledby'] ?? '').split(' ')
    expect(svg?.role).toBe('img')
    expect(html).toContain(`<title id="${titleId}">Trygghet</title>`)
    const desc = html.match(new RegExp(`<desc id="${descId}">([^<]*)</desc>`))?.[1]
    expect(desc).toContain('Linjediagram per kvartal, kv. 1 2024–kv. 4 2024.')
    expect(desc).toContain('Område a: senaste värde 9,5 (kv. 3 2024, konfidensintervall 7,0–12,0), jämfört med 12,3 (kv. 1 2024)')
    expect(desc).toContain('(för få): kv. 2 2024')
    expect(html).not.toContain('977')
    expect(yDomain(html)[1]).toBeLessThan(100)
    expect(elements(html, 'circle', 'chart-point--suppressed')).toHaveLength(1)
    expect(html).toContain('<td class="num">Dold (för få)</td>')
  })

  it('thins x labels when periods are many but keeps the latest', () => {
    const months = Array.from({ length: 24 }, (_, i) => ({
      period: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      value: i,
    }))
    const html = renderToStaticMarkup(<TrendChart title="t" series={[series('a', months)]} width={320} />)
    const labels = xLabels(html).map((l) => l.text)
    expect(labels.length).toBeGreaterThan(2)
    expect(labels.length).toBeLessThan(12)
    expect(labels.at(-1)).toBe('dec 2024')
    expect(html).toContain('<th scope="row">december 2024</th>')
  })

  it('writes whole Swedish labels where they fit', () => {
    const quarters = ['2025-Q3', '2025-Q4', '2026-Q1'].map((period, i) => ({ period, value: i }))
    expect(xLabels(renderToStaticMarkup(<TrendChart title="t" series={[series('a', quarters)]} width={360} />)).map((l) => l.text)).toEqual([
      'kv. 3 2025',
      'kv. 4 2025',
      'kv. 1 2026',
    ])
    const months = ['2026-01', '2026-02', '2026-03'].map((period, i) => ({ period, value: i }))
    expect(xLabels(renderToStaticMarkup(<TrendChart title="t" series={[series('a', months)]} width={360} />)).map((l) => l.text)).toEqual([
      'januari 2026',
      'februari 2026',
      'mars 2026',
    ])
  })

  it.each([
    ['years', Array.from({ length: 12 }, (_, i) => String(2015 + i))],
    ['halves', Array.from({ length: 16 }, (_, i) => `${2019 + Math.floor(i / 2)}-H${(i % 2) + 1}`)],
    ['quarters', Array.from({ length: 28 }, (_, i) => `${2019 + Math.floor(i / 4)}-Q${(i % 4) + 1}`)],
    ['months', Array.from({ length: 40 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`)],
  ])('never overlaps its %s labels at 320 px, nor lets them leave the chart', (_, ids) => {
    for (const width of [320, 280, 560]) {
      const html = renderToStaticMarkup(<TrendChart title="t" series={[series('a', ids.map((period, i) => ({ period, value: i })))]} width={width} />)
      const labels = xLabels(html)
      const left = Number(/<g transform="translate\(([\d.]+),/.exec(html)?.[1])
      expect(labels.length).toBeGreaterThan(1)
      expect(labels.at(-1)?.period).toBe(ids.at(-1))
      labels.forEach((l, i) => {
        expect(left + l.x - textWidth(l.text) / 2).toBeGreaterThanOrEqual(0)
        expect(left + l.x + textWidth(l.text) / 2).toBeLessThanOrEqual(width)
        const next = labels[i + 1]
        if (next) expect(next.x - textWidth(next.text) / 2).toBeGreaterThan(l.x + textWidth(l.text) / 2)
      })
    }
  })

  it('draws one kind of period in time order, whatever order and mix it is given', () => {
    const mixed: TrendPoint[] = ['2026-H1', '2025', '2026-03', '2026-Q1', '2024', '2026-01', '2023', '2026-02', '2022'].map((period, i) => ({ period, value: i }))
    const years = renderToStaticMarkup(<TrendChart title="t" series={[series('a', mixed)]} reference={series('g', mixed)} />)
    const drawn = (html: string) => elements(html, 'circle', 'chart-point').filter((c) => !c.class?.includes('--'))
    expect(elements(years, 'svg')[0]?.['data-period-kind']).toBe('year')
    expect(drawn(years).map((c) => c['data-period'])).toEqual(['2022', '2023', '2024', '2025'])
    expect(elements(years, 'circle', 'chart-point--reference').map((c) => c['data-period'])).toEqual(['2022', '2023', '2024', '2025'])
    const months = renderToStaticMarkup(<TrendChart title="t" series={[series('a', mixed)]} periodKind="month" />)
    expect(drawn(months).map((c) => c['data-period'])).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(xLabels(months).map((l) => l.text)).toEqual(['januari 2026', 'februari 2026', 'mars 2026'])
    // Never a zig-zag: x grows with time, and the line visits the points in that order.
    const cx = drawn(months).map((c) => num(c, 'cx'))
    expect(cx).toEqual([...cx].sort((a, b) => a - b))
    const path = elements(months, 'path', 'chart-line')[0]?.d ?? ''
    const xs = [...path.matchAll(/[ML]([\d.]+),/g)].map((m) => Number(m[1]))
    xs.forEach((x, i) => expect(x).toBeCloseTo(cx[i]!, 2))
    // Months of a year drawn after months of the year before, not as text ('2026-10' < '2026-2').
    const acrossYears = ['2026-10', '2025-12', '2026-02'].map((period, i) => ({ period, value: i }))
    expect(drawn(renderToStaticMarkup(<TrendChart title="t" series={[series('a', acrossYears)]} />)).map((c) => c['data-period'])).toEqual([
      '2025-12',
      '2026-02',
      '2026-10',
    ])
  })

  it('merges periods of series that start at different times, oldest first', () => {
    const html = renderToStaticMarkup(
      <TrendChart title="t" series={[series('a', pts([1, 2], 2021)), series('b', pts([1, 2, 3], 2019))]} />,
    )
    const a = elements(html, 'circle', 'chart-point').filter((_, i) => i < 2)
    const b = elements(html, 'circle', 'chart-point').slice(2)
    expect(num(a[0], 'cx')).toBeCloseTo(num(b[2], 'cx'), 6) // both 2021
    expect(num(b[0], 'cx')).toBeLessThan(num(b[1], 'cx'))
  })

  it('honours a fixed yDomain', () => {
    const html = renderToStaticMarkup(<TrendChart title="t" series={[series('a', pts([1, 2]))]} yDomain={[0, 50]} />)
    expect(yDomain(html)).toEqual([0, 50])
  })
})

describe('BarChart', () => {
  const rects = (html: string) => elements(html, 'rect', 'chart-bar-rect')

  it('draws bar widths proportional to the values from a shared zero', () => {
    const bars: Bar[] = [
      { id: 'a', label: 'Centrum', value: 10 },
      { id: 'b', label: 'Hisingen', value: 20 },
      { id: 'c', label: 'Nordost', value: 5 },
    ]
    const html = renderToStaticMarkup(<BarChart title="t" bars={bars} format={sv} />)
    const r = rects(html)
    expect(r).toHaveLength(3)
    const w = r.map((x) => num(x, 'width'))
    expect(w[1]! / w[0]!).toBeCloseTo(2, 6)
    expect(w[2]! / w[0]!).toBeCloseTo(0.5, 6)
    expect(new Set(r.map((x) => x.x)).size).toBe(1)
    expect(num(r[0], 'x')).toBeCloseTo(num(elements(html, 'line', 'chart-zero')[0], 'x1'), 6)
    expect(html).toContain('>20,0</text>')
  })

  it('puts the reference line at the scaled reference value', () => {
    const bars: Bar[] = [
      { id: 'a', label: 'A', value: 8 },
      { id: 'b', label: 'B', value: 16 },
    ]
    const html = renderToStaticMarkup(<BarChart title="t" bars={bars} reference={{ label: 'Göteborg', value: 12 }} />)
    const [a] = rects(html)
    const perUnit = num(a, 'width') / 8
    const line = html.match(/<g class="chart-reference"><line x1="([\d.]+)" x2="([\d.]+)"[^>]*stroke-dasharray/)
    expect(Number(line?.[1])).toBeCloseTo(num(a, 'x') + 12 * perUnit, 6)
    expect(line?.[1]).toBe(line?.[2])
    expect(html).toContain('>Göteborg: 12</text>')
    expect(html).toContain('1 av 2 över Göteborg')
  })

  it('labels suppressed and missing bars without drawing them or leaking the value', () => {
    const bars: Bar[] = [
      { id: 'a', label: 'A', value: 3 },
      { id: 'b', label: 'B', value: 9876, suppressed: true },
      { id: 'c', label: 'C', value: null },
    ]
    const html = renderToStaticMarkup(<BarChart title="t" bars={bars} />)
    expect(rects(html)).toHaveLength(1)
    expect(html).toMatch(/data-id="b" data-state="suppressed">.*?<text class="chart-bar-status"[^>]*>Dold \(för få\)<\/text>/)
    expect(html).toMatch(/data-id="c" data-state="missing">.*?<text class="chart-bar-status"[^>]*>Uppgift saknas<\/text>/)
    expect(html).not.toContain('9876')
    expect(elements(html, 'svg')[0]?.['data-x-domain']).toBe('0,3')
  })

  it('grows negative bars left of the zero line', () => {
    const bars: Bar[] = [
      { id: 'a', label: 'A', value: 4 },
      { id: 'b', label: 'B', value: -2 },
    ]
    const html = renderToStaticMarkup(<BarChart title="Förändring" bars={bars} />)
    const [pos, neg] = rects(html)
    const zero = num(elements(html, 'line', 'chart-zero')[0], 'x1')
    expect(num(pos, 'x')).toBeCloseTo(zero, 6)
    expect(num(neg, 'x') + num(neg, 'width')).toBeCloseTo(zero, 6)
    expect(num(pos, 'width') / num(neg, 'width')).toBeCloseTo(2, 6)
    expect(html).toMatch(/<text class="chart-bar-value" x="[\d.]+" y="[\d.]+" dy="0.32em" text-anchor="end">-2<\/text>/)
  })

  it('draws CI whiskers at the scaled limits, inside the domain', () => {
    const bars: Bar[] = [{ id: 'a', label: 'A', value: 10, ciLow: 6, ciHigh: 27 }]
    const html = renderToStaticMarkup(<BarChart title="t" bars={bars} />)
    const [r] = rects(html)
    const perUnit = num(r, 'width') / 10
    const xs = [...(elements(html, 'path', 'chart-errorbar')[0]?.d ?? '').matchAll(/M([\d.]+),/g)].map((m) => Number(m[1]))
    expect(xs[0]).toBeCloseTo(num(r, 'x') + 6 * perUnit, 6)
    expect(xs.at(-1)).toBeCloseTo(num(r, 'x') + 27 * perUnit, 6)
    expect(Number(elements(html, 'svg')[0]?.['data-x-domain']?.split(',')[1])).toBeGreaterThanOrEqual(27)
  })
})

describe('SmallMultiples', () => {
  const panels = [
    { id: 'c', title: 'Centrum', series: [series('c', pts([10, 80]))] },
    { id: 'h', title: 'Hisingen', series: [series('h', pts([1, 3]))] },
  ]
  const domains = (html: string) => elements(html, 'svg').map((s) => s['data-y-domain'])

  it('shares one y-domain across panels when asked', () => {
    const html = renderToStaticMarkup(<SmallMultiples title="Per område" panels={panels} sharedScale testId="sm" />)
    expect(elements(html, 'svg')).toHaveLength(2)
    expect(domains(html)).toEqual(['0,80', '0,80'])
    expect(html).toContain('data-testid="sm-h"')
    expect(html).toContain('Alla diagram har samma skala.')
  })

  it('lets each panel fit its own data otherwise', () => {
    const html = renderToStaticMarkup(<SmallMultiples panels={panels} sharedScale={false} />)
    expect(domains(html)).toEqual(['0,80', '0,3'])
  })

  it('shares the scale of the kind drawn: a year’s count does not flatten the months', () => {
    const mixed = (m: number) => [{ period: '2025', value: 900 }, { period: '2026-01', value: m }, { period: '2026-02', value: m + 1 }]
    const html = renderToStaticMarkup(
      <SmallMultiples panels={[{ id: 'a', title: 'A', series: [series('a', mixed(8))] }, { id: 'b', title: 'B', series: [series('b', mixed(3))] }]} periodKind="month" />,
    )
    expect(domains(html)).toEqual(['0,9', '0,9'])
    expect(elements(html, 'svg').map((s) => s['data-period-kind'])).toEqual(['month', 'month'])
  })
})

describe('OutcomeChart', () => {
  it('places baseline and target in the periods of the kind drawn', () => {
    const f = { baselinePeriod: '2021', baselineValue: 44, target: 35, targetPeriod: '2026-Q4' }
    expect(followUpKind(f)).toBe('year')
    expect(followUpKind({ baselinePeriod: '2025-Q1', targetPeriod: '2026-Q4' })).toBe('quarter')
    const html = renderToStaticMarkup(<OutcomeChart title="t" points={pts([44, 42, 40, 39, 38])} followUp={f} periodKind="year" width={360} testId="o" />)
    expect(elements(html, 'circle', 'chart-point--reference').map((c) => c['data-period'])).toEqual(['2021', '2026'])
  })
})

describe('PeriodKindPicker', () => {
  it('offers the kinds there are as a named radio group, the shown one checked', () => {
    const html = renderToStaticMarkup(<PeriodKindPicker kinds={['year', 'quarter', 'month']} chosen={null} shown="year" onChange={() => {}} />)
    expect(html).toMatch(/^<fieldset class="period-kinds"><legend>Tidsserie per<\/legend>/)
    const radios = elements(html, 'input')
    expect(radios.map((r) => r.value)).toEqual(['year', 'quarter', 'month'])
    expect(radios.map((r) => 'checked' in r)).toEqual([true, false, false])
    expect(new Set(radios.map((r) => r.name)).size).toBe(1)
    expect([...html.matchAll(/<label>.*?<\/label>/g)].map((m) => m[0].replace(/<[^>]+>/g, ''))).toEqual(['År', 'Kvartal', 'Månad'])
    // A choice shows as soon as it is made; one the data lack leaves the shown kind checked.
    const checked = (chosen: 'month' | 'half') =>
      elements(renderToStaticMarkup(<PeriodKindPicker kinds={['year', 'quarter', 'month']} chosen={chosen} shown="year" onChange={() => {}} />), 'input')
        .filter((r) => 'checked' in r)
        .map((r) => r.value)
    expect(checked('month')).toEqual(['month'])
    expect(checked('half')).toEqual(['year'])
  })

  it('shows nothing when there is only one kind', () => {
    expect(renderToStaticMarkup(<PeriodKindPicker kinds={['year']} chosen="month" shown="year" onChange={() => {}} />)).toBe('')
  })
})
