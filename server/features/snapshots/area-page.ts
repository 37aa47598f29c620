import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { toExcelCsv } from '../../core/csv'
import { comparePeriods, parsePeriod } from '../../core/period'
import { AppError } from '../../errors'
import { frozenMapOf } from './frozen-map'
import type { MeetingSources } from './meeting'
import * as repo from './snapshots.repository'
import type { AreaPageDto, AreaPageFigure, AreaPagePriority } from './statement.schema'
import { readStatement } from './statement.service'

/** The public page is per stadsområde: the layer every lägesbild is frozen on. */
const LAYER = 'stadsomrade'
const STATUS_ORDER = { pagaende: 0, planerad: 1, avslutad: 2 } as const

interface FrozenMeasure {
  id: number
  title: string
  description: string
  problemAreaId: number
  status: AreaPagePriority['status']
  startDate: string
  endDate: string | null
  owners: string[]
  areaIds: number[]
}
interface FrozenProblemArea {
  id: number
  parentId: number | null
  title: string
}

/** The public page reads published lägesbilder only, whoever asks: a draft is not there. */
async function published(db: Kysely<Database>, id: number) {
  const s = await repo.findSnapshot(db, id)
  if (!s || !s.published_at) throw AppError.notFound(`Ingen publicerad lägesbild med id ${id}`, [{ field: 'id', message: 'finns inte eller är inte publicerad' }])
  return s
}

export async function latestPublishedId(db: Kysely<Database>): Promise<number> {
  const latest = await repo.latestPublished(db)
  if (!latest) throw AppError.notFound('Ingen lägesbild är publicerad ännu', [{ field: 'id', message: 'ingen publicerad' }])
  return latest.id
}

async function areaOf(db: Kysely<Database>, id: number, code: string) {
  const areas = await repo.snapshotAreaList(db, id, LAYER)
  const area = areas.find((a) => a.code.toLowerCase() === code.toLowerCase())
  if (!area) {
    throw AppError.notFound(`Stadsområdet ${code} finns inte i lägesbilden`, [{ field: 'code', message: `välj bland ${areas.map((a) => a.code).join(', ') || 'inga'}` }])
  }
  return { area, areas }
}

/** Every frozen figure of the stadsområde: all indicators and periods, as the public saw them when frozen. */
async function figuresOf(db: Kysely<Database>, id: number, areaId: number) {
  const [rows, { indicators }] = await Promise.all([repo.snapshotValuesOnLayers(db, id, [LAYER]), repo.snapshotContents(db, [id])])
  const info = new Map(indicators.map((i) => [i.indicator_id, i.info as Record<string, unknown>]))
  return rows.flatMap((r) => {
    const map = frozenMapOf(id, r)
    const v = map.values.find((x) => x.areaId === areaId)
    if (!v) return []
    const i = info.get(r.indicator_id) ?? {}
    const figure: AreaPageFigure = {
      indicator: r.indicator_id,
      name: typeof i.name === 'string' ? i.name : r.indicator_id,
      unit: map.unit,
      category: typeof i.category === 'string' ? i.category : '',
      polarity: typeof i.polarity === 'string' ? i.polarity : '',
      source: map.source,
      demo: map.demo,
      period: r.period,
      // A suppressed cell carries no number, whatever the payload holds.
      value: v.suppressed ? null : v.value,
      suppressed: v.suppressed,
      city: map.city && map.city.period === r.period ? { value: map.city.suppressed ? null : map.city.value, suppressed: map.city.suppressed } : null,
    }
    return [figure]
  })
}

/** Per indicator the latest whole year (the steadiest figure), or the latest period when there are no years. */
function headlineFigures(all: AreaPageFigure[]): AreaPageFigure[] {
  const byIndicator = new Map<string, AreaPageFigure[]>()
  for (const f of all) byIndicator.set(f.indicator, [...(byIndicator.get(f.indicator) ?? []), f])
  return [...byIndicator.values()]
    .map((fs) => {
      const years = fs.filter((f) => parsePeriod(f.period)?.kind === 'year')
      return (years.length ? years : fs).sort((a, b) => comparePeriods(a.period, b.period)).at(-1)!
    })
    .sort((a, b) => a.category.localeCompare(b.category, 'sv') || a.name.localeCompare(b.name, 'sv'))
}

async function prioritiesOf(sources: Pick<MeetingSources, 'overlapping'>, priorities: Record<string, unknown>, areaId: number): Promise<AreaPagePriority[]> {
  const measures = (priorities.measures ?? []) as FrozenMeasure[]
  const problemAreas = (priorities.problemAreas ?? []) as FrozenProblemArea[]
  // A measure belongs here when one of its areas lies mostly in the stadsområde (or covers it).
  const touched = new Set([areaId, ...(await sources.overlapping(areaId, [...new Set(measures.flatMap((m) => m.areaIds))]))])
  const issueOf = (id: number) => {
    const p = problemAreas.find((x) => x.id === id)
    const parent = p?.parentId ? problemAreas.find((x) => x.id === p.parentId) : undefined
    return p ? (parent ? `${parent.title}: ${p.title}` : p.title) : ''
  }
  return measures
    .filter((m) => m.areaIds.some((a) => touched.has(a)))
    .map((m) => ({ measureId: m.id, issue: issueOf(m.problemAreaId), action: m.title, description: m.description, status: m.status, startDate: m.startDate, endDate: m.endDate, owners: m.owners }))
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.startDate.localeCompare(a.startDate))
}

/** One stadsområde in a published lägesbild: its figures, the measures there, and the approved joint statement. */
export async function areaPage(db: Kysely<Database>, sources: Pick<MeetingSources, 'overlapping'>, id: number, code: string): Promise<AreaPageDto> {
  const s = await published(db, id)
  const { area, areas } = await areaOf(db, id, code)
  const [figures, priorities, statement] = await Promise.all([figuresOf(db, id, area.id), prioritiesOf(sources, s.priorities, area.id), readStatement(db, id, false)])
  return {
    snapshot: { id, title: s.title, publishedAt: new Date(s.published_at!).toISOString() },
    area,
    areas: areas.map((a) => ({ code: a.code, name: a.name })),
    figures: headlineFigures(figures),
    priorities,
    statement,
    csvPath: `/api/snapshots/${id}/stadsomraden/${encodeURIComponent(area.code)}.csv`,
  }
}

/**
 * The stadsområde's figures, every indicator and period, as CSV for Swedish Excel. A hidden figure is an
 * empty cell marked Dold = ja: never its number.
 */
export async function areaCsv(db: Kysely<Database>, id: number, code: string): Promise<{ filename: string; csv: string }> {
  const s = await published(db, id)
  const { area } = await areaOf(db, id, code)
  const figures = (await figuresOf(db, id, area.id)).sort((a, b) => a.name.localeCompare(b.name, 'sv') || comparePeriods(a.period, b.period))
  const header = ['Område', 'Kod', 'Indikator', 'Indikator-id', 'Enhet', 'Period', 'Värde', 'Dold', 'Hela staden', 'Källa', 'Demodata', 'Lägesbild', 'Publicerad']
  const publishedOn = new Date(s.published_at!).toISOString().slice(0, 10)
  const rows = figures.map((f) => [
    area.name,
    area.code,
    f.name,
    f.indicator,
    f.unit,
    f.period,
    f.suppressed ? null : f.value,
    f.suppressed ? 'ja' : 'nej',
    f.city && !f.city.suppressed ? f.city.value : null,
    f.source,
    f.demo ? 'ja (syntetiska värden)' : 'nej',
    s.title,
    publishedOn,
  ])
  return { filename: `lagesbild_${id}_${area.code}.csv`, csv: toExcelCsv(header, rows) }
}
