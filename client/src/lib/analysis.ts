/**
 * Hot spot and cluster classes on the map: their order, colours and Swedish labels. Pure, unit-tested.
 * Colours: ColorBrewer RdBu for Gi* (hot red, cold blue), the usual GeoDa LISA colours for clusters;
 * emerging hot spots keep hot in reds, oranges, pinks and tan and cold in blues, violet and teals, each
 * class a hue or lightness of its own; the darkest are the new ones, the palest those fading (diminishing).
 */
import { comparePeriods, periodKindOf } from './periods'
import type { Analysis } from './viewState'

export interface Category {
  id: string
  label: string
  color: string
}

const NO_NEIGHBOURS: Category = { id: 'no_neighbours', label: 'Inga grannar (ingen statistik)', color: '#ffffff' }

export const CATEGORIES: Record<Exclude<Analysis, 'none'>, Category[]> = {
  gistar: [
    { id: 'hot99', label: 'Hot spot, 99 % säkerhet', color: '#b2182b' },
    { id: 'hot95', label: 'Hot spot, 95 %', color: '#ef8a62' },
    { id: 'hot90', label: 'Hot spot, 90 %', color: '#fddbc7' },
    { id: 'ns', label: 'Inte signifikant', color: '#e6e6e6' },
    { id: 'cold90', label: 'Cold spot, 90 %', color: '#d1e5f0' },
    { id: 'cold95', label: 'Cold spot, 95 %', color: '#67a9cf' },
    { id: 'cold99', label: 'Cold spot, 99 % säkerhet', color: '#2166ac' },
    NO_NEIGHBOURS,
  ],
  emerging: [
    { id: 'new_hot', label: 'Ny het punkt', color: '#67000d' },
    { id: 'consecutive_hot', label: 'Sammanhängande het punkt', color: '#ce1256' },
    { id: 'intensifying_hot', label: 'Intensifierande het punkt', color: '#e31a1c' },
    { id: 'persistent_hot', label: 'Ihållande het punkt', color: '#fb6a4a' },
    { id: 'diminishing_hot', label: 'Avtagande het punkt', color: '#fcbba1' },
    { id: 'sporadic_hot', label: 'Sporadisk het punkt', color: '#fe9929' },
    { id: 'oscillating_hot', label: 'Oscillerande het punkt', color: '#f768a1' },
    { id: 'historical_hot', label: 'Historisk het punkt', color: '#d8b365' },
    { id: 'no_pattern', label: 'Inget mönster', color: '#f2f2f2' },
    { id: 'new_cold', label: 'Ny kall punkt', color: '#08306b' },
    { id: 'consecutive_cold', label: 'Sammanhängande kall punkt', color: '#3f007d' },
    { id: 'intensifying_cold', label: 'Intensifierande kall punkt', color: '#2171b5' },
    { id: 'persistent_cold', label: 'Ihållande kall punkt', color: '#6baed6' },
    { id: 'diminishing_cold', label: 'Avtagande kall punkt', color: '#c6dbef' },
    { id: 'sporadic_cold', label: 'Sporadisk kall punkt', color: '#41b6c4' },
    { id: 'oscillating_cold', label: 'Oscillerande kall punkt', color: '#016c59' },
    { id: 'historical_cold', label: 'Historisk kall punkt', color: '#9e9ac8' },
    NO_NEIGHBOURS,
  ],
  lisa: [
    { id: 'HH', label: 'Hög–hög (kluster av höga värden)', color: '#d7191c' },
    { id: 'LL', label: 'Låg–låg (kluster av låga värden)', color: '#2c7bb6' },
    { id: 'HL', label: 'Hög–låg (högt bland låga)', color: '#fdae61' },
    { id: 'LH', label: 'Låg–hög (lågt bland höga)', color: '#abd9e9' },
    { id: 'ns', label: 'Ej signifikant', color: '#e6e6e6' },
    NO_NEIGHBOURS,
  ],
}

/** The class index of each area (null: no value, drawn as missing) and the colours in class order. */
export function categoryStates(analysis: Exclude<Analysis, 'none'>, values: ReadonlyArray<{ areaId: number; class: string }>) {
  const cats = CATEGORIES[analysis]
  const index = new Map(cats.map((c, i) => [c.id, i]))
  const states = new Map<number, number | null>()
  for (const v of values) states.set(v.areaId, index.get(v.class) ?? null)
  return { states, colors: cats.map((c) => c.color) }
}

/** The categories that occur, in legend order, with how many areas each. */
export function categoryCounts(analysis: Exclude<Analysis, 'none'>, values: ReadonlyArray<{ class: string }>) {
  return CATEGORIES[analysis].map((c) => ({ ...c, count: values.filter((v) => v.class === c.id).length })).filter((c) => c.count > 0)
}

/** The change map's extra class: a difference the test cannot tell from chance. */
export const NOT_SIGNIFICANT_CHANGE: Category = { id: 'ns', label: 'Ingen säker förändring (p ≥ 0,05)', color: '#f1eadb' }

export const ANALYSIS_LABELS: Record<Analysis, string> = {
  none: 'Ingen',
  gistar: 'Hot spots (Getis–Ord Gi*)',
  lisa: 'Kluster (lokal Moran’s I, LISA)',
  emerging: 'Framväxande heta punkter',
}

/** The periods an emerging hot spot analysis looks back over by default. */
export const EMERGING_DEFAULT_PERIODS = 12

/** The fewest periods the server runs an emerging hot spot analysis over (EMERGING_MIN_PERIODS there). */
export const EMERGING_MIN_PERIODS = 6

/**
 * The first period of an emerging hot spot analysis that ends at `to`: the chosen one if it is held, of
 * `to`'s kind and leaves at least six periods, else the twelfth held period of that kind back (or the
 * first). Also the possible choices, oldest first; from is null when fewer than six periods are held.
 */
export function emergingRange(periods: readonly string[], to: string | null, since: string | null): { from: string | null; choices: string[] } {
  if (!to) return { from: null, choices: [] }
  const kind = periodKindOf(to)
  const upTo = periods.filter((p) => periodKindOf(p) === kind && comparePeriods(p, to) <= 0).sort(comparePeriods)
  const choices = upTo.slice(0, Math.max(0, upTo.length - EMERGING_MIN_PERIODS + 1))
  if (!choices.length) return { from: null, choices }
  const from = since && choices.includes(since) ? since : upTo[Math.max(0, upTo.length - EMERGING_DEFAULT_PERIODS)]!
  return { from, choices }
}

export const SMOOTH_LABELS = {
  none: 'Råa tal',
  eb: 'Empirisk Bayes (global)',
  seb: 'Empirisk Bayes (lokal, grannarna)',
} as const

/** Why a smoothed rate differs from the raw one, in a sentence. */
export const SMOOTH_NOTE =
  'Utjämnade tal drar små områdens tal mot stadens (global) eller grannarnas (lokal) nivå: ju färre invånare, desto mer. Det råa talet i ett litet område kan slumpa högt eller lågt; skillnaden visar hur mycket.'
