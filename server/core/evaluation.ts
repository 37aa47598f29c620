/**
 * Evaluation of a measure's follow-up: the latest figure tested against the baseline computed from the
 * data, and a status grön/gul/röd from the test and the target. Pure: the caller reads the figures (as
 * the viewer may see them) and hands them over; a hidden figure never reaches a test here.
 */
import { parsePeriod } from './period'
import { poissonRateChange, proportionChange } from '../statistics'
import type { DisplacementResult } from '../statistics'

export type FollowUpStatus = 'gron' | 'gul' | 'rod'
export type Direction = 'up' | 'down' | 'hold'
export type Polarity = 'higher_is_worse' | 'higher_is_better' | 'neutral'
export type Unit = 'count' | 'rate_per_1000' | 'percent' | 'index'

/** Significance level of the change from the baseline. */
export const ALPHA = 0.05

/** One figure as the viewer may see it. */
export interface Figure {
  value: number | null
  suppressed: boolean
  numerator?: number | null
  denominator?: number | null
}

export interface ChangeTest {
  test: 'poisson' | 'proportion'
  /** Rate ratio latest/baseline (poisson) or difference in percentage points (proportion). */
  estimate: number | null
  p: number | null
  /** Latest minus baseline on the tested scale (rate per exposure, or share): its sign is the change's direction. */
  change: number
}

/**
 * The test of latest against baseline that the unit allows: counts by the exact conditional Poisson test
 * (R's poisson.test) with each period's population as exposure when both carry one, else 1 (periods of the
 * same length); survey shares with respondents by the two-proportion test (R's prop.test, correct = FALSE).
 * Otherwise no test, and why (Swedish).
 */
export function changeTest(unit: Unit, baseline: Figure, latest: Figure): ChangeTest | { test: null; why: string } {
  if (unit === 'count') {
    const [x1, x2] = [baseline.value, latest.value]
    if (x1 === null || x2 === null || x1 < 0 || x2 < 0 || !Number.isInteger(x1) || !Number.isInteger(x2)) return { test: null, why: 'antalen är inte hela tal' }
    const [n1, n2] = [baseline.denominator, latest.denominator]
    const byPopulation = n1 != null && n2 != null && n1 > 0 && n2 > 0
    const [e1, e2] = byPopulation ? [n1, n2] : [1, 1]
    const r = poissonRateChange(x1, e1, x2, e2)
    return { test: 'poisson', estimate: Number.isFinite(r.rateRatio) ? r.rateRatio : null, p: r.p, change: x2 / e2 - x1 / e1 }
  }
  if (unit === 'percent') {
    const { numerator: x1, denominator: n1 } = baseline
    const { numerator: x2, denominator: n2 } = latest
    const whole = (v: number | null | undefined): v is number => v != null && Number.isInteger(v) && v >= 0
    if (!whole(x1) || !whole(x2) || !whole(n1) || !whole(n2) || n1 === 0 || n2 === 0 || x1 > n1 || x2 > n2) {
      return { test: null, why: 'antal svarande saknas, så förändringen kan inte prövas' }
    }
    const r = proportionChange(x1, n1, x2, n2)
    return { test: 'proportion', estimate: 100 * r.difference, p: Number.isFinite(r.p) ? r.p : null, change: r.difference }
  }
  return { test: null, why: unit === 'index' ? 'ett index har inget antal att pröva' : 'en kvot utan antal och befolkning kan inte prövas' }
}

export interface StatusInput {
  baseline: number
  latest: number
  target: number
  latestPeriod: string
  targetPeriod: string
  polarity: Polarity
  /** The change as tested: its p and a number whose sign is the change's direction; null without a test. */
  test: { p: number | null; change: number } | null
}

export interface StatusResult {
  status: FollowUpStatus
  direction: Direction
  reached: boolean
}

/**
 * The status rule (README, "Utvärdering av åtgärder"):
 * - direction = sign(target − baseline): up, down, or hold when the target is the baseline. For hold the
 *   better side is the indicator's polarity (a neutral indicator must stay at the target).
 * - reached: the latest value is at or beyond the target in that direction.
 * - due: the latest period ends at or after the end of the target period.
 * In this order: grön when reached; röd when due and not reached (after the target period only reaching the
 * target counts); grön when significantly (p < 0.05) better than the baseline; röd when significantly worse
 * (for a neutral hold: any significant change); gul otherwise — no significant change yet.
 */
export function followUpStatus(i: StatusInput): StatusResult {
  const direction: Direction = i.target > i.baseline ? 'up' : i.target < i.baseline ? 'down' : 'hold'
  const better = direction === 'up' ? 1 : direction === 'down' ? -1 : i.polarity === 'higher_is_better' ? 1 : i.polarity === 'higher_is_worse' ? -1 : 0
  const reached = better > 0 ? i.latest >= i.target : better < 0 ? i.latest <= i.target : i.latest === i.target
  const latestEnd = parsePeriod(i.latestPeriod)?.end
  const targetEnd = parsePeriod(i.targetPeriod)?.end
  const due = latestEnd !== undefined && targetEnd !== undefined && latestEnd >= targetEnd
  const moved = i.test && i.test.p !== null && i.test.p < ALPHA ? Math.sign(i.test.change) : 0
  const status: FollowUpStatus = reached
    ? 'gron'
    : due
      ? 'rod'
      : moved !== 0 && better !== 0 && moved === better
        ? 'gron'
        : moved !== 0 && (better === 0 || moved === -better)
          ? 'rod'
          : 'gul'
  return { status, direction, reached }
}

const number = (v: number, decimals = 2) => v.toLocaleString('sv-SE', { maximumFractionDigits: decimals })
const pText = (p: number) => (p < 0.001 ? 'p < 0,001' : `p = ${number(p, 3)}`)

/**
 * What a displacement result says, in Swedish: whether the measure succeeded against the comparison area,
 * displacement to the buffer or diffusion of benefits (Bowers & Johnson's WDQ), the net effect, and whether
 * the weighted displacement difference is significant (Wheeler & Ratcliffe).
 */
export function interpretDisplacement(r: DisplacementResult): string {
  const parts: string[] = []
  const s = r.successMeasure
  if (s === null) parts.push('Jämförelseområdet har inga brott i en av perioderna, så kvoterna kan inte beräknas.')
  else if (s < 0) parts.push(`Åtgärdsområdet utvecklades bättre än jämförelseområdet (framgångsmått ${number(s, 3)}).`)
  else if (s > 0) parts.push(`Åtgärdsområdet utvecklades sämre än jämförelseområdet (framgångsmått ${number(s, 3)}): ingen framgång att mäta förskjutning mot.`)
  else parts.push('Åtgärdsområdet utvecklades som jämförelseområdet (framgångsmått 0): ingen framgång att mäta förskjutning mot.')
  if (s !== null && s < 0 && r.wdq !== null) {
    const q = `WDQ ${number(r.wdq)}`
    if (r.wdq > 0) parts.push(`Buffertzonen utvecklades också bättre än jämförelseområdet (${q}): spridning av positiva effekter, ingen förskjutning.`)
    else if (r.wdq === 0) parts.push(`Buffertzonen utvecklades som jämförelseområdet (${q}): varken förskjutning eller spridning.`)
    else if (r.wdq > -1) parts.push(`Buffertzonen utvecklades sämre än jämförelseområdet (${q}): viss förskjutning, men mindre än vinsten i åtgärdsområdet.`)
    else parts.push(`Buffertzonen förlorade minst lika mycket som åtgärdsområdet vann (${q}): förskjutningen tar ut effekten.`)
  }
  if (r.totalNetEffect !== null) {
    const n = Math.round(r.totalNetEffect)
    parts.push(
      n > 0
        ? `Nettoeffekt: omkring ${number(n, 0)} färre brott i åtgärdsområdet och buffertzonen än jämförelseområdets utveckling ger.`
        : n < 0
          ? `Nettoeffekt: omkring ${number(-n, 0)} fler brott i åtgärdsområdet och buffertzonen än jämförelseområdets utveckling ger.`
          : 'Nettoeffekt: ungefär så många brott som jämförelseområdets utveckling ger.',
    )
  }
  if (r.p === null) parts.push('Inga brott alls i perioderna: skillnaden kan inte prövas.')
  else {
    const sig = r.p < ALPHA
    const dir = r.wdd < 0 ? 'minskning' : r.wdd > 0 ? 'ökning' : 'förändring'
    parts.push(`Viktad förskjutningsdifferens WDD = ${number(r.wdd)} (z = ${number(r.z!)}, ${pText(r.p)}): ${sig ? `en statistiskt säkerställd ${dir}, förskjutning medräknad` : 'ingen statistiskt säkerställd förändring'}.`)
  }
  if (r.sharedControl) parts.push('Jämförelseområdet är kontroll både för åtgärdsområdet och buffertzonen.')
  return parts.join(' ')
}
