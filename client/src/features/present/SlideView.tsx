import { useMemo } from 'react'
import { followUpKind, OutcomeChart } from '../../components/OutcomeChart'
import type { EvaluationDto, IndicatorDto, MeasureDto } from '../../lib/api'
import { useSeries } from '../../lib/queries'
import { snapshotSource } from '../../lib/dataSource'
import { formatNumber, periodLabel } from '../../lib/format'
import type { FrozenProblemArea, SnapshotDto } from '../../lib/snapshots'
import { CityKeyFigures, ProblemAreasFollowUp, SamverkansformerSlide, SideBySide } from './CitySlides'
import { HotspotSlide, KeyFigures } from './MeetingSlides'
import { MapSlide } from './MapSlide'
import type { MeasuresSlide, PresentSlide } from './slides'

const STATUS = { planerad: 'Planerad', pagaende: 'Pågående', avslutad: 'Avslutad' } as const

type Info = SnapshotDto['indicatorInfo'][number] & { name?: string }
const nameOf = (snapshot: SnapshotDto, id: string) => (snapshot.indicatorInfo as Info[]).find((i) => i.id === id)?.name ?? id

/**
 * A frozen measure, with its evaluation computed under public disclosure when it was frozen (a baseline too
 * small to publish is null there). Snapshots from before evaluations carry none.
 */
type FrozenMeasure = MeasureDto & { evaluation?: EvaluationDto }

/** The computed baseline of a follow-up in an area, as frozen; null where hidden or unknown. */
const baselineOf = (m: FrozenMeasure, indicatorId: string, areaId: number | undefined) =>
  m.evaluation?.indicators.find((r) => r.indicatorId === indicatorId && r.areaId === areaId)?.baseline ?? null

/** A measure's outcome against its target, from the snapshot's frozen figures for the measure's first area. */
function FollowUpChart({ snapshot, measure }: { snapshot: SnapshotDto; measure: FrozenMeasure }) {
  const f = measure.followUp[0]!
  const areaId = measure.areaIds[0]!
  const source = useMemo(() => snapshotSource(snapshot.id, ''), [snapshot.id])
  const held = snapshot.indicatorInfo.some((i) => i.id === f.indicatorId)
  const load = useSeries(held ? (kind) => source.series(f.indicatorId, [areaId], kind) : null, followUpKind(f))
  const data = load.data ?? null
  const series = data?.series[0]
  // The measure's area may lie on a layer the snapshot did not freeze: then there is no curve to draw.
  const state = !held || load.error ? 'none' : series ? 'ok' : 'loading'
  return (
    <div className="followup" data-state={state}>
      {series ? (
        <OutcomeChart
          title={`${measure.title}: ${nameOf(snapshot, f.indicatorId)}, ${series.name}`}
          points={series.points.map((p) => ({ period: p.period, value: p.value, suppressed: p.suppressed }))}
          followUp={{ ...f, baselineValue: baselineOf(measure, f.indicatorId, areaId)?.value ?? null }}
          periodKind={data?.periodKind ?? null}
          width={380}
          height={200}
          testId={`slide-followup-${measure.id}`}
        />
      ) : state === 'none' ? (
        <p className="muted">
          {measure.title}: ingen kurva – {nameOf(snapshot, f.indicatorId)} för åtgärdens område finns inte i lägesbilden.
        </p>
      ) : null}
    </div>
  )
}

const baselineText = (b: { value: number | null; suppressed: boolean } | null) => (b === null ? 'utgångsvärde' : b.suppressed ? 'dolt' : b.value === null ? 'saknas' : formatNumber(b.value))

function MeasuresView({ snapshot, slide }: { snapshot: SnapshotDto; slide: MeasuresSlide }) {
  const measures = (snapshot.priorities.measures ?? []) as FrozenMeasure[]
  const shown = measures.filter((m) => (slide.problemAreaId === null || m.problemAreaId === slide.problemAreaId) && (!slide.measureIds || slide.measureIds.includes(m.id)))
  const followed = shown.filter((m) => m.followUp.length > 0 && m.areaIds.length > 0)
  return (
    <div className="slide-body">
      <table className="slide-table">
        <thead>
          <tr>
            <th scope="col">Åtgärd</th>
            <th scope="col">Status</th>
            <th scope="col">Ansvar</th>
            <th scope="col">Uppföljning</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.title}</th>
              <td>
                {STATUS[m.status]}
                {m.endDate ? ` (till ${m.endDate})` : ''}
              </td>
              <td>{m.owners.join(', ')}</td>
              <td>
                {m.followUp.length === 0 && 'Ingen uppföljning angiven'}
                {m.followUp.map((f) => (
                  <div key={f.indicatorId}>
                    {nameOf(snapshot, f.indicatorId)}: {baselineText(baselineOf(m, f.indicatorId, m.areaIds[0]))} ({periodLabel(f.baselinePeriod)}) → mål {f.target === null ? <span title={f.targetWithheld}>visas inte</span> : formatNumber(f.target)} ({periodLabel(f.targetPeriod)})
                  </div>
                ))}
              </td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={4}>{slide.emptyText ?? 'Inga åtgärder.'}</td>
            </tr>
          )}
        </tbody>
      </table>
      {followed.length > 0 && (
        <div className="slide-charts">
          {followed.map((m) => (
            <FollowUpChart key={m.id} snapshot={snapshot} measure={m} />
          ))}
        </div>
      )}
    </div>
  )
}

/** One slide, full size. */
export function SlideView({ snapshot, slide }: { snapshot: SnapshotDto; slide: PresentSlide }) {
  if (slide.kind === 'map') {
    const indicator = snapshot.indicatorInfo.find((i) => i.id === slide.indicator) as unknown as IndicatorDto | undefined
    return <MapSlide snapshotId={snapshot.id} slide={slide} indicator={indicator} />
  }
  if (slide.kind === 'hotspots') return <HotspotSlide snapshotId={snapshot.id} meeting={slide.meeting} hotspots={slide.hotspots} />
  if (slide.kind === 'keyfigures') return <KeyFigures meeting={slide.meeting} indicators={slide.indicators} />
  if (slide.kind === 'citykeyfigures') return <CityKeyFigures meeting={slide.meeting} indicators={slide.indicators} />
  if (slide.kind === 'sidebyside') return <SideBySide meeting={slide.meeting} layer={slide.layer} indicators={slide.indicators} />
  if (slide.kind === 'problemareas') return <ProblemAreasFollowUp meeting={slide.meeting} ids={slide.ids} />
  if (slide.kind === 'samverkansformer') return <SamverkansformerSlide meeting={slide.meeting} />
  if (slide.kind === 'measures') return <MeasuresView snapshot={snapshot} slide={slide} />
  if (slide.kind === 'priorities') {
    const problemAreas = (snapshot.priorities.problemAreas ?? []) as FrozenProblemArea[]
    return (
      <div className="slide-body">
        <ol className="slide-list">
          {problemAreas
            .filter((p) => p.parentId === null)
            .map((p) => (
              <li key={p.id}>
                <strong>{p.title}</strong>
                {p.goals && <p>{p.goals}</p>}
                <ul>
                  {problemAreas
                    .filter((c) => c.parentId === p.id)
                    .map((c) => (
                      <li key={c.id}>{c.title}</li>
                    ))}
                </ul>
              </li>
            ))}
        </ol>
      </div>
    )
  }
  return (
    <div className="slide-body slide-text">
      {slide.body.split(/\n{2,}/).map((para, i) => (
        <p key={i}>{para}</p>
      ))}
    </div>
  )
}
