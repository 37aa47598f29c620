import type { Kysely } from 'kysely'
import type { Database, IndicatorRow } from '../../../db/schema'
import { cellKey, CITY, deriveCells, type AreaKey, type DerivedCell, type DerivedCells } from '../../core/derivation'
import { comparePeriods, defaultPeriod, defaultPeriodKind, parsePeriod, periodKindsOf, type PeriodKind } from '../../core/period'
import { versionedCache } from '../../core/versioned-cache'
import { keptReads } from '../../../db/changes'
import { cubeProblem, overlayOf, type CubeProblem, type DisclosureCube, type Hidden, type Overlay, type Release } from '../../disclosure/cube'
import { unpublishedTables } from '../../disclosure/unpublished'
import { protectCubeOffThread } from './suppression'
import { disclose, type Cell, type Disclosed } from '../../disclosure/primary'
import { crosswalk, weightingOf, type Block } from '../../spatial/crosswalk'
import { CITY_POPULATION, populationFor, populationNote, type PopulationModel } from '../../core/population'
import { populationStore } from '../../../db/population'
import { AppError } from '../../errors'
import { findLayer } from '../../../db/areas'
import type { CityValueDto, IndicatorDto, PopulationDto, SeriesDto, ValuesDto } from './indicators.schema'
import { allAreas, allObservations, areaLinks, crosswalkAtoms, dataAndReleases, dataVersion, findAreas, findIndicator, layerKinds, listIndicators, listNesting, publishedMaps, type Versions } from './indicators.repository'

/** The layer whose areas partition the whole city: the city's value is the sum over it. */
const CITY_LAYER = 'stadsomrade'
/** Coarse partitions of the city built from whole primärområden (or nearly): crosswalks run between these. */
const CROSSWALK_LAYERS = ['lokalpolisomrade', 'stadsomrade']
/** Layer kinds whose areas together make up the whole city: each one's cells add up to the city's. */
const PARTITION_KINDS = new Set(['admin', 'police', 'statistical', 'grid'])
/**
 * Units whose counts add up over areas and periods, so a hidden cell could be recovered by subtraction: counts,
 * rates' numerators, and shares' numerators and denominators (disclosure/cube.ts suppresses a share on both).
 */
const ADDITIVE = new Set<IndicatorRow['unit']>(['count', 'rate_per_1000', 'percent'])

/**
 * Who the figures are for. `internal`: analysts and admins, who see every value and are told which would
 * be hidden outside; `outside`: everyone else, who get primary and secondary suppression.
 */
export type Viewer = 'internal' | 'outside'

/** The areas, their layers and how they nest: what every indicator's derivation reads besides its observations. */
interface Structure {
  areas: Map<number, { id: number; layer: string; code: string; name: string; current: boolean }>
  nesting: Array<{ child: string; parent: string }>
  links: Array<{ child: number; parent: number }>
  grids: Set<string>
  partitionLayers: string[]
}

/** Everything derived from one indicator's observations: its cells and, for additive units, the disclosure cube. */
interface IndicatorCells {
  indicator: IndicatorRow
  derived: DerivedCells
  /** Counts: the population model their denominators came from (null for other units). */
  population: PopulationModel | null
  /**
   * Secondary suppression's verdicts with the LP audit, computed on first use off the event loop (only views
   * outside the analyst role and the marks need it). `settled`: only the audit's final answer, never one with
   * figures withheld because the audit had not finished.
   */
  cube: (settled?: boolean) => Promise<DisclosureCube | null>
}

/** What one data version gives, whatever is published: the cube is asked for with the releases of the moment. */
interface CachedCells extends Omit<IndicatorCells, 'cube'> {
  cubeAt: (settled: boolean, releases: string) => Promise<DisclosureCube | null>
}

// All of it changes only with an import, whose id versions the data.
const structureCache = versionedCache<Structure>()
const cellsCache = versionedCache<CachedCells>()

function structure(db: Kysely<Database>, version: number): Promise<Structure> {
  return structureCache(db, version, '', async () => {
    const [areas, nesting, links, kinds] = await Promise.all([allAreas(db), listNesting(db), areaLinks(db), layerKinds(db)])
    return {
      areas: new Map(areas.map((a) => [a.id, { id: a.id, layer: a.layer_id, code: a.code, name: a.name, current: a.current }])),
      nesting: nesting.map((n) => ({ child: n.child_layer_id, parent: n.parent_layer_id })),
      links: links.map((l) => ({ child: l.child_id, parent: l.parent_id })),
      grids: new Set(kinds.filter((k) => k.kind === 'grid').map((k) => k.id)),
      partitionLayers: kinds.filter((k) => PARTITION_KINDS.has(k.kind)).map((k) => k.id),
    }
  })
}

/** The layers an indicator's cells can fall on: those it has stored values on, and the layers they nest in. */
function layersWithCells(s: Structure, rows: ReadonlyArray<{ area_id: number }>): Set<string> {
  const out = new Set<string>()
  for (const r of rows) {
    const a = s.areas.get(r.area_id)
    if (a) out.add(a.layer)
  }
  for (let grew = true; grew; ) {
    grew = false
    for (const n of s.nesting) if (out.has(n.child) && !out.has(n.parent)) grew = Boolean(out.add(n.parent))
  }
  return out
}

/** The newest data version seen per database: a background audit of older data is not worth running. */
const newestVersion = new WeakMap<object, number>()

/** An indicator's cells at a data version, with the disclosure cube of the releases published now. */
async function cellsOf(db: Kysely<Database>, indicator: IndicatorRow, v: Versions): Promise<IndicatorCells> {
  const { cubeAt, ...rest } = await derivedOf(db, indicator, v.data)
  return { ...rest, cube: (settled) => cubeAt(settled ?? false, v.releases) }
}

function derivedOf(db: Kysely<Database>, indicator: IndicatorRow, version: number): Promise<CachedCells> {
  if (version > (newestVersion.get(db) ?? -Infinity)) newestVersion.set(db, version)
  // Keyed by the definition's version too (and time: an id deleted and made anew starts at 1 again): an edit,
  // such as a raised threshold, is seen at once, not after the next import.
  return cellsCache(db, version, `${indicator.id}@${indicator.version}@${new Date(indicator.updated_at).getTime()}`, async () => {
    const [s, rows] = await Promise.all([structure(db, version), allObservations(db, indicator.id)])
    // A count's denominator is the population of its area and year, from the one population derivation.
    const population = indicator.unit === 'count' ? await populationFor(await populationStore(db), [...layersWithCells(s, rows), ...CROSSWALK_LAYERS, 'primaromrade']) : null
    const derived = deriveCells({
      unit: indicator.unit,
      stored: rows.map((r) => ({ area: r.area_id, period: r.period, value: r.value, numerator: r.numerator, denominator: r.denominator, ciLow: r.ci_low, ciHigh: r.ci_high })),
      areas: [...s.areas.values()],
      nesting: s.nesting,
      links: s.links,
      grids: s.grids,
      cityLayer: CITY_LAYER,
      ...(population ? { population: (area: AreaKey, period: string) => population.forPeriod(area === CITY ? CITY_POPULATION : area, period)?.population ?? null } : {}),
    })
    const current = () => (newestVersion.get(db) ?? version) <= version
    if (!ADDITIVE.has(indicator.unit)) return { indicator, derived, population, cubeAt: () => Promise.resolve(null) }
    // The cube knows the published releases: publishing one (no import) must be seen by the next audit.
    let audited: { releases: string; cube: Promise<IndicatorCells['cube']> } | undefined
    const cubeAt: CachedCells['cubeAt'] = async (settled, releases) => {
      if (audited?.releases !== releases) {
        const inputs = Promise.all([releasesOf(db, indicator.id), auditOverlay ? overlayFor(db, s, layersWithCells(s, rows)) : []])
        audited = { releases, cube: inputs.then(([r, overlay]) => auditedCube(indicator, s, derived, r, overlay, current)) }
        audited.cube.catch(() => (audited = undefined))
      }
      return (await audited.cube)(settled)
    }
    return { indicator, derived, population, cubeAt }
  })
}

let auditOverlay = true
/** Whether the LP audit holds the overlay's inequalities (config LP_AUDIT_OVERLAY); read when a cube is first built. */
export function setAuditOverlay(on: boolean) {
  auditOverlay = on
}

/**
 * What anyone can read off the boundaries about layers that do not nest with the primärområden (DeSO, RegSO,
 * hexagons, utsatta områden): which areas lie within which, and which meet. The LP attacker's inequalities.
 */
async function overlayFor(db: Kysely<Database>, s: Structure, layers: Set<string>): Promise<Overlay[]> {
  // Layers tied to the primärområden by nesting already add up from them (or they from it).
  const tied = new Set(['primaromrade'])
  for (let grew = true; grew; ) {
    grew = false
    for (const n of s.nesting) {
      if (tied.has(n.child) && !tied.has(n.parent)) grew = Boolean(tied.add(n.parent))
      if (n.parent === 'primaromrade' && !tied.has(n.child)) grew = Boolean(tied.add(n.child))
    }
  }
  const apart = [...layers].filter((l) => !tied.has(l))
  if (apart.length === 0) return []
  const store = await populationStore(db)
  const land = await store.primaryLand()
  const out: Overlay[] = []
  for (const layer of apart) out.push(...overlayOf(await store.overlaps(layer, 'primaromrade'), land))
  return out
}

/**
 * What the published snapshots told the public of this indicator, one release per snapshot: each frozen
 * cell, whether it was shown, and the true figures behind it then (stored beside the frozen map).
 */
async function releasesOf(db: Kysely<Database>, indicatorId: string): Promise<Release[]> {
  const bySnapshot = new Map<number, Release['cells'][number][]>()
  for (const row of await publishedMaps(db, indicatorId)) {
    const payload = row.payload as { city?: { value: number | null } | null; values?: Array<{ areaId: number; value: number | null }> }
    const shown = new Map<number | null, boolean>((payload.values ?? []).map((v) => [v.areaId, v.value !== null]))
    if (payload.city) shown.set(null, payload.city.value !== null)
    const cells = bySnapshot.get(row.snapshot_id) ?? bySnapshot.set(row.snapshot_id, []).get(row.snapshot_id)!
    for (const [area, value, numerator, denominator] of row.basis ?? []) {
      if (!shown.has(area)) continue
      cells.push({ key: cellKey(area ?? CITY, row.period), shown: shown.get(area)!, basis: { value, numerator, denominator } })
    }
  }
  return [...bySnapshot.values()].map((cells) => ({ cells }))
}

/**
 * The cube's verdicts in two steps. The first answer is audited within the LP audit's budget, with what it
 * has not proven withheld ('unaudited'); the audit then goes on without a budget in the background and, once
 * done, is the answer. The parts the first answer shows are proven and the final verdicts show them alike
 * (tests/unit/disclosure-lp.test.ts), so what was shown or frozen meanwhile never conflicts with it.
 * `settled` waits for the final verdicts (ReadOptions.waitMs bounds the wait).
 */
function auditedCube(indicator: IndicatorRow, s: Structure, derived: DerivedCells, releases: Release[], overlay: Overlay[], current: () => boolean): IndicatorCells['cube'] {
  const threshold = indicator.min_publish_count
  let problem: CubeProblem | null = null
  const theProblem = () => {
    if (problem) return problem
    const layerOf = new Map([...s.areas.values()].map((a) => [a.id, a.layer]))
    const unpublished = unpublishedTables({ unit: indicator.unit, threshold, derived, releases })
    return (problem = cubeProblem({ unit: indicator.unit, threshold, derived, links: s.links, layerOf, partitionLayers: s.partitionLayers, releases, overlay, unpublished, category: indicator.category }))
  }
  let interim: Promise<DisclosureCube> | undefined
  let final: Promise<DisclosureCube> | undefined
  let done: DisclosureCube | undefined
  const finalCube = () => {
    if (!final) {
      final = protectCubeOffThread(theProblem(), threshold, 'final', current)
      final.then(
        (c) => {
          done = c
          problem = null
        },
        // A failed run is not kept: the next request tries again.
        () => (final = undefined),
      )
    }
    return final
  }
  return (settled = false) => {
    if (done) return Promise.resolve(done)
    // The first answer is the final one when it withheld nothing: no second audit of the same cube.
    if (settled) return interim ? interim.then((c) => (c.withheld === 0 ? c : finalCube()), finalCube) : finalCube()
    if (!interim) {
      interim = protectCubeOffThread(theProblem(), threshold, 'budgeted').then((c) => {
        // Nothing withheld: the budgeted run ran the whole audit, so it is the final answer.
        if (c.withheld === 0) {
          done = c
          problem = null
        } else void finalCube().catch(() => {})
        return c
      })
      interim.catch(() => (interim = undefined))
    }
    return interim
  }
}

const sortPeriods = (s: Iterable<string>) => [...s].sort(comparePeriods)

/** Periods per layer: the layer's own cells, and crosswalk estimates where it has none but the other coarse partition has. */
function layerPeriods(derived: DerivedCells, layerId: string): { own: Set<string>; crosswalked: Map<string, string> } {
  const own = new Set<string>()
  const crosswalked = new Map<string, string>() // period → source layer
  const periodsOfLayer = (layer: string) => {
    const out = new Set<string>()
    for (const k of derived.byLayerPeriod.keys()) if (k.startsWith(`${layer}|`)) out.add(k.slice(layer.length + 1))
    return out
  }
  for (const p of periodsOfLayer(layerId)) own.add(p)
  if (CROSSWALK_LAYERS.includes(layerId)) {
    for (const from of CROSSWALK_LAYERS) {
      if (from === layerId) continue
      for (const p of periodsOfLayer(from)) if (!own.has(p) && !crosswalked.has(p)) crosswalked.set(p, from)
    }
  }
  return { own, crosswalked }
}

export interface ReadOptions {
  /** Only the LP audit's final verdicts, never figures withheld because the audit had not finished. */
  settled?: boolean
  /** With `settled`: wait this long (ms) at most, then refuse with 503 'audit_pending' (default: no bound). */
  waitMs?: number
}

/** The cube, waiting for the final verdicts at most `waitMs`. */
async function cubeOf(c: IndicatorCells, options: ReadOptions): Promise<DisclosureCube | null> {
  const cube = c.cube(options.settled ?? false)
  if (!options.settled || options.waitMs === undefined) return cube
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(503, 'audit_pending', `Granskningen av röjanderisken för ”${c.indicator.name}” pågår fortfarande, så inget sparades. Försök igen om en stund.`, [
            { field: 'indicators', message: `${c.indicator.id}: granskningen är inte klar` },
          ]),
        ),
      options.waitMs,
    )
  })
  try {
    return await Promise.race([cube, late])
  } finally {
    clearTimeout(timer)
  }
}

const NO_CELL: Cell = { value: null, numerator: null, denominator: null, ciLow: null, ciHigh: null }

/**
 * Why a cell would be hidden outside the analyst role, if it would: secondary suppression's verdict, or the
 * primary rule. `provisional`: the verdicts withhold figures the LP audit has not finished with, so they
 * will change without any write.
 */
type HiddenOf = ((area: AreaKey, period: string, cell: Cell) => Hidden | null) & { provisional: boolean }

const provisionalAnswers = new WeakSet<object>()
/** Whether an answer holds verdicts the LP audit has not settled yet: it must not be kept and served again. */
export const isProvisional = (answer: object) => provisionalAnswers.has(answer)
const markProvisional = <T extends object>(answer: T, hide: HiddenOf): T => {
  if (hide.provisional) provisionalAnswers.add(answer)
  return answer
}

async function hiddenOf(c: IndicatorCells, options: ReadOptions = {}): Promise<HiddenOf> {
  const { indicator } = c
  const cube = await cubeOf(c, options)
  const hide = (area: AreaKey, period: string, cell: Cell) => {
    const verdict = cube?.hidden.get(cellKey(area, period))
    if (verdict) return verdict
    return disclose(indicator.unit, indicator.min_publish_count, cell).suppressed ? 'primary' : null
  }
  return Object.assign(hide, { provisional: (cube?.withheld ?? 0) > 0 })
}

/** A cell as the viewer may see it: hidden outside, and marked with what would be hidden for analysts. */
function present(viewer: Viewer, indicator: IndicatorRow, why: Hidden | null, cell: Cell & { hidden?: boolean }): Disclosed & { hiddenOutside?: Hidden } {
  const plain: Cell = { value: cell.value, numerator: cell.numerator, denominator: cell.denominator, ciLow: cell.ciLow, ciHigh: cell.ciHigh }
  if (viewer === 'internal') return { ...plain, suppressed: false, ...(why ? { hiddenOutside: why } : {}) }
  return disclose(indicator.unit, indicator.min_publish_count, plain, why !== null || Boolean(cell.hidden))
}

function toDto(i: IndicatorRow, derived: DerivedCells): IndicatorDto {
  const layers = new Set<string>()
  for (const k of derived.byLayerPeriod.keys()) {
    const layer = k.slice(0, k.indexOf('|'))
    if (layer !== CITY) layers.add(layer)
  }
  if (i.unit !== 'index') for (const l of CROSSWALK_LAYERS) if (CROSSWALK_LAYERS.some((o) => layers.has(o))) layers.add(l)
  const all = new Set<string>()
  const layerList = [...layers].map((layer) => {
    const { own, crosswalked } = layerPeriods(derived, layer)
    const periods = new Set([...own, ...(i.unit === 'index' ? [] : crosswalked.keys())])
    for (const p of periods) all.add(p)
    const from = new Set<string>()
    for (const p of own) for (const c of derived.byLayerPeriod.get(`${layer}|${p}`) ?? []) if (c.how.kind === 'parts') from.add(c.how.fromLayer)
    return { layer, derivedFrom: [...from][0] ?? (own.size === 0 ? [...crosswalked.values()][0] ?? null : null), estimated: own.size === 0 && crosswalked.size > 0, periods: sortPeriods(periods) }
  })
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    unit: i.unit,
    category: i.category,
    source: i.source,
    polarity: i.polarity,
    minPublishCount: i.min_publish_count,
    licence: i.licence,
    survey: i.survey,
    version: i.version,
    updatedAt: new Date(i.updated_at).toISOString(),
    demo: i.is_demo,
    periods: sortPeriods(all),
    layers: layerList.filter((l) => l.periods.length).sort((a, b) => a.layer.localeCompare(b.layer)),
  }
}

export async function getIndicators(db: Kysely<Database>): Promise<IndicatorDto[]> {
  const indicators = await listIndicators(db)
  const version = await dataVersion(db)
  const out: IndicatorDto[] = []
  for (const i of indicators) out.push(toDto(i, (await derivedOf(db, i, version)).derived))
  return out
}

interface RawValue extends Cell {
  areaId: number
  code: string
  name: string
  /** Hidden because what it is built on is hidden (crosswalk estimates). */
  hidden?: boolean
}

// Building blocks of a crosswalk change only with boundary imports: cached per data version.
const atomCache = versionedCache<Awaited<ReturnType<typeof crosswalkAtoms>>>()

/** The blocks, weighted by the primärområden's population in the period's year (the one population derivation). */
async function blocksFor(db: Kysely<Database>, source: string, target: string, version: number, period: string): Promise<Block[]> {
  const atoms = await atomCache(db, version, `${source}|${target}`, () => crosswalkAtoms(db, source, target))
  const population = await populationFor(await populationStore(db), ['primaromrade'])
  return atoms.map((r) => ({ sourceId: r.source_id, targetId: r.target_id, population: population.forPeriod(r.pid, period)?.population ?? null, area: r.area }))
}

/** One layer and period: the derived cells, or an estimate through the crosswalk where the layer has none. */
interface LayerView {
  values: RawValue[]
  method: ValuesDto['method']
}

async function layerView(db: Kysely<Database>, c: IndicatorCells, layerId: string, period: string, version: number, hide: HiddenOf | null): Promise<LayerView> {
  const s = await structure(db, version)
  const { indicator, derived } = c
  const own = derived.byLayerPeriod.get(`${layerId}|${period}`)
  const from = own ? undefined : layerPeriods(derived, layerId).crosswalked.get(period)
  if (from && indicator.unit !== 'index') {
    const source = new Map(
      (derived.byLayerPeriod.get(`${from}|${period}`) ?? []).map((r) => {
        const hidden = hide?.(r.area, period, r) ?? null
        return [r.area as number, { value: hidden ? null : r.value, suppressed: hidden !== null }]
      }),
    )
    const blocks = await blocksFor(db, from, layerId, version, period)
    const { estimates } = crosswalk(blocks, source, indicator.unit === 'count' ? 'count' : 'share')
    const targets = [...s.areas.values()].filter((a) => a.layer === layerId && a.current).sort((a, b) => a.code.localeCompare(b.code))
    const weighting = weightingOf(blocks)
    return {
      values: targets.map((t) => {
        const e = estimates.get(t.id)
        // An estimated count is put against the target's own population, like every count.
        const denominator = indicator.unit === 'count' ? (c.population?.forPeriod(t.id, period)?.population ?? null) : null
        return { areaId: t.id, code: t.code, name: t.name, value: e?.value ?? null, numerator: null, denominator, ciLow: null, ciHigh: null, hidden: e?.suppressed ?? false }
      }),
      method: {
        kind: 'crosswalk',
        fromLayer: from,
        weighting,
        note: `Uppskattning: värdena finns för ${from}, som inte sammanfaller med ${layerId}; de har förts över via primärområdena, viktat med ${weighting === 'population' ? 'befolkning' : 'yta'}`,
      },
    }
  }
  const cells = own ?? []
  const values = cells
    .map((x) => {
      const a = s.areas.get(x.area as number)!
      return { areaId: a.id, code: a.code, name: a.name, value: x.value, numerator: x.numerator, denominator: x.denominator, ciLow: x.ciLow, ciHigh: x.ciHigh }
    })
    .sort((a, b) => a.code.localeCompare(b.code))
  return { values, method: methodOf(cells, indicator.unit) }
}

/** How a layer's cells of one period were made, said once for the map's note (cells may differ: the first derived one speaks). */
function methodOf(cells: readonly DerivedCell[], unit: IndicatorRow['unit']): ValuesDto['method'] {
  const parts = cells.find((c) => c.how.kind === 'parts')
  if (parts?.how.kind === 'parts') {
    const layer = parts.how.fromLayer
    return {
      kind: 'summed',
      fromLayer: layer,
      note: unit === 'count' ? `Summerat från ${layer}` : `Beräknat från summerade täljare och nämnare i ${layer} (inga medelvärden av andelar)`,
    }
  }
  if (cells.some((c) => c.how.kind === 'periods')) return { kind: 'summed', fromLayer: 'månader', note: 'Summerat från kortare perioder (månader, kvartal eller halvår)' }
  return { kind: 'stored' }
}

function cityValue(c: IndicatorCells, viewer: Viewer, period: string, hide: HiddenOf): CityValueDto | null {
  const cell = c.derived.cells.get(cellKey(CITY, period))
  if (!cell) return null
  const { hiddenOutside: _, ...shown } = present(viewer, c.indicator, hide(CITY, period, cell), cell)
  return { period, ...shown }
}

/** Which year's population a count's denominators are, and whether any of these areas' is an estimate. */
function populationOf(c: IndicatorCells, areas: readonly AreaKey[], periods: readonly string[]): PopulationDto | null {
  const model = c.population
  if (!model || periods.length === 0) return null
  const used = periods.map((p) => model.yearOf(p)).filter((y) => y !== null)
  const last = used.at(-1)
  if (!last) return null
  const estimated = used.some((y) => areas.some((a) => model.of(a === CITY ? CITY_POPULATION : a, y.year)?.estimated))
  const years = [...new Set(used.map((y) => y.year))]
  const note =
    years.length === 1
      ? populationNote(last, estimated)
      : `Befolkning för respektive år (${years.join(', ')})${used.some((y) => y.nearest) ? '; år utan befolkningsuppgift har närmaste år med en' : ''}${estimated ? ', delvis uppskattad efter yta' : ''}`
  return { year: last.year, nearest: last.nearest, estimated, note }
}

// Read once until a write commits (db/changes.ts): every values answer, and a snapshot's hundreds, ask for them.
const keptIndicators = keptReads<Awaited<ReturnType<typeof findIndicator>>>()
const keptLayers = keptReads<Awaited<ReturnType<typeof findLayer>>>()
const keptVersions = keptReads<Versions>()
const versionsOf = (db: Kysely<Database>) => keptVersions(db, '', () => dataAndReleases(db))

async function lookup(db: Kysely<Database>, indicatorId: string) {
  const indicator = await keptIndicators(db, indicatorId, () => findIndicator(db, indicatorId))
  if (!indicator) throw AppError.notFound(`Okänd indikator: ${indicatorId}`, [{ field: 'id', message: 'indikatorn finns inte' }])
  return indicator
}

export async function getValues(
  db: Kysely<Database>,
  viewer: Viewer,
  indicatorId: string,
  layerId: string,
  requestedPeriod: string | undefined,
  options: ReadOptions = {},
): Promise<ValuesDto> {
  const indicator = await lookup(db, indicatorId)
  const layer = await keptLayers(db, layerId, () => findLayer(db, layerId))
  if (!layer) throw AppError.notFound(`Okänd indelning: ${layerId}`, [{ field: 'layer', message: 'indelningen finns inte' }])

  const versions = await versionsOf(db)
  const version = versions.data
  const c = await cellsOf(db, indicator, versions)
  const { own, crosswalked } = layerPeriods(c.derived, layerId)
  const available = sortPeriods(new Set([...own, ...(indicator.unit === 'index' ? [] : crosswalked.keys())]))
  const period = requestedPeriod ?? defaultPeriod(available)
  if (!period) {
    throw AppError.notFound(`Indicator ${indicatorId} has no values on layer ${layerId}`, [
      { field: 'layer', message: 'no values for this indicator on this layer' },
    ])
  }
  const p = parsePeriod(period)!
  const hide = await hiddenOf(c, options)
  const view = await layerView(db, c, layerId, period, version, viewer === 'outside' ? hide : null)
  const pending = hide(CITY, period, c.derived.cells.get(cellKey(CITY, period)) ?? NO_CELL) === 'unaudited' || view.values.some((v) => hide(v.areaId, period, v) === 'unaudited')
  const unpublished = view.values.some((v) => hide(v.areaId, period, v) === 'unpublished')
  return markProvisional({
    indicator: indicatorId,
    layer: layerId,
    period,
    periodStart: p.start,
    periodEnd: p.end,
    unit: indicator.unit,
    demo: indicator.is_demo,
    source: indicator.source,
    method: view.method,
    approximate: layer.approximate,
    approximateReason: layer.approximate_reason,
    availablePeriods: available,
    suppression: { threshold: indicator.min_publish_count, internal: viewer === 'internal', ...(pending ? { pending } : {}), ...(unpublished ? { unpublished } : {}) },
    city: cityValue(c, viewer, period, hide),
    population: populationOf(c, [CITY, ...view.values.map((v) => v.areaId)], [period]),
    values: view.values.map((v) => ({ areaId: v.areaId, code: v.code, name: v.name, ...present(viewer, indicator, hide(v.areaId, period, v), v) })),
  }, hide)
}

/** One kind of period of an indicator for some areas (of any layers), with the city's value beside them. */
export async function getSeries(db: Kysely<Database>, viewer: Viewer, indicatorId: string, areaIds: number[], periodKind?: PeriodKind): Promise<SeriesDto> {
  const indicator = await lookup(db, indicatorId)
  const areas = await findAreas(db, areaIds)
  const missing = areaIds.filter((id) => !areas.some((a) => a.id === id))
  if (missing.length) {
    throw AppError.notFound(`Unknown area: ${missing.join(', ')}`, missing.map((id) => ({ field: 'areas', message: `no area with id ${id}` })))
  }
  const versions = await versionsOf(db)
  const version = versions.data
  const c = await cellsOf(db, indicator, versions)
  const hide = await hiddenOf(c)
  const layerIds = [...new Set(areas.map((a) => a.layer_id))]
  const periodsByLayer = new Map(layerIds.map((l) => {
    const { own, crosswalked } = layerPeriods(c.derived, l)
    return [l, [...own, ...(indicator.unit === 'index' ? [] : crosswalked.keys())]] as const
  }))
  const held = [...periodsByLayer.values()].flat()
  const kind = periodKind ?? defaultPeriodKind(held)
  const points = new Map<number, SeriesDto['series'][number]['points']>(areaIds.map((id) => [id, []]))
  let pending = false
  for (const layerId of layerIds) {
    for (const period of sortPeriods(periodsByLayer.get(layerId)!)) {
      if (parsePeriod(period)!.kind !== kind) continue
      const view = await layerView(db, c, layerId, period, version, viewer === 'outside' ? hide : null)
      for (const v of view.values) {
        if (!points.has(v.areaId)) continue
        const why = hide(v.areaId, period, v)
        if (why === 'unaudited') pending = true
        points.get(v.areaId)!.push({ period, ...present(viewer, indicator, why, v) })
      }
    }
  }
  const periods = sortPeriods(new Set([...points.values()].flat().map((p) => p.period)))
  if (periods.some((p) => hide(CITY, p, c.derived.cells.get(cellKey(CITY, p)) ?? NO_CELL) === 'unaudited')) pending = true
  return markProvisional({
    indicator: indicatorId,
    unit: indicator.unit,
    demo: indicator.is_demo,
    source: indicator.source,
    suppression: { threshold: indicator.min_publish_count, internal: viewer === 'internal', ...(pending ? { pending } : {}) },
    periodKind: kind,
    periodKinds: periodKindsOf(held),
    periods,
    city: periods.map((p) => cityValue(c, viewer, p, hide)).filter((x): x is CityValueDto => x !== null),
    population: populationOf(c, [CITY, ...areaIds], periods),
    series: areaIds.map((id) => {
      const a = areas.find((x) => x.id === id)!
      return { areaId: id, layer: a.layer_id, code: a.code, name: a.name, approximate: a.approximate, points: points.get(id)! }
    }),
  }, hide)
}

/** Every cell of an indicator and the disclosure verdicts, as the values API forms them: for tests and benchmarks that check the API against the one derivation. */
export async function indicatorCells(db: Kysely<Database>, indicatorId: string, options: ReadOptions = {}): Promise<{ derived: DerivedCells; cube: DisclosureCube | null }> {
  const c = await cellsOf(db, await lookup(db, indicatorId), await versionsOf(db))
  return { derived: c.derived, cube: await cubeOf(c, options) }
}
