import {
  schemeBrBG,
  schemeOrRd,
  schemePiYG,
  schemePuBu,
  schemePuOr,
  schemePurples,
  schemeRdBu,
  schemeYlGnBu,
  schemeYlOrRd,
} from 'd3'
import type { IndicatorDto } from '../../../server/features/indicators/indicators.schema'

export type PaletteKind = 'sequential' | 'diverging'
export type Polarity = IndicatorDto['polarity']

export interface Palette {
  id: string
  /** Swedish, shown in the palette picker. */
  label: string
  kind: PaletteKind
  /** k colours '#rrggbb' (k = 1..9): light → dark for sequential, d3's low → high order for diverging. */
  colors(k: number): string[]
}

/** Grey for areas without a value; Greys is left out of PALETTES so no class colour can equal these. */
export const NO_DATA_COLOR = '#d9d9d9'
export const SUPPRESSED_COLOR = '#bdbdbd'

type Scheme = readonly (readonly string[])[]

const MAX_CLASSES = 9

/** d3 has each scheme for k = 3..9; k = 2 takes the ends of the 3-class scheme, k = 1 its middle. */
function fromScheme(scheme: Scheme, k: number): string[] {
  if (!Number.isInteger(k) || k < 1 || k > MAX_CLASSES) {
    throw new RangeError(`Number of colours must be an integer from 1 to ${MAX_CLASSES}, got ${k}`)
  }
  const three = scheme[3]!
  const colors = k === 1 ? [three[1]!] : k === 2 ? [three[0]!, three[2]!] : [...scheme[k]!]
  return colors.map((c) => c.toLowerCase())
}

function palette(id: string, label: string, kind: PaletteKind, scheme: Scheme): Palette {
  return { id, label, kind, colors: (k) => fromScheme(scheme, k) }
}

// Only schemes ColorBrewer marks colour-blind safe.
export const PALETTES: Palette[] = [
  palette('YlOrRd', 'Gul–orange–röd', 'sequential', schemeYlOrRd),
  palette('OrRd', 'Orange–röd', 'sequential', schemeOrRd),
  palette('PuBu', 'Lila–blå', 'sequential', schemePuBu),
  palette('YlGnBu', 'Gul–grön–blå', 'sequential', schemeYlGnBu),
  palette('Purples', 'Lila', 'sequential', schemePurples),
  palette('RdBu', 'Röd–blå', 'diverging', schemeRdBu),
  palette('PuOr', 'Lila–orange', 'diverging', schemePuOr),
  palette('BrBG', 'Brun–blågrön', 'diverging', schemeBrBG),
  palette('PiYG', 'Rosa–grön', 'diverging', schemePiYG),
]

/**
 * Which end of each diverging scheme (in d3's order) is the warm, alarming colour.
 * d3 orders RdBu red → blue but PuOr purple → orange.
 */
const WARM_END: Readonly<Record<string, 'low' | 'high'>> = { RdBu: 'low', PuOr: 'high', BrBG: 'low', PiYG: 'low' }

const DEFAULT_SEQUENTIAL = PALETTES[0]!

export function getPalette(id: string): Palette {
  return PALETTES.find((p) => p.id === id) ?? DEFAULT_SEQUENTIAL
}

/**
 * Diverging colours ordered low → high (decrease → increase) so that the warm end marks the bad direction:
 * for higher_is_worse an increase is warm (RdBu: blue → red), for higher_is_better a decrease is
 * (RdBu: red → blue). Neutral (an aktivitet) has no bad direction: the scheme's own order. Sequential
 * palettes are returned unchanged.
 */
export function divergingColors(p: Palette, k: number, polarity: Polarity): string[] {
  const colors = p.colors(k)
  if (p.kind !== 'diverging' || polarity === 'neutral') return colors
  const warmHigh = (WARM_END[p.id] ?? 'low') === 'high'
  return warmHigh === (polarity === 'higher_is_worse') ? colors : colors.reverse()
}

/**
 * Values: yellow–red where high is bad, purple–blue where high is good (so good news is not alarm red),
 * plain purple where it is neither (an aktivitet: more controls are not worse).
 * Change: RdBu, to be coloured with divergingColors for the polarity; brown–blue-green, without the alarm red, for neutral.
 */
export function defaultPalette(opts: { polarity: Polarity; mode: 'value' | 'change' }): Palette {
  if (opts.mode === 'change') return getPalette(opts.polarity === 'neutral' ? 'BrBG' : 'RdBu')
  return getPalette(opts.polarity === 'higher_is_worse' ? 'YlOrRd' : opts.polarity === 'neutral' ? 'Purples' : 'PuBu')
}
