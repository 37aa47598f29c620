/**
 * Hot spot and cluster classes on the map: their order, colours and Swedish labels. Pure, unit-tested.
 * Colours: ColorBrewer RdBu for Gi* (hot red, cold blue), the usual GeoDa LISA colours for clusters.
 */
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
}

export const SMOOTH_LABELS = {
  none: 'Råa tal',
  eb: 'Empirisk Bayes (global)',
  seb: 'Empirisk Bayes (lokal, grannarna)',
} as const

/** Why a smoothed rate differs from the raw one, in a sentence. */
export const SMOOTH_NOTE =
  'Utjämnade tal drar små områdens tal mot stadens (global) eller grannarnas (lokal) nivå: ju färre invånare, desto mer. Det råa talet i ett litet område kan slumpa högt eller lågt; skillnaden visar hur mycket.'
