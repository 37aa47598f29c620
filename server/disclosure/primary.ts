/**
 * Primary suppression (DESIGN.md, privacy rule 2): a count below the indicator's threshold, and every
 * rate or share built on one, is published as null. Pure: no db, no http.
 * Secondary suppression (stopping recovery by subtraction) is applied on top of this where totals are shown.
 */
export type Unit = 'count' | 'rate_per_1000' | 'percent' | 'index'

export interface Cell {
  value: number | null
  numerator: number | null
  denominator: number | null
  ciLow: number | null
  ciHigh: number | null
}

export interface Disclosed extends Cell {
  suppressed: boolean
}

/** Is this cell built on a count below the threshold? Index values and cells without a count basis are not. */
export function needsSuppression(unit: Unit, threshold: number, cell: Cell): boolean {
  if (unit === 'count') {
    const count = cell.numerator ?? cell.value
    return count !== null && count < threshold
  }
  if (unit === 'index') return false
  if (cell.numerator !== null && cell.numerator < threshold) return true
  // A share of a tiny group discloses its members too.
  return cell.denominator !== null && cell.denominator < threshold
}

/**
 * Hides value, numerator and interval of a suppressed cell (the interval would give the value away).
 * The denominator stays: for counts it is the population, which is public. `hiddenBySecondary` hides a
 * cell that secondary suppression chose, whatever its own count.
 */
export function disclose(unit: Unit, threshold: number, cell: Cell, hiddenBySecondary = false): Disclosed {
  if (!hiddenBySecondary && !needsSuppression(unit, threshold, cell)) return { ...cell, suppressed: false }
  const keepDenominator = unit === 'count' || (cell.denominator !== null && cell.denominator >= threshold)
  return { value: null, numerator: null, denominator: keepDenominator ? cell.denominator : null, ciLow: null, ciHigh: null, suppressed: true }
}
