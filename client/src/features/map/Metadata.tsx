import type { ValuesDto } from '../../lib/api'
import { periodLabel } from '../../lib/format'

export interface MetadataProps {
  source: string
  period: string
  from?: string | null
  demo: boolean
  approximateReason: string | null
  method?: ValuesDto['method']
  threshold: number
}

/** Every figure says where it comes from, when, whether it is demo data and whether its boundaries are approximate. */
export function Metadata(p: MetadataProps) {
  return (
    <dl className="metadata" data-testid="metadata">
      <dt>Källa</dt>
      <dd>{p.source}</dd>
      <dt>Period</dt>
      <dd>{p.from ? `${periodLabel(p.from)} → ${periodLabel(p.period)}` : periodLabel(p.period)}</dd>
      {p.method?.kind === 'summed' && (
        <>
          <dt>Beräkning</dt>
          <dd>{p.method.note}</dd>
        </>
      )}
      {p.method?.kind === 'crosswalk' && (
        <>
          <dt>Uppskattning</dt>
          <dd className="approx-flag" data-testid="estimate-note">
            {p.method.note}
          </dd>
        </>
      )}
      <dt>Sekretess</dt>
      <dd>Värden under {p.threshold} visas inte</dd>
      {p.demo && (
        <>
          <dt>Data</dt>
          <dd className="demo-flag">DEMO – syntetiska data, inte verklig statistik</dd>
        </>
      )}
      {p.approximateReason && (
        <>
          <dt>Gränser</dt>
          <dd className="approx-flag">Ungefärliga: {p.approximateReason}</dd>
        </>
      )}
    </dl>
  )
}
