/**
 * Tables (one layer's areas for one period) that are not published outside the analyst role because nearly
 * all of their cells would be hidden: a month of 1 147 hexagons of which 2 reach the threshold. Hidden whole,
 * such a table tells anyone only what its boundaries tell, so it leaves the disclosure problem: its cells
 * and every sum and inequality holding one of them. That is what keeps the LP audit of a sparse import in
 * seconds (thousands of variables a witness proves one at a time). Pure: no db, no http.
 */
import { cellKey, CITY, type DerivedCells, type Unit } from '../core/derivation'
import { needsSuppression } from './primary'

/** Only tables of at least this many cells are considered (the area hierarchy's never are). */
export const UNPUBLISHED_MIN_CELLS = 100
/**
 * A table is not published where fewer than this share of its cells reach the threshold. At 1 % the LP audit
 * with the overlay took minutes on a year of DeSO months of which 1.6 % reached it (a 17 000-variable block);
 * at 5 % the same cube takes seconds, and the tables it leaves out would show at most one cell in twenty.
 */
export const UNPUBLISHED_BELOW_SHARE = 0.05

/**
 * The tables (`${layer}|${period}`, as in DerivedCells.byLayerPeriod) not to publish: at least
 * UNPUBLISHED_MIN_CELLS cells, fewer than UNPUBLISHED_BELOW_SHARE of them at or above the threshold (not
 * primary), and none shown in an earlier release (what was published stays in what the audit holds).
 * A function of the figures and the releases alone.
 */
export function unpublishedTables(input: {
  unit: Unit
  threshold: number
  derived: DerivedCells
  /** Earlier published releases: a table any of them showed a cell of stays published. */
  releases?: ReadonlyArray<{ cells: ReadonlyArray<{ key: string; shown: boolean }> }>
}): Set<string> {
  const out = new Set<string>()
  if (input.unit === 'index') return out
  const shownBefore = new Set(input.releases?.flatMap((r) => r.cells.filter((c) => c.shown).map((c) => c.key)))
  for (const [table, cells] of input.derived.byLayerPeriod) {
    if (table.startsWith(`${CITY}|`) || cells.length < UNPUBLISHED_MIN_CELLS) continue
    let reach = 0
    for (const c of cells) if (!needsSuppression(input.unit, input.threshold, c)) reach++
    if (reach >= UNPUBLISHED_BELOW_SHARE * cells.length) continue
    if (shownBefore.size && cells.some((c) => shownBefore.has(cellKey(c.area, c.period)))) continue
    out.add(table)
  }
  return out
}

/** The derived cells without those tables' cells (a period an area is left with no cell in is not its period). */
export function withoutTables(derived: DerivedCells, tables: ReadonlySet<string>): { derived: DerivedCells; removed: string[] } {
  if (tables.size === 0) return { derived, removed: [] }
  const cells = new Map(derived.cells)
  const byLayerPeriod = new Map(derived.byLayerPeriod)
  const periodsOf = new Map(derived.periodsOf)
  const removed: string[] = []
  for (const table of tables) {
    for (const c of byLayerPeriod.get(table) ?? []) {
      const key = cellKey(c.area, c.period)
      cells.delete(key)
      removed.push(key)
      const periods = new Set(periodsOf.get(c.area))
      periods.delete(c.period)
      if (periods.size) periodsOf.set(c.area, periods)
      else periodsOf.delete(c.area)
    }
    byLayerPeriod.delete(table)
  }
  return { derived: { cells, byLayerPeriod, periodsOf }, removed }
}
