import { commonKind, type PeriodKind } from '../../lib/periods'
import { type Format, defaultFormat } from './chartUtils'
import { TrendChart, type TrendSeries, oneKindOfPeriod, trendDomain } from './TrendChart'

export interface SmallMultiplesPanel {
  id: string
  title: string
  series: TrendSeries[]
  reference?: TrendSeries
}

export interface SmallMultiplesProps {
  title?: string
  panels: SmallMultiplesPanel[]
  /** One y-domain for all panels so levels compare across them (default true). */
  sharedScale?: boolean
  /** Per panel; the grid fits as many columns as the container allows. */
  width?: number
  height?: number
  format?: Format
  highlightPeriod?: string
  /** One kind of period in every panel; by default the kind most points of all panels have. */
  periodKind?: PeriodKind
  showTable?: boolean
  testId?: string
}

export function SmallMultiples({
  title,
  panels,
  sharedScale = true,
  width = 280,
  height = 180,
  format = defaultFormat,
  highlightPeriod,
  periodKind,
  showTable,
  testId,
}: SmallMultiplesProps) {
  const kind = periodKind ?? commonKind(panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.period))))
  // The shared scale is read from what is drawn: a year's count beside a month's would flatten the months.
  const yDomain = sharedScale
    ? trendDomain(oneKindOfPeriod(panels.flatMap((p) => (p.reference ? [...p.series, p.reference] : p.series)), kind).series)
    : undefined
  return (
    <figure className="chart chart-multiples" data-testid={testId} data-shared-scale={sharedScale}>
      {title && <figcaption className="chart-title">{title}</figcaption>}
      <p className="chart-note">
        {sharedScale ? 'Alla diagram har samma skala.' : 'Diagrammen har olika skalor – jämför nivåer med försiktighet.'}
      </p>
      <div
        className="chart-multiples-grid"
        style={{ gridTemplateColumns: `repeat(auto-fill, minmax(min(100%, ${width}px), 1fr))` }}
      >
        {panels.map((p) => (
          <TrendChart
            key={p.id}
            title={p.title}
            series={p.series}
            reference={p.reference}
            width={width}
            height={height}
            format={format}
            yDomain={yDomain}
            highlightPeriod={highlightPeriod}
            periodKind={kind ?? undefined}
            showTable={showTable}
            testId={testId ? `${testId}-${p.id}` : undefined}
          />
        ))}
      </div>
    </figure>
  )
}
