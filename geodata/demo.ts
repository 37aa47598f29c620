/**
 * The synthetic demo data set. Every value here is invented from a seeded generator; none is police or
 * city statistics. Pure: takes the areas and their overlap with primärområden, returns observations.
 */
import type { IndicatorCategory, IndicatorUnit, Polarity } from '../db/schema'
import { parsePeriod } from '../server/core/period'
import { wilsonInterval } from '../server/spatial/proportion'

export const DEMO_SOURCE = 'DEMO – syntetiska data framtagna av Lägesbild, inte verklig statistik'
export const DEMO_SEED = 20240601

export interface DemoIndicator {
  id: string
  name: string
  description: string
  unit: IndicatorUnit
  category: IndicatorCategory
  polarity: Polarity
  /** A survey estimate (a share from a sample, with an interval). */
  survey?: boolean
}

const CRIMES = [
  { id: 'demo_misshandel_utomhus', name: 'Misshandel utomhus', per1000: 3.2, byClass: [2.2, 1.6, 1.1, 0.8, 0.6], centre: 6, trend: 0.0 },
  { id: 'demo_bostadsinbrott', name: 'Bostadsinbrott', per1000: 2.4, byClass: [0.8, 0.9, 1.0, 1.2, 1.4], centre: 0.5, trend: -0.06 },
  { id: 'demo_skadegorelse', name: 'Skadegörelse', per1000: 8.5, byClass: [1.8, 1.4, 1.0, 0.8, 0.7], centre: 2, trend: -0.01 },
  { id: 'demo_ran', name: 'Rån', per1000: 0.5, byClass: [2.5, 1.7, 1.0, 0.6, 0.4], centre: 4, trend: -0.04 },
  { id: 'demo_narkotikabrott', name: 'Narkotikabrott', per1000: 5, byClass: [2.5, 1.6, 1.0, 0.7, 0.5], centre: 4, trend: 0.04 },
] as const

const SURVEYS = [
  { id: 'demo_otrygg_kvall', name: 'Otrygg utomhus sen kväll i bostadsområdet', byClass: [0.42, 0.33, 0.25, 0.19, 0.14], scale: 1 },
  { id: 'demo_avstatt_aktivitet', name: 'Avstått aktivitet på grund av otrygghet', byClass: [0.42, 0.33, 0.25, 0.19, 0.14], scale: 0.55 },
] as const

/** Counts that measure police or city effort (category aktivitet). */
const EFFORT = new Set<string>(['demo_narkotikabrott'])

export const CRIME_YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025]
export const SURVEY_YEARS = [2019, 2021, 2023, 2025]
const SURVEY_YEAR_EFFECT: Record<number, number> = { 2019: 0, 2021: -0.02, 2023: 0.015, 2025: -0.01 }

/** Primärområden whose crime is driven by nightlife and commuters rather than residents. */
const CENTRAL_CODES = new Set(['114', '115', '116', '117', '118', '517', '604'])

export const DEMO_INDICATORS: DemoIndicator[] = [
  ...CRIMES.map((c) => ({
    id: c.id,
    name: `${c.name} (demo)`,
    description: `Anmälda brott per år. DEMO: syntetiska värden. Dragna mot folkmängden 2025-01-01; som nämnare används befolkningen för periodens år, eller närmaste år med befolkningsuppgift.`,
    unit: 'count' as const,
    // Drug offences are found by police effort: more of them is neither worse nor better.
    category: EFFORT.has(c.id) ? ('aktivitet' as const) : ('brott' as const),
    polarity: EFFORT.has(c.id) ? ('neutral' as const) : ('higher_is_worse' as const),
  })),
  ...SURVEYS.map((s) => ({
    id: s.id,
    name: `${s.name}, andel (demo)`,
    description: 'Andel svarande i en trygghetsenkät, med 95 % konfidensintervall (Wilson). DEMO: syntetiska svar.',
    unit: 'percent' as const,
    category: 'otrygghet' as const,
    polarity: 'higher_is_worse' as const,
    survey: true,
  })),
  {
    id: 'demo_unga_uvas',
    name: 'Unga 16–24 år som varken arbetar eller studerar, andel (demo)',
    description: 'Andel av befolkningen 16–24 år. DEMO: syntetiska värden.',
    unit: 'percent',
    category: 'riskfaktor',
    polarity: 'higher_is_worse',
  },
  {
    id: 'demo_behoriga_gymnasiet',
    name: 'Elever i åk 9 behöriga till gymnasiet, andel (demo)',
    description: 'Andel elever folkbokförda i området. DEMO: syntetiska värden.',
    unit: 'percent',
    category: 'skyddsfaktor',
    polarity: 'higher_is_better',
  },
]

/** mulberry32: small, fast and good enough for synthetic data; seeded so every start builds the same set. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)))
  const limit = Math.exp(-lambda)
  let k = 0
  let p = rand()
  while (p > limit) {
    k++
    p *= rand()
  }
  return k
}

function binomial(rand: () => number, n: number, p: number): number {
  let x = 0
  for (let i = 0; i < n; i++) if (rand() < p) x++
  return x
}

export interface DemoPrimaromrade {
  areaId: number
  code: string
  population: number
  socioClass: number
}

/** An area of any layer, described by the share of each primärområde's area that falls inside it. */
export interface DemoArea {
  areaId: number
  layerId: string
  overlaps: Array<{ code: string; share: number }>
}

export interface DemoObservation {
  indicatorId: string
  areaId: number
  period: string
  periodStart: string
  periodEnd: string
  value: number
  numerator: number | null
  denominator: number | null
  ciLow: number | null
  ciHigh: number | null
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d

function observation(
  indicatorId: string,
  areaId: number,
  year: number,
  v: Omit<DemoObservation, 'indicatorId' | 'areaId' | 'period' | 'periodStart' | 'periodEnd'>,
): DemoObservation {
  const p = parsePeriod(String(year))!
  return { indicatorId, areaId, period: p.id, periodStart: p.start, periodEnd: p.end, ...v }
}

/**
 * Crimes are drawn per primärområde and apportioned by area to layers that do not nest them (DeSO,
 * RegSO, utsatta områden); nesting layers are summed at query time. Survey shares are drawn for every
 * area of every layer, from the socio-economic mix of the primärområden it covers.
 */
export function generateDemo(
  prim: DemoPrimaromrade[],
  apportioned: DemoArea[],
  surveyed: DemoArea[],
  seed = DEMO_SEED,
): DemoObservation[] {
  const rand = seededRandom(seed)
  const out: DemoObservation[] = []
  const byCode = new Map(prim.map((p) => [p.code, p]))
  const crimeCounts = new Map<string, number>() // `${indicator}|${code}|${year}`

  for (const p of prim) {
    const cls = Math.min(5, Math.max(1, p.socioClass || 3))
    for (const c of CRIMES) {
      const areaEffect = Math.exp(0.25 * normal(rand))
      const centre = CENTRAL_CODES.has(p.code) ? c.centre : 1
      for (const year of CRIME_YEARS) {
        const trend = Math.exp(c.trend * (year - 2019))
        const lambda = (p.population / 1000) * c.per1000 * c.byClass[cls - 1]! * centre * areaEffect * trend
        const count = poisson(rand, lambda)
        crimeCounts.set(`${c.id}|${p.code}|${year}`, count)
        out.push(
          observation(c.id, p.areaId, year, {
            value: count,
            numerator: count,
            // A count's population is derived per year (server/core/population.ts), never stored with it.
            denominator: null,
            ciLow: null,
            ciHigh: null,
          }),
        )
      }
    }
    youthAndSchool(rand, p, cls, out)
  }

  for (const a of apportioned) {
    for (const c of CRIMES) {
      for (const year of CRIME_YEARS) {
        let sum = 0
        for (const o of a.overlaps) sum += (crimeCounts.get(`${c.id}|${o.code}|${year}`) ?? 0) * o.share
        const count = Math.round(sum)
        out.push(observation(c.id, a.areaId, year, { value: count, numerator: count, denominator: null, ciLow: null, ciHigh: null }))
      }
    }
  }

  for (const a of surveyed) {
    let population = 0
    let classWeighted = 0
    for (const o of a.overlaps) {
      const p = byCode.get(o.code)
      if (!p) continue
      population += p.population * o.share
      classWeighted += p.population * o.share * (p.socioClass || 3)
    }
    if (population < 150) continue // too few residents to survey
    const cls = classWeighted / population
    for (const s of SURVEYS) {
      const areaEffect = 0.03 * normal(rand)
      const base = interpolate(s.byClass, cls) * s.scale
      for (const year of SURVEY_YEARS) {
        const p = Math.min(0.9, Math.max(0.02, base + areaEffect + SURVEY_YEAR_EFFECT[year]! * s.scale))
        const n = Math.max(25, Math.min(2500, Math.round(population * 0.012 * (0.7 + 0.6 * rand()))))
        const x = binomial(rand, n, p)
        const [lo, hi] = wilsonInterval(x, n)
        out.push(
          observation(s.id, a.areaId, year, {
            value: round((100 * x) / n, 2),
            numerator: x,
            denominator: n,
            ciLow: round(100 * lo, 2),
            ciHigh: round(100 * hi, 2),
          }),
        )
      }
    }
  }
  return out
}

function youthAndSchool(rand: () => number, p: DemoPrimaromrade, cls: number, out: DemoObservation[]) {
  const youths = Math.round(p.population * 0.11)
  const pupils = Math.round(p.population * 0.011)
  const uvasBase = [0.14, 0.1, 0.07, 0.05, 0.035][cls - 1]!
  const schoolBase = [0.62, 0.75, 0.85, 0.9, 0.95][cls - 1]!
  const effect = 0.015 * normal(rand)
  for (const year of CRIME_YEARS) {
    if (youths > 0 && year < 2025) {
      const x = binomial(rand, youths, Math.max(0.01, uvasBase + effect))
      out.push(observation('demo_unga_uvas', p.areaId, year, { value: round((100 * x) / youths, 2), numerator: x, denominator: youths, ciLow: null, ciHigh: null }))
    }
    if (pupils > 0) {
      const x = binomial(rand, pupils, Math.min(0.99, schoolBase - 2 * effect))
      out.push(observation('demo_behoriga_gymnasiet', p.areaId, year, { value: round((100 * x) / pupils, 2), numerator: x, denominator: pupils, ciLow: null, ciHigh: null }))
    }
  }
}

/** Linear interpolation in a 1-based class table (class 1 … 5). */
function interpolate(table: readonly number[], cls: number): number {
  const i = Math.min(table.length - 1, Math.max(0, cls - 1))
  const lo = Math.floor(i)
  const hi = Math.min(table.length - 1, lo + 1)
  return table[lo]! + (table[hi]! - table[lo]!) * (i - lo)
}
