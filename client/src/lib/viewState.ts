import { PERIOD_KINDS, type PeriodKind } from './periods'

/**
 * The map view lives in the URL so a permalink reproduces it. Pure: parse and serialise only.
 * Parameter names are Swedish because people read and share these links.
 */
export type ClassMethod = 'quantile' | 'jenks' | 'equal'
export type Measure = 'value' | 'rate'
export type Mode = 'value' | 'change'
export type RatePer = 1000 | 100000

export interface MapViewState {
  layer: string
  indicator: string | null
  period: string | null
  mode: Mode
  /** Baseline period of a change map. */
  from: string | null
  /** null: the default, a rate where the layer's data carry a population, else counts. */
  measure: Measure | null
  /** A rate per 1 000 inhabitants, or per 100 000 (Brå's unit). */
  per: RatePer
  method: ClassMethod
  classes: number
  palette: string | null
  overlay: boolean
  area: number | null
  /** Analysts: hot spots (Gi*), LISA clusters or emerging hot spots instead of values. */
  analysis: Analysis
  /** Emerging hot spots: the first period (of the shown period's kind); null: twelve held periods back. */
  since: string | null
  /** Benjamini–Hochberg adjusted p-values for hot spots and change tests. */
  fdr: boolean
  /** Analysts: smoothed rates per 1 000 (global or local empirical Bayes). */
  smooth: Smooth
  /** The kind of period the area panel's trend shows; null: the server's default for the data. */
  periodKind: PeriodKind | null
}

export type Analysis = 'none' | 'gistar' | 'lisa' | 'emerging'
export type Smooth = 'none' | 'eb' | 'seb'

export const DEFAULT_VIEW: MapViewState = {
  layer: 'stadsomrade',
  indicator: null,
  period: null,
  mode: 'value',
  from: null,
  measure: null,
  per: 1000,
  method: 'quantile',
  classes: 5,
  palette: null,
  overlay: true,
  area: null,
  analysis: 'none',
  since: null,
  fdr: false,
  smooth: 'none',
  periodKind: null,
}

const PARAMS = {
  layer: 'lager',
  indicator: 'indikator',
  period: 'period',
  mode: 'lage',
  from: 'fran',
  measure: 'matt',
  per: 'per',
  method: 'klassning',
  classes: 'klasser',
  palette: 'palett',
  overlay: 'utsatta',
  area: 'omrade',
  analysis: 'analys',
  since: 'sedan',
  fdr: 'fdr',
  smooth: 'utjamning',
  periodKind: 'perioder',
} as const satisfies Record<keyof MapViewState, string>

const METHODS: ClassMethod[] = ['quantile', 'jenks', 'equal']

/** A period kind as links spell it. */
const KIND_SLUGS: Record<PeriodKind, string> = { year: 'ar', half: 'halvar', quarter: 'kvartal', month: 'manad', week: 'vecka' }
const kindOfSlug = (slug: string | null | undefined): PeriodKind | null => PERIOD_KINDS.find((k) => KIND_SLUGS[k] === slug) ?? null
const ID = /^[a-z][a-z0-9_]{0,63}$/
const PERIOD = /^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]|W(0[1-9]|[1-4]\d|5[0-3])))?$/

/** Unknown or malformed parameters fall back to the defaults rather than breaking the page. */
export function parseView(search: string | URLSearchParams): MapViewState {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search
  const get = (k: keyof typeof PARAMS) => q.get(PARAMS[k])
  const layer = get('layer')
  const indicator = get('indicator')
  const period = get('period')
  const from = get('from')
  const since = get('since')
  const method = get('method') as ClassMethod | null
  const classes = Number(get('classes'))
  const area = Number(get('area'))
  const palette = get('palette')
  return {
    layer: layer && ID.test(layer) ? layer : DEFAULT_VIEW.layer,
    indicator: indicator && ID.test(indicator) ? indicator : null,
    period: period && PERIOD.test(period) ? period : null,
    mode: get('mode') === 'forandring' ? 'change' : 'value',
    from: from && PERIOD.test(from) ? from : null,
    // Links from before rates became the default say per1000 for a rate and nothing for counts; a link
    // without matt now means the default, so counts chosen on purpose are spelt antal.
    measure: get('measure') === 'per1000' ? 'rate' : get('measure') === 'antal' ? 'value' : null,
    per: get('per') === '100000' ? 100000 : 1000,
    method: method && METHODS.includes(method) ? method : DEFAULT_VIEW.method,
    classes: Number.isInteger(classes) && classes >= 3 && classes <= 7 ? classes : DEFAULT_VIEW.classes,
    palette: palette && /^[A-Za-z]{2,12}$/.test(palette) ? palette : null,
    overlay: get('overlay') !== '0',
    area: Number.isInteger(area) && area > 0 ? area : null,
    analysis: get('analysis') === 'gistar' || get('analysis') === 'lisa' ? (get('analysis') as Analysis) : get('analysis') === 'framvaxande' ? 'emerging' : 'none',
    since: since && PERIOD.test(since) ? since : null,
    fdr: get('fdr') === '1',
    smooth: get('smooth') === 'eb' || get('smooth') === 'seb' ? (get('smooth') as Smooth) : 'none',
    periodKind: kindOfSlug(get('periodKind')),
  }
}

/** Only what differs from the defaults goes into the URL, in a stable order. */
export function serializeView(v: MapViewState): string {
  const q = new URLSearchParams()
  const set = (k: keyof typeof PARAMS, value: string | null) => {
    if (value !== null) q.set(PARAMS[k], value)
  }
  set('layer', v.layer !== DEFAULT_VIEW.layer ? v.layer : null)
  set('indicator', v.indicator)
  set('period', v.period)
  set('mode', v.mode === 'change' ? 'forandring' : null)
  set('from', v.mode === 'change' ? v.from : null)
  set('measure', v.measure === 'rate' ? 'per1000' : v.measure === 'value' ? 'antal' : null)
  set('per', v.per === 100000 ? '100000' : null)
  set('method', v.method !== DEFAULT_VIEW.method ? v.method : null)
  set('classes', v.classes !== DEFAULT_VIEW.classes ? String(v.classes) : null)
  set('palette', v.palette)
  set('overlay', v.overlay ? null : '0')
  set('area', v.area !== null ? String(v.area) : null)
  set('analysis', v.analysis === 'emerging' ? 'framvaxande' : v.analysis !== 'none' ? v.analysis : null)
  set('since', v.analysis === 'emerging' ? v.since : null)
  set('fdr', v.fdr ? '1' : null)
  set('smooth', v.smooth !== 'none' ? v.smooth : null)
  set('periodKind', v.periodKind && KIND_SLUGS[v.periodKind])
  return q.toString()
}

export interface CompareState {
  areas: number[]
  indicators: string[]
  measure: Measure
  /** Rates per 1 000 inhabitants, or per 100 000 (Brå's unit), as on the map. */
  per: RatePer
  /** The kind of period chosen per indicator's trends; an indicator not listed shows the server's default. */
  periodKinds: Record<string, PeriodKind>
}

export function parseCompare(search: string | URLSearchParams): CompareState {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search
  const areas = (q.get('omraden') ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
  const indicators = (q.get('indikatorer') ?? '').split(',').filter((s) => ID.test(s))
  const periodKinds: Record<string, PeriodKind> = {}
  for (const pair of (q.get('perioder') ?? '').split(',')) {
    const [id, slug] = pair.split(':')
    const kind = kindOfSlug(slug)
    if (id && ID.test(id) && kind) periodKinds[id] = kind
  }
  return {
    areas: [...new Set(areas)].slice(0, 4),
    indicators: [...new Set(indicators)].slice(0, 6),
    measure: q.get('matt') === 'antal' ? 'value' : 'rate',
    per: q.get('per') === '100000' ? 100000 : 1000,
    periodKinds,
  }
}

export function serializeCompare(c: CompareState): string {
  const q = new URLSearchParams()
  if (c.areas.length) q.set('omraden', c.areas.join(','))
  if (c.indicators.length) q.set('indikatorer', c.indicators.join(','))
  if (c.measure === 'value') q.set('matt', 'antal')
  else if (c.per === 100000) q.set('per', '100000')
  // Only for indicators still compared: a choice for one taken away would linger in shared links.
  const kinds = c.indicators.flatMap((id) => (c.periodKinds[id] ? [`${id}:${KIND_SLUGS[c.periodKinds[id]]}`] : []))
  if (kinds.length) q.set('perioder', kinds.join(','))
  return q.toString()
}
