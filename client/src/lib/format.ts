import type { Hidden } from '../../../server/disclosure/cube'
import type { IndicatorDto } from '../../../server/features/indicators/indicators.schema'
import { parsePeriod } from './periods'

/**
 * Swedish number and label formatting (Intl 'sv-SE'): comma decimals, U+00A0 as thousands separator,
 * U+2212 as minus sign. Missing values are shown as an en dash. U+00A0 also keeps '1 000' and ' %' unbroken.
 */

export type Unit = IndicatorDto['unit']
/** perThousand: a count shown per 1 000 inhabitants (per 100 000 with `per`), i.e. formatted like a rate. Ignored for other units. */
export interface UnitOptions {
  perThousand?: boolean
  per?: 1000 | 100000
}

export const MISSING = '–'
const NBSP = '\u00a0'
const PER_1000 = ` per 1${NBSP}000 inv.`
const PER_100000 = ` per 100${NBSP}000 inv.`

const formatters = new Map<string, Intl.NumberFormat>()

// One formatter per (decimals, sign) combination: building Intl formatters is slow and maps format thousands.
function nf(minDecimals: number, maxDecimals: number, signed: boolean): Intl.NumberFormat {
  const key = `${minDecimals}:${maxDecimals}:${signed}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.NumberFormat('sv-SE', {
      minimumFractionDigits: minDecimals,
      maximumFractionDigits: maxDecimals,
      // 'negative' avoids '−0' when a small negative value rounds to zero.
      signDisplay: signed ? 'exceptZero' : 'negative',
    })
    formatters.set(key, f)
  }
  return f
}

/** Default decimals by magnitude: 0 from 100, 1 from 10, else 2. */
function magnitudeDecimals(v: number): number {
  const a = Math.abs(v)
  return a >= 100 ? 0 : a >= 10 ? 1 : 2
}

/** Rates and percentages: one decimal, two below 1 so small rates do not show as 0,0. */
function rateDecimals(v: number): number {
  const a = Math.abs(v)
  return a > 0 && a < 1 ? 2 : 1
}

const isRate = (unit: Unit, opts?: UnitOptions) =>
  unit === 'rate_per_1000' || (unit === 'count' && opts?.perThousand === true)

function unitSuffix(unit: Unit, opts?: UnitOptions): string {
  if (unit === 'percent') return `${NBSP}%`
  if (unit === 'count' && opts?.perThousand && opts.per === 100000) return PER_100000
  return isRate(unit, opts) ? PER_1000 : ''
}

/** Fixed decimals for rates and percentages; counts and indices as formatNumber. */
function numberFor(v: number, unit: Unit, opts: UnitOptions | undefined, signed: boolean): string {
  let text: string
  if (unit === 'percent' || isRate(unit, opts)) {
    const d = rateDecimals(v)
    text = nf(d, d, signed).format(v)
  } else {
    text = nf(0, Number.isInteger(v) ? 0 : magnitudeDecimals(v), signed).format(v)
  }
  // exceptZero leaves zero unsigned; a change is always signed.
  return signed && !/^[+−]/.test(text) ? `±${text}` : text
}

const missing = (v: number | null | undefined): v is null | undefined => v == null || !Number.isFinite(v)

/**
 * '1 234', '12,3', '4,56'. Without decimals: integers have none, others 0 (|v| ≥ 100), 1 (≥ 10) or 2,
 * trailing zeros dropped. With decimals: exactly that many.
 */
export function formatNumber(v: number | null | undefined, opts?: { decimals?: number }): string {
  if (missing(v)) return MISSING
  if (opts?.decimals !== undefined) return nf(opts.decimals, opts.decimals, false).format(v)
  return nf(0, Number.isInteger(v) ? 0 : magnitudeDecimals(v), false).format(v)
}

/** '1 234' (count), '4,5 per 1 000 inv.' (rate), '12,3 %' (percent), '0,35' (index). */
export function formatValue(v: number | null | undefined, unit: Unit, opts?: UnitOptions): string {
  if (missing(v)) return MISSING
  return numberFor(v, unit, opts, false) + unitSuffix(unit, opts)
}

/** Always signed: '+12', '−3,4 procentenheter' (a change in percent is in percentage points), '±0'. */
export function formatChange(v: number | null | undefined, unit: Unit, opts?: UnitOptions): string {
  if (missing(v)) return MISSING
  const suffix = unit === 'percent' ? ' procentenheter' : unitSuffix(unit, opts)
  return numberFor(v, unit, opts, true) + suffix
}

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december']
/** For a crowded axis: three letters, no dot ('mar 2026'). */
const MONTHS_SHORT = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec']

/**
 * The one way a period is written: '2026', 'halvår 1 2026', 'kv. 3 2026', 'mars 2026'. Anything that is
 * not a period id is returned as given.
 */
export function periodLabel(p: string): string {
  return label(p, MONTHS)
}

/** The same on a crowded axis: months in three letters, no dot ('mar 2026'); other kinds as periodLabel. */
export function periodLabelShort(p: string): string {
  return label(p, MONTHS_SHORT)
}

function label(p: string, months: readonly string[]): string {
  const parsed = parsePeriod(p)
  if (!parsed) return p
  const { kind, year, part } = parsed
  if (kind === 'year') return String(year)
  if (kind === 'half') return `halvår ${part} ${year}`
  if (kind === 'quarter') return `kv. ${part} ${year}`
  if (kind === 'week') return `v. ${part} ${year}`
  return `${months[part - 1]} ${year}`
}

/**
 * Shown instead of a suppressed value. Not '<5': a value hidden to protect another (secondary
 * suppression) may be large, and saying otherwise would be wrong and would help an attacker.
 */
export function suppressedLabel(_threshold: number): string {
  return 'dolt'
}

/** Why a value is hidden, in words, without saying which of the two reasons applies. */
export function hiddenExplanation(threshold: number): string {
  return `Dolt: färre än ${formatNumber(threshold)} fall, eller dolt för att ett annat dolt värde annars kunde räknas fram ur en summa`
}

/** For analysts: why a value they see is hidden from everyone else. */
export function hiddenOutsideLabel(why: Hidden, threshold: number): string {
  if (why === 'primary') return `Visas inte för andra: färre än ${formatNumber(threshold)} fall`
  if (why === 'secondary') return 'Visas inte för andra: döljs så att ett annat dolt värde inte kan räknas fram'
  if (why === 'release') {
    return `Visas inte för andra: en publicerad lägesbild dolde det, eller visade det och det har sedan ändrats med färre än ${formatNumber(threshold)} fall (ändringen kunde annars räknas fram)`
  }
  if (why === 'unpublished') return unpublishedNote(threshold)
  return 'Visas inte för andra ännu: granskningen mot röjande efter den senaste importen pågår'
}

/** For everyone: this layer is not published for the period, since nearly all of it would be hidden. */
export function unpublishedNote(threshold: number): string {
  return `Indelningen publiceras inte för perioden: nästan alla områden har färre än ${formatNumber(threshold)} fall. Välj en grövre indelning eller en längre period.`
}

/** For everyone: some figures are withheld until the disclosure audit of new data has finished. */
export const PENDING_AUDIT_NOTE = 'Några värden granskas ännu mot röjande efter den senaste importen och visas om en stund.'

/** 'antal', 'procent', 'per 1 000 invånare', 'index'. */
export function unitLabel(unit: Unit, opts?: UnitOptions): string {
  if (unit === 'count' && opts?.perThousand && opts.per === 100000) return `per 100${NBSP}000 invånare`
  if (isRate(unit, opts)) return `per 1${NBSP}000 invånare`
  return unit === 'count' ? 'antal' : unit === 'percent' ? 'procent' : 'index'
}

/**
 * A legend class: '12,3–15,0 %', both ends with the same decimals (as formatValue would choose for the
 * larger end, unless given). Spaced dash when an end is negative ('−3,0 – −1,0'); one number when both
 * ends read the same (a class of values tied at the maximum).
 */
export function legendRangeLabel(lo: number, hi: number, unit: Unit, opts?: UnitOptions & { decimals?: number }): string {
  const big = Math.max(Math.abs(lo), Math.abs(hi))
  const d =
    opts?.decimals ??
    (unit === 'percent' || isRate(unit, opts)
      ? rateDecimals(big)
      : Number.isInteger(lo) && Number.isInteger(hi)
        ? 0
        : magnitudeDecimals(big))
  const a = nf(d, d, false).format(lo)
  const b = nf(d, d, false).format(hi)
  const range = a === b ? a : a.startsWith('−') || b.startsWith('−') ? `${a} – ${b}` : `${a}–${b}`
  return range + unitSuffix(unit, opts)
}

/** A count with its noun in the right number: "1 åtgärd", "3 åtgärder". */
export const countOf = (n: number, singular: string, plural: string) => `${formatNumber(n)} ${n === 1 ? singular : plural}`

/** A reason the server gives in lower case ("målet visas inte: …") as a sentence. */
export const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
