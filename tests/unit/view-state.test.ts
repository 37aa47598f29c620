import { describe, expect, it } from 'vitest'
import { DEFAULT_VIEW, parseCompare, parseView, serializeCompare, serializeView, type MapViewState } from '../../client/src/lib/viewState'

describe('map view state in the URL', () => {
  it('round-trips every field', () => {
    const v: MapViewState = {
      layer: 'primaromrade',
      indicator: 'demo_ran',
      period: '2024-Q3',
      mode: 'change',
      from: '2019',
      measure: 'rate',
      per: 100000,
      method: 'jenks',
      classes: 7,
      palette: 'PuBu',
      overlay: false,
      area: 42,
      analysis: 'lisa',
      since: null,
      fdr: true,
      smooth: 'seb',
      periodKind: 'month',
    }
    const s = serializeView(v)
    expect(s).toBe(
      'lager=primaromrade&indikator=demo_ran&period=2024-Q3&lage=forandring&fran=2019&matt=per1000&per=100000&klassning=jenks&klasser=7&palett=PuBu&utsatta=0&omrade=42&analys=lisa&fdr=1&utjamning=seb&perioder=manad',
    )
    expect(parseView(s)).toEqual(v)
  })

  it('spells emerging hot spots framvaxande, with their first period as sedan', () => {
    const v: MapViewState = { ...DEFAULT_VIEW, indicator: 'demo_ran', period: '2026-03', analysis: 'emerging', since: '2025-04' }
    const s = serializeView(v)
    expect(s).toBe('indikator=demo_ran&period=2026-03&analys=framvaxande&sedan=2025-04')
    expect(parseView(s)).toEqual(v)
    expect(serializeView({ ...v, analysis: 'gistar' })).not.toContain('sedan')
  })

  it('keeps the defaults out of the URL', () => {
    expect(serializeView(DEFAULT_VIEW)).toBe('')
    expect(parseView('')).toEqual(DEFAULT_VIEW)
  })

  it('ignores malformed parameters instead of failing', () => {
    expect(parseView('lager=DROP%20TABLE&period=2024-13&klasser=99&klassning=magic&omrade=-3&indikator=%3Cscript%3E&analys=kriging&utjamning=x&fdr=yes&perioder=month')).toEqual(DEFAULT_VIEW)
  })

  it('keeps old links: per1000 is a rate, no matt the default, antal counts on purpose', () => {
    expect(parseView('matt=per1000').measure).toBe('rate')
    expect(parseView('').measure).toBeNull()
    expect(parseView('matt=antal').measure).toBe('value')
    expect(parseView('matt=x').measure).toBeNull()
    expect(serializeView({ ...DEFAULT_VIEW, measure: 'value' })).toBe('matt=antal')
    expect(serializeView({ ...DEFAULT_VIEW, measure: 'rate' })).toBe('matt=per1000')
  })

  it('drops the baseline period outside change mode', () => {
    expect(serializeView({ ...DEFAULT_VIEW, from: '2019' })).toBe('')
  })

  it('keeps the trend’s period kind in Swedish words', () => {
    for (const [kind, slug] of [['year', 'ar'], ['half', 'halvar'], ['quarter', 'kvartal'], ['month', 'manad']] as const) {
      expect(serializeView({ ...DEFAULT_VIEW, periodKind: kind })).toBe(`perioder=${slug}`)
      expect(parseView(`perioder=${slug}`).periodKind).toBe(kind)
    }
  })
})

describe('compare state in the URL', () => {
  it('round-trips and caps at four areas', () => {
    const c = parseCompare('omraden=1,2,2,3,4,5&indikatorer=demo_ran,demo_otrygg_kvall&matt=antal')
    expect(c).toEqual({ areas: [1, 2, 3, 4], indicators: ['demo_ran', 'demo_otrygg_kvall'], measure: 'value', per: 1000, periodKinds: {} })
    expect(parseCompare(serializeCompare(c))).toEqual(c)
  })

  it('keeps rates per 100 000 in the link, and per 1 000 as the default', () => {
    const c = parseCompare('omraden=1,2&indikatorer=demo_ran&per=100000')
    expect(c).toMatchObject({ measure: 'rate', per: 100000 })
    expect(serializeCompare(c)).toMatch(/per=100000/)
    expect(parseCompare(serializeCompare(c))).toEqual(c)
    expect(serializeCompare({ ...c, per: 1000 })).not.toMatch(/per=/)
    expect(parseCompare('omraden=1,2&per=fel').per).toBe(1000)
  })

  it('keeps a period kind per compared indicator, and only for those', () => {
    const c = parseCompare('indikatorer=demo_ran,demo_otrygg_kvall&perioder=demo_ran:manad,demo_otrygg_kvall:dag,%3Cx%3E:ar')
    expect(c.periodKinds).toEqual({ demo_ran: 'month' })
    expect(parseCompare(serializeCompare(c))).toEqual(c)
    expect(serializeCompare({ ...c, indicators: ['demo_otrygg_kvall'] })).not.toMatch(/perioder/)
  })
})
