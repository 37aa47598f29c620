import type { Db } from '../db/connect'
import type { FrozenBasis } from '../db/schema'
import { populationStore } from '../db/population'
import { CITY_POPULATION, populationFor, populationNote } from './core/population'
import { overlappingAreas } from './features/areas/areas.repository'
import { areaCollection, layerDtos, queenNeighbours, today } from './features/areas/areas.service'
import { getIndicators, getValues } from './features/indicators/indicators.service'
import type { IndicatorSources } from './features/indicators/indicators.routes'
import { discloseMeasures, evaluateMeasure } from './features/measures/measures.evaluation'
import { listMeasures } from './features/measures/measures.service'
import { listCycles, listProblemAreas } from './features/priorities/priorities.service'
import { listSamverkansformer } from './features/samverkansformer/samverkansformer.service'
import type { SnapshotSources } from './features/snapshots/snapshots.service'
import type { FigureSource } from './features/priorities/priorities.schema'
import type { OperationalSources } from './features/operational/operational.service'
import type { AlertSources } from './features/alerts/alerts.service'
import { dataVersion } from '../db/data-version'
import type { TimeProfileSources } from './features/time-profile/time-profile.service'
import { AppError } from './errors'
import type { OgcSources } from './features/ogc/ogc.service'
import { getSnapshot, getSnapshotAreas, getSnapshotValues, listSnapshotDtos } from './features/snapshots/snapshots.service'

/**
 * Snapshots are composed here from the other features, which do not import each other: the app serves
 * them, and the demo start freezes its published demo lägesbild with them.
 */
/** `auditWaitMs`: how long freezing waits for an indicator's final audit before refusing (none: as long as it takes). */
export function snapshotSources(db: Db, auditWaitMs?: number): SnapshotSources {
  const k = db.kysely
  return {
    indicators: async () => (await getIndicators(k)).map((i) => ({ ...i, layers: i.layers })),
    layers: async () => (await layerDtos(k)).map((l) => ({ ...l })),
    // Published figures are the public's: suppressed, primary and secondary, with the disclosure audit's
    // final verdicts. A release carries its hidden cells forward into every later one of unchanged data, so
    // one frozen while figures were withheld would keep them hidden for good: a snapshot waits for the audit,
    // or is refused (503) when it takes longer than the request should wait.
    values: async (indicator, layer, period) => {
      const { suppression: { pending: _, ...suppression }, ...v } = await getValues(k, 'outside', indicator, layer, period, { settled: true, ...(auditWaitMs !== undefined ? { waitMs: auditWaitMs } : {}) })
      return { ...v, suppression }
    },
    basis: async (indicator, layer, period) => {
      const v = await getValues(k, 'internal', indicator, layer, period)
      const row = (area: number | null, x: { value: number | null; numerator?: number | null; denominator?: number | null }): FrozenBasis[number] => [area, x.value, x.numerator ?? null, x.denominator ?? null]
      return [...(v.city ? [row(null, v.city)] : []), ...v.values.map((x) => row(x.areaId, x))]
    },
    areas: (layer) => areaCollection(k, layer, today()),
    neighbours: async (layer, at) => (await queenNeighbours(k, layer, at)).neighbours,
    overlapping: (target, candidates) => overlappingAreas(k, target, candidates),
    population: async (layer, period) => {
      const model = await populationFor(await populationStore(k), [layer])
      return (area) => {
        const f = model.forPeriod(area === 'city' ? CITY_POPULATION : area, period)
        return f ? { population: f.population, note: populationNote(f, f.estimated) } : null
      }
    },
    samverkansformer: async () => (await listSamverkansformer(k)).map((s) => ({ id: s.id, name: s.name, status: s.status })),
    priorities: async () => {
      const cycles = await listCycles(k)
      const current = cycles.find((c) => c.current) ?? cycles[0]
      // A retired problem area is no longer a priority: a frozen lägesbild shows those in force.
      const problemAreas = current ? (await listProblemAreas(k, current.id)).filter((p) => p.retiredAt === null) : []
      // Each measure as the public sees it: a baseline too small to publish stays hidden, and so does a
      // target that would give it away (or is a small count itself); the evaluation is of that measure.
      const publicFigures = { values: (indicator: string, layer: string, period: string) => getValues(k, 'outside', indicator, layer, period), indicators: () => getIndicators(k) }
      const measures = []
      for (const m of await discloseMeasures(k, publicFigures, await listMeasures(k, {}))) measures.push({ ...m, evaluation: await evaluateMeasure(k, publicFigures, m) })
      return { cycle: current ?? null, problemAreas, measures }
    },
  }
}

/** The values download's geometry: the same display copy of the areas the map draws. */
export function indicatorSources(db: Db): IndicatorSources {
  return { areas: (layer, at) => areaCollection(db.kysely, layer, at ?? today()) }
}

/**
 * The figures an orsaksanalys cites, derived when read from the indicators' values as the reader may see
 * them: the area's row of its layer, or the city's figure (areaId null). Null where there is none.
 */
export function evidenceFigures(db: Db): FigureSource {
  return {
    figure: async (viewer, indicatorId, layer, areaId, period) => {
      const v = await getValues(db.kysely, viewer, indicatorId, layer, period)
      const row = areaId === null ? v.city : v.values.find((x) => x.areaId === areaId)
      if (!row) return null
      return { value: row.value, unit: v.unit, suppressed: row.suppressed, numerator: row.numerator ?? null, denominator: row.denominator ?? null }
    },
  }
}

/** The weekly figures of the continuous local picture, disclosed to the caller as the values route would. */
export function operationalSources(db: Db): (internal: boolean) => OperationalSources {
  return (internal) => ({
    indicator: async (id) => (await getIndicators(db.kysely)).find((i) => i.id === id) ?? null,
    values: async (indicator, layer, period) => {
      try {
        return await getValues(db.kysely, internal ? 'internal' : 'outside', indicator, layer, period)
      } catch (e) {
        // An unknown layer or one without values: the feature says which in words.
        if (e instanceof AppError && e.status === 404) return null
        throw e
      }
    },
  })
}

/** The alerts' figures: analysts' (internal) to test, everyone else's to decide who may be told. */
export function alertSources(db: Db): AlertSources {
  const k = db.kysely
  return {
    version: () => dataVersion(k),
    layers: async () => (await layerDtos(k)).map((l) => l.id),
    countIndicators: async () => (await getIndicators(k)).filter((i) => i.unit === 'count').map((i) => ({ id: i.id, name: i.name })),
    values: async (internal, indicator, layer, period) => {
      try {
        return await getValues(k, internal ? 'internal' : 'outside', indicator, layer, period)
      } catch (e) {
        if (e instanceof AppError && e.status === 404) return null
        throw e
      }
    },
  }
}

/** Which figures the values route hides outside the analyst role: a weekday × hour table's total must hide them too. */
export function timeProfileSources(db: Db): TimeProfileSources {
  return {
    hiddenOutside: async (indicator, layer, period) => {
      try {
        const v = await getValues(db.kysely, 'outside', indicator, layer, period)
        return new Map(v.values.map((x) => [x.areaId, x.suppressed]))
      } catch (e) {
        // A period the layer has no values for: nothing there to agree with.
        if (e instanceof AppError && e.status === 404) return null
        throw e
      }
    },
  }
}

/** The open-data endpoints' figures: exactly the public's answers of the snapshot API (published only, suppressed). */
export function ogcSources(db: Db): OgcSources {
  const k = db.kysely
  return {
    layers: async () => (await layerDtos(k)).map((l) => ({ id: l.id, name: l.name, description: l.description, source: l.source, licence: l.licence })),
    snapshots: async () => (await listSnapshotDtos(k, false)).filter((s) => s.published),
    snapshot: (id) => getSnapshot(k, id, false),
    snapshotValues: (id, indicator, layer, period) => getSnapshotValues(k, id, false, indicator, layer, period),
    snapshotAreas: (id, layer) => getSnapshotAreas(k, id, false, layer),
    indicators: async () => (await getIndicators(k)).map((i) => ({ id: i.id, name: i.name, layers: i.layers })),
    internalValues: (indicator, layer, period) => getValues(k, 'internal', indicator, layer, period),
  }
}
