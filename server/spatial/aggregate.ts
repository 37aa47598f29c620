/**
 * Pure aggregation of dated points (EPSG:3006) into counts per (area, slot) in every layer, each point in
 * the boundary version valid on its day, and per H3 cell. A slot is the caller's group (e.g. a category
 * and month), numbered densely from 0. This is the one aggregation the incident import uses.
 */
import { AreaIndex } from './area-index'
import { hexCell } from './hexbin'
import { projectorFrom3006 } from './reproject'

/** One version of an area: geometry as GeoJSON (Multi)Polygon coordinates in EPSG:3006. */
export interface AreaVersion {
  id: number
  layerId: string
  validFrom: string
  validTo: string | null
  geometry: { type: string; coordinates: unknown }
}

/** A layer over a stretch of time in which the same boundary versions hold. */
export interface LayerEpoch {
  layerId: string
  from: string
  to: string | null
  /** The same bounds as yyyymmdd integers, compared per point. */
  fromDay: number
  toDay: number
  index: AreaIndex
  areaIds: number[]
  /** Area id → position in areaIds (-1 if not in this epoch). */
  posOf: Int32Array
}

/** An ISO date as a yyyymmdd integer. */
export const dayNumber = (iso: string) => Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10))

const toMulti = (g: AreaVersion['geometry']): number[][][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][]

/** One index per layer and stretch of time in which the same boundary versions hold. */
export function buildEpochs(versions: readonly AreaVersion[]): LayerEpoch[] {
  const byLayer = new Map<string, AreaVersion[]>()
  for (const v of versions) byLayer.set(v.layerId, [...(byLayer.get(v.layerId) ?? []), v])
  const epochs: LayerEpoch[] = []
  for (const [layerId, list] of byLayer) {
    const cuts = [...new Set(list.flatMap((v) => [v.validFrom, ...(v.validTo ? [v.validTo] : [])]))].sort()
    for (let i = 0; i < cuts.length; i++) {
      const from = cuts[i]!
      const to = cuts[i + 1] ?? null
      const valid = list.filter((v) => v.validFrom <= from && (v.validTo === null || v.validTo > from))
      if (valid.length === 0) continue
      const index = AreaIndex.build(valid.map((v) => ({ id: v.id, coordinates: toMulti(v.geometry) })))
      const areaIds = valid.map((v) => v.id)
      const posOf = new Int32Array(Math.max(...areaIds) + 1).fill(-1)
      areaIds.forEach((id, k) => (posOf[id] = k))
      epochs.push({ layerId, from, to, fromDay: dayNumber(from), toDay: to ? dayNumber(to) : Number.POSITIVE_INFINITY, index, areaIds, posOf })
    }
  }
  return epochs
}

/** The epoch of a layer that holds on a day; before every version, the first one (data older than the boundaries). */
export function epochAt(epochs: readonly LayerEpoch[], day: number): LayerEpoch | undefined {
  for (const e of epochs) if (e.fromDay <= day && e.toDay > day) return e
  return epochs[0]
}

const BATCH = 65_536
/** Profile slots per area in PointTally's sparse keys (area position × span + slot stays below 2^53). */
export const PROFILE_SPAN = 1 << 24

/**
 * Counts points per (area, slot) in every epoch's layer and per H3 cell. Only points inside the clip
 * layer count anywhere (the rest are `outside`), so a layer that reaches into the sea cannot hold points
 * the clip layer's total leaves out. Points wait in flat arrays until a batch is full or `flush()`; counts
 * live in one Int32Array per epoch (area position × slot capacity): no per-point objects or strings.
 */
export class PointTally {
  accepted = 0
  outside = 0
  private capacity = 32
  private readonly tallies: Map<LayerEpoch, Int32Array>
  private readonly hex = new Map<string, Int32Array>()
  private readonly layers: LayerEpoch[][]
  private readonly clip: LayerEpoch[]
  private readonly toWgs = projectorFrom3006('EPSG:4326')
  private n = 0
  private readonly xs = new Float64Array(BATCH)
  private readonly ys = new Float64Array(BATCH)
  private readonly days = new Float64Array(BATCH)
  private readonly slots = new Int32Array(BATCH)
  private readonly profiles = new Int32Array(BATCH)
  /** Per epoch of a profile layer: pos × PROFILE_SPAN + profile slot → count, sparse (most never occur). */
  private readonly profileTallies = new Map<LayerEpoch, Map<number, number>>()

  constructor(
    readonly epochs: readonly LayerEpoch[],
    clipLayer: string,
    private readonly hexResolution: number,
    /** Layers that also count each point's second, finer slot (the weekday × hour profile), sparsely. */
    profileLayers: ReadonlySet<string> = new Set(),
  ) {
    const byLayer = new Map<string, LayerEpoch[]>()
    for (const e of epochs) byLayer.set(e.layerId, [...(byLayer.get(e.layerId) ?? []), e])
    this.layers = [...byLayer.values()]
    this.clip = byLayer.get(clipLayer) ?? []
    this.tallies = new Map(epochs.map((e) => [e, new Int32Array(e.areaIds.length * this.capacity)]))
    for (const e of epochs) if (profileLayers.has(e.layerId)) this.profileTallies.set(e, new Map())
  }

  /** A point at (x, y) on `day` (yyyymmdd, see dayNumber) in `slot`; counted at the next flush. */
  add(x: number, y: number, day: number, slot: number, profile = -1): void {
    if (profile >= PROFILE_SPAN) throw new RangeError(`PointTally.add: profile slot must be < ${PROFILE_SPAN}, got ${profile}`)
    if (!Number.isInteger(slot) || slot < 0) throw new RangeError(`PointTally.add: slot must be an integer ≥ 0, got ${slot}`)
    if (slot >= this.capacity) {
      if (this.n > 0) this.flush() // counters are about to be re-laid out
      while (slot >= this.capacity) this.grow()
    }
    const i = this.n
    this.xs[i] = x
    this.ys[i] = y
    this.days[i] = day
    this.slots[i] = slot
    this.profiles[i] = profile
    if (++this.n === BATCH) this.flush()
  }

  /** Counts the waiting points. */
  flush(): void {
    const { xs, ys, days, slots, profiles, n } = this
    let m = 0
    for (let i = 0; i < n; i++) {
      const clip = epochAt(this.clip, days[i]!)
      if (!clip || clip.index.locate(xs[i]!, ys[i]!) < 0) {
        this.outside++
        continue
      }
      xs[m] = xs[i]!
      ys[m] = ys[i]!
      days[m] = days[i]!
      slots[m] = slots[i]!
      profiles[m] = profiles[i]!
      m++
    }
    this.accepted += m
    const capacity = this.capacity
    for (const list of this.layers) {
      for (let i = 0; i < m; i++) {
        const e = list.length === 1 ? list[0]! : epochAt(list, days[i]!)
        if (!e) continue
        const id = e.index.locate(xs[i]!, ys[i]!)
        if (id < 0) continue
        this.tallies.get(e)![e.posOf[id]! * capacity + slots[i]!]!++
        const profile = profiles[i]!
        const pt = profile >= 0 ? this.profileTallies.get(e) : undefined
        if (pt) {
          const k = e.posOf[id]! * PROFILE_SPAN + profile
          pt.set(k, (pt.get(k) ?? 0) + 1)
        }
      }
    }
    for (let i = 0; i < m; i++) {
      const [lon, lat] = this.toWgs(xs[i]!, ys[i]!)
      const cell = hexCell(lon, lat, this.hexResolution)
      let t = this.hex.get(cell)
      if (!t || t.length <= slots[i]!) {
        const bigger = new Int32Array(capacity)
        if (t) bigger.set(t)
        this.hex.set(cell, (t = bigger))
      }
      t[slots[i]!]!++
    }
    this.n = 0
  }

  /** Points counted for the area at `pos` in `epoch.areaIds` in `slot`. */
  count(epoch: LayerEpoch, pos: number, slot: number): number {
    return slot < this.capacity ? this.tallies.get(epoch)![pos * this.capacity + slot]! : 0
  }

  /** Profile counts of an epoch of a profile layer: [area position, profile slot, count], only where > 0. */
  *profileCounts(epoch: LayerEpoch): Generator<[number, number, number]> {
    for (const [k, v] of this.profileTallies.get(epoch) ?? []) yield [Math.floor(k / PROFILE_SPAN), k % PROFILE_SPAN, v]
  }

  /** H3 cell → points per slot (slots past the array's end had none); only cells with points. */
  get cells(): ReadonlyMap<string, Int32Array> {
    return this.hex
  }

  /** Areas (of every epoch) and cells with at least one point. */
  areasTouched(): number {
    const cap = this.capacity
    let sum = this.hex.size
    for (const [e, t] of this.tallies) sum += e.areaIds.filter((_, a) => t.subarray(a * cap, (a + 1) * cap).some((v) => v > 0)).length
    return sum
  }

  private grow() {
    const next = this.capacity * 2
    for (const [e, old] of this.tallies) {
      const t = new Int32Array(e.areaIds.length * next)
      for (let a = 0; a < e.areaIds.length; a++) t.set(old.subarray(a * this.capacity, (a + 1) * this.capacity), a * next)
      this.tallies.set(e, t)
    }
    this.capacity = next
  }
}
