import type { IndicatorDto } from '../../lib/api'

/** A round of the cycle: the city as a whole, a stadsområde or a lokalpolisområde. */
export interface Perspective {
  /** null: the city as a whole. */
  id: number | null
  name: string
  layer: 'staden' | 'stadsomrade' | 'lokalpolisomrade'
}

/** What the problem areas need to name things: indicators and areas by id. */
export interface Names {
  indicator(id: string): IndicatorDto | undefined
  area(id: number | null): string
}
