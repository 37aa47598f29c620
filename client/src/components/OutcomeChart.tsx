import { TrendChart, type TrendPoint } from './charts'
import { formatNumber } from '../lib/format'
import { coarserKind, periodContaining, periodKindOf, type PeriodKind } from '../lib/periods'

/** A follow-up as the chart draws it: the baseline as computed from the data, null where hidden or missing; the target null where withheld. */
export interface FollowUpLine {
  baselinePeriod: string
  baselineValue: number | null
  target: number | null
  targetPeriod: string
}

/**
 * The kind of period a follow-up is read in: that of its baseline and target, or the coarser of the two
 * when they differ (a target of 2026-Q4 after a baseline year shows in years, as 2026).
 */
export function followUpKind(f: Pick<FollowUpLine, 'baselinePeriod' | 'targetPeriod'>): PeriodKind | null {
  const [b, t] = [periodKindOf(f.baselinePeriod), periodKindOf(f.targetPeriod)]
  return b && t ? coarserKind(b, t) : (b ?? t)
}

/**
 * A measure's outcome in its area against the line from baseline to target (or the target alone), in
 * `periodKind` (the kind of the outcome's points): baseline and target are placed in the periods that hold them.
 */
export function OutcomeChart(p: {
  title: string
  points: TrendPoint[]
  followUp: FollowUpLine
  periodKind: PeriodKind | null
  width: number
  height?: number
  testId: string
}) {
  const f = p.followUp
  const at = (period: string) => (p.periodKind ? periodContaining(period, p.periodKind) : period)
  const [baseline, target] = [at(f.baselinePeriod), at(f.targetPeriod)]
  // A withheld target (too few to show) and a hidden baseline leave no line to draw.
  const reference = [
    ...(f.baselineValue === null || baseline === null ? [] : [{ period: baseline, value: f.baselineValue }]),
    ...(target === null || f.target === null ? [] : [{ period: target, value: f.target }]),
  ]
  return (
    <TrendChart
      title={p.title}
      series={[{ id: 'utfall', label: 'Utfall', color: '#0072b2', points: p.points }]}
      reference={reference.length > 0 ? { id: 'mal', label: f.target === null ? 'Utgångsvärde (målet visas inte)' : f.baselineValue === null ? 'Mål' : 'Från utgångsvärde till mål', color: '#d55e00', points: reference } : undefined}
      periodKind={p.periodKind ?? undefined}
      width={p.width}
      height={p.height}
      format={(v) => formatNumber(v)}
      testId={p.testId}
    />
  )
}
