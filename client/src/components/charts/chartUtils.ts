import { scaleLinear } from 'd3'

export type Format = (v: number) => string

export const defaultFormat: Format = (v) => String(v)

export const SUPPRESSED_TEXT = 'Dold (för få)'
export const MISSING_TEXT = 'Uppgift saknas'

/** Neutral defaults: callers own the palette, these only apply when they pass nothing. */
export const NEUTRAL_COLOR = '#4f6478'
export const REFERENCE_COLOR = '#6e7781'

// Average advance of an 11px system-ui glyph: we reserve room for labels without measuring the DOM,
// so server-side rendering gives the same layout as the browser.
const CHAR_WIDTH = 6.6

export function textWidth(text: string): number {
  return text.length * CHAR_WIDTH
}

export function truncate(text: string, maxWidth: number): string {
  const maxChars = Math.max(1, Math.floor(maxWidth / CHAR_WIDTH))
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`
}

/** A suppressed figure is never drawn, even if the value leaked through. */
export function visibleValue(d: { value: number | null; suppressed?: boolean }): number | null {
  return d.suppressed ? null : d.value
}

export function hasCi(d: { ciLow?: number | null; ciHigh?: number | null; suppressed?: boolean }): boolean {
  return !d.suppressed && d.ciLow != null && d.ciHigh != null
}

/** Linear domain that always contains zero (bars and levels are read from zero), rounded by d3. */
export function niceDomain(values: Iterable<number>): [number, number] {
  let lo = 0
  let hi = 0
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo === hi) hi = lo + 1
  const [a = lo, b = hi] = scaleLinear().domain([lo, hi]).nice().domain()
  return [a, b]
}

export interface AxisLabel {
  /** Index of the tick the label belongs to. */
  i: number
  /** Centre of the text, moved inwards where it would stick out of [lo, hi]. */
  x: number
  text: string
}

/**
 * The labels of evenly spaced ticks at `xs` that fit: every step-th, counted from the end so the latest
 * always shows, each kept within [lo, hi], and any that would still come within `gap` of the next dropped.
 */
export function axisLabels(xs: readonly number[], texts: readonly string[], lo: number, hi: number, gap = 8): AxisLabel[] {
  const n = xs.length
  if (n === 0) return []
  const widths = texts.map(textWidth)
  const spacing = n > 1 ? Math.abs(xs[1]! - xs[0]!) : Infinity
  const step = Math.max(1, Math.ceil((Math.max(...widths) + gap) / spacing))
  const kept: Array<AxisLabel & { w: number }> = []
  for (let i = n - 1; i >= 0; i -= step) {
    const w = widths[i]!
    const x = Math.max(lo + w / 2, Math.min(hi - w / 2, xs[i]!))
    const right = kept.at(-1)
    if (right && x + w / 2 + gap > right.x - right.w / 2) continue
    kept.push({ i, x, text: texts[i]!, w })
  }
  return kept.reverse().map(({ i, x, text }) => ({ i, x, text }))
}

/** Does every label fit beside its neighbours at this tick spacing, none left out? */
export function labelsFit(texts: readonly string[], spacing: number, gap = 8): boolean {
  return texts.length < 2 || Math.max(...texts.map(textWidth)) + gap <= spacing
}

/** Text for a value in tables and descriptions: suppression and missing data are said in words. */
export function valueText(
  d: { value: number | null; suppressed?: boolean; ciLow?: number | null; ciHigh?: number | null },
  format: Format,
): string {
  if (d.suppressed) return SUPPRESSED_TEXT
  if (d.value == null) return MISSING_TEXT
  const ci = hasCi(d) ? ` (${format(d.ciLow ?? 0)}–${format(d.ciHigh ?? 0)})` : ''
  return format(d.value) + ci
}

export function tableClass(showTable: boolean | undefined): string {
  // On the table's wrapper: a table grows to its content whatever its width, a hidden one would widen the page.
  return showTable ? 'table-scroll' : 'chart-sr-only'
}
