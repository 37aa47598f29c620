/**
 * The Trygg i-hjulet as geometry: n steps as ring segments clockwise from the top, each with a place for
 * its number (in the ring) and its name (outside it). Pure: no React, no DOM.
 */

export interface WheelOptions {
  /** Outer and inner radius of the ring. */
  outer: number
  inner: number
  /** The gap between neighbouring segments, as an angle in radians. */
  gap: number
  /** How far outside the ring a name starts. */
  labelOffset: number
}

export const WHEEL: WheelOptions = { outer: 110, inner: 62, gap: 0.05, labelOffset: 14 }

export interface WheelSegment {
  index: number
  /** Radians, clockwise from the top (0 = 12 o'clock). */
  start: number
  end: number
  /** The SVG path of the ring segment, centred on 0,0. */
  path: string
  /** Where the step's number goes: the middle of the segment. */
  number: { x: number; y: number }
  /** Where the name goes, and which way it runs from there. */
  label: { x: number; y: number; anchor: 'start' | 'middle' | 'end' }
}

const round = (v: number) => Math.round(v * 100) / 100
/** A point at `angle` (clockwise from the top) and radius `r`. */
export const polar = (angle: number, r: number) => ({ x: round(r * Math.sin(angle)), y: round(-r * Math.cos(angle)) })

/** The ring cut into `n` equal segments, the first starting at the top. */
export function wheelSegments(n: number, o: WheelOptions = WHEEL): WheelSegment[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`wheelSegments: n must be a whole number ≥ 0, got ${n}`)
  if (!(o.inner >= 0 && o.outer > o.inner)) throw new Error('wheelSegments: the outer radius must be larger than the inner')
  const step = (2 * Math.PI) / Math.max(n, 1)
  const gap = n > 1 ? Math.min(o.gap, step / 4) : 0
  return Array.from({ length: n }, (_, i) => {
    // A single step is a whole ring less a hair, so the arcs still have two distinct ends.
    const start = i * step + gap / 2
    const end = n === 1 ? 2 * Math.PI - 1e-3 : (i + 1) * step - gap / 2
    const large = end - start > Math.PI ? 1 : 0
    const [a, b, c, d] = [polar(start, o.outer), polar(end, o.outer), polar(end, o.inner), polar(start, o.inner)]
    const path = `M${a.x} ${a.y}A${o.outer} ${o.outer} 0 ${large} 1 ${b.x} ${b.y}L${c.x} ${c.y}A${o.inner} ${o.inner} 0 ${large} 0 ${d.x} ${d.y}Z`
    const mid = (start + end) / 2
    const label = polar(mid, o.outer + o.labelOffset)
    const sin = Math.sin(mid)
    const anchor = Math.abs(sin) < 0.2 ? 'middle' : sin > 0 ? 'start' : 'end'
    return { index: i, start, end, path, number: polar(mid, (o.outer + o.inner) / 2), label: { ...label, anchor } }
  })
}

/** A name in lines of at most `max` characters, broken between words (a longer word keeps its own line); at most `lines` lines, the last one ending in … if cut. */
export function wrapLabel(text: string, max = 16, lines = 2): string[] {
  const out: string[] = []
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const last = out.at(-1)
    if (last !== undefined && `${last} ${word}`.length <= max) out[out.length - 1] = `${last} ${word}`
    else out.push(word)
  }
  if (out.length <= lines) return out
  // The last line takes what is left, cut where it no longer fits.
  const tail = out.slice(lines - 1).join(' ')
  return [...out.slice(0, lines - 1), `${tail.slice(0, max - 1).trimEnd()}…`]
}
