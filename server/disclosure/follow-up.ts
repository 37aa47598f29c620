/**
 * A measure's follow-up outside the analyst role (issues 20 and 21): its baseline, target and direction
 * follow the rule of every other figure. A target is typed by people, often as a share of the baseline
 * (round(baseline × 0.8)), so it gives a hidden baseline away; and a target that is itself a count below
 * the threshold is such a count. Pure: no db, no http. Live routes and frozen snapshots both apply it.
 */
import { needsSuppression, type Unit } from './primary'

export const WITHHELD_HIDDEN_BASELINE = 'målet visas inte: utgångsvärdet är dolt (för få för att visas), och målet skulle avslöja det'
export const WITHHELD_SMALL_TARGET = 'målet visas inte: målvärdet är ett antal under publiceringsgränsen'

export interface FollowUpBaseline {
  /** Hidden from outsiders (primary or secondary suppression). */
  suppressed: boolean
}

/**
 * Whether an outsider may see a follow-up's target: null when they may, else why not (Swedish).
 * `baselines`: the baseline figure in each of the measure's areas, as outsiders see it; one hidden area
 * is enough, since the one target stands beside every area's row.
 */
export function targetWithheld(unit: Unit, threshold: number, target: number | null, baselines: readonly FollowUpBaseline[]): string | null {
  if (baselines.some((b) => b.suppressed)) return WITHHELD_HIDDEN_BASELINE
  if (target !== null && needsSuppression(unit, threshold, { value: target, numerator: null, denominator: null, ciLow: null, ciHigh: null })) return WITHHELD_SMALL_TARGET
  return null
}

/** A follow-up as a non-analyst sees it: the target null with the reason, or as it was. */
export function discloseFollowUp<F extends { target: number | null }>(f: F, withheld: string | null): F & { targetWithheld?: string } {
  return withheld === null ? f : { ...f, target: null, targetWithheld: withheld }
}

/** The parts of an evaluation row the rule touches; the status and direction are read against the target. */
export interface TargetRow {
  target: number | null
  targetWithheld?: string
  direction: string | null
  status: string | null
  reason: string | null
}

/** An evaluation row without its target, and without what is read against it (direction, status). */
export function withholdRow<R extends TargetRow>(row: R, withheld: string): R {
  return { ...row, target: null, targetWithheld: withheld, direction: null, status: null, reason: row.reason ?? withheld }
}

interface FrozenFollowUp {
  indicatorId: string
  baselinePeriod: string
  target: number | null
  targetPeriod: string
}
interface FrozenRow extends TargetRow {
  indicatorId: string
  unit?: Unit
  targetPeriod: string
  baseline: { period: string; suppressed: boolean }
}
interface FrozenMeasure {
  followUp?: FrozenFollowUp[]
  evaluation?: { indicators?: FrozenRow[] } | null
}

/**
 * The same rule on a frozen lägesbild's measures (priorities.measures), from what was frozen with them:
 * the baselines as the public saw them, and the indicators' units and thresholds then. Lägesbilder
 * frozen before the rule existed carry their targets as typed; this withholds them when read.
 * `indicator`: the frozen unit and threshold of an indicator, or null when the snapshot does not hold it.
 */
export function discloseFrozenMeasures(priorities: Record<string, unknown>, indicator: (id: string) => { unit: Unit; threshold: number } | null, defaultThreshold: number): Record<string, unknown> {
  const measures = priorities.measures
  if (!Array.isArray(measures)) return priorities
  return {
    ...priorities,
    measures: (measures as FrozenMeasure[]).map((m) => {
      const rows = m.evaluation?.indicators ?? []
      const why = (indicatorId: string, baselinePeriod: string, target: number | null, unit?: Unit) => {
        const info = indicator(indicatorId)
        const same = rows.filter((r) => r.indicatorId === indicatorId && r.baseline.period === baselinePeriod)
        return targetWithheld(info?.unit ?? unit ?? same[0]?.unit ?? 'count', info?.threshold ?? defaultThreshold, target, same.map((r) => r.baseline))
      }
      const withheld = new Map<string, string | null>()
      const key = (f: { indicatorId: string; targetPeriod: string }, baselinePeriod: string) => `${f.indicatorId}|${baselinePeriod}|${f.targetPeriod}`
      const followUp = m.followUp?.map((f) => {
        const w = f.target === null ? null : why(f.indicatorId, f.baselinePeriod, f.target)
        withheld.set(key(f, f.baselinePeriod), w)
        return discloseFollowUp(f, w)
      })
      const evaluation = m.evaluation && {
        ...m.evaluation,
        indicators: rows.map((r) => {
          const w = withheld.get(key(r, r.baseline.period)) ?? (r.target === null ? null : why(r.indicatorId, r.baseline.period, r.target, r.unit))
          return w === null ? r : withholdRow(r, w)
        }),
      }
      return { ...m, ...(followUp ? { followUp } : {}), ...(m.evaluation ? { evaluation } : {}) }
    }),
  }
}
