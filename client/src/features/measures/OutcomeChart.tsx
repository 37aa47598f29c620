import { TrendChart, type TrendPoint } from '../charts'
import { formatNumber } from '../../lib/format'

/** A follow-up as the chart draws it; a baseline withheld from a published snapshot is null. */
export interface FollowUpLine {
  baselinePeriod: string
  baselineValue: number | null
  target: number
  targetPeriod: string
}

/** A measure's outcome in its area against the line from baseline to target (or the target alone). */
export function OutcomeChart(p: { title: string; points: TrendPoint[]; followUp: FollowUpLine; width: number; height?: number; testId: string }) {
  const f = p.followUp
  return (
    <TrendChart
      title={p.title}
      series={[{ id: 'utfall', label: 'Utfall', color: '#0072b2', points: p.points }]}
      reference={{
        id: 'mal',
        label: f.baselineValue === null ? 'Mål' : 'Från utgångsvärde till mål',
        color: '#d55e00',
        points: [...(f.baselineValue === null ? [] : [{ period: f.baselinePeriod, value: f.baselineValue }]), { period: f.targetPeriod, value: f.target }],
      }}
      width={p.width}
      height={p.height}
      format={(v) => formatNumber(v)}
      testId={p.testId}
    />
  )
}
