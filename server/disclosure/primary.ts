/**
 * Primary suppression (DESIGN.md, privacy rule 2): a count below the indicator's threshold, and every
 * rate or share built on one, is published as null. Pure: no db, no http.
 * Secondary suppression (stopping recovery by subtraction) is applied on top of this where totals are shown.
 */
export type Unit = 'count' | 'rate_per_1000' | 'percent' | 'index'

/**
 * Whether a zero of this indicator holds nobody, so that the LP audit's rule need not hold it (tau-Argus
 * treats empty cells as safe by default; sdcTable protects zeros only with allowZeros). True for counts of
 * events: crimes and the police's or the city's actions (categories brott and aktivitet; a rate's numerator
 * is such a count). Not for a share (0 with the attribute says it of everyone in the group), nor for a count
 * of people with an attribute (a risk or protective factor), whose 0 says the same of everyone in the area.
 */
export function zerosHoldNobody(unit: Unit, category: string): boolean {
  return (unit === 'count' || unit === 'rate_per_1000') && (category === 'brott' || category === 'aktivitet')
}

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

/**
 * Is this cell built on a count below the threshold? Index values and cells without a count basis are not.
 * A share (percent) with a numerator and a denominator is a two-column frequency table, those with the
 * attribute and those without: it needs suppression when either group is below the threshold (so
 * "1 of 1 pupil" and "39 of 40" are both hidden; a denominator below the threshold follows from this).
 */
export function needsSuppression(unit: Unit, threshold: number, cell: Cell): boolean {
  if (unit === 'count') {
    const count = cell.numerator ?? cell.value
    return count !== null && count < threshold
  }
  if (unit === 'index') return false
  if (cell.numerator !== null && cell.numerator < threshold) return true
  if (unit === 'percent' && cell.numerator !== null && cell.denominator !== null && cell.denominator - cell.numerator < threshold) return true
  // A share of a tiny group discloses its members too.
  return cell.denominator !== null && cell.denominator < threshold
}

/**
 * Hides value, numerator and interval of a suppressed cell (the interval would give the value away).
 * The denominator of a count or a rate stays: it is the population, which is public. A share's
 * denominator is a count of people like its numerator (pupils, respondents) and is hidden with it:
 * the two would otherwise give the count without the attribute. `hiddenBySecondary` hides a cell that
 * secondary suppression chose, whatever its own count.
 */
export function disclose(unit: Unit, threshold: number, cell: Cell, hiddenBySecondary = false): Disclosed {
  if (!hiddenBySecondary && !needsSuppression(unit, threshold, cell)) return { ...cell, suppressed: false }
  const keepDenominator = unit === 'count' || (unit !== 'percent' && cell.denominator !== null && cell.denominator >= threshold)
  return { value: null, numerator: null, denominator: keepDenominator ? cell.denominator : null, ciLow: null, ciHigh: null, suppressed: true }
}
