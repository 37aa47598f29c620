import { sql, type Kysely, type Transaction } from 'kysely'
import { dataVersion } from './data-version'
import type { Database } from './schema'

type Executor = Kysely<Database> | Transaction<Database>

/** The layer whose current areas partition the city (as in the indicators' derivation). */
const CITY_LAYER = 'stadsomrade'

interface Base {
  stored: Array<{ area: number; year: number; population: number }>
  areas: Array<{ id: number; layer: string; current: boolean }>
  nesting: Array<{ child: string; parent: string }>
  links: Array<{ child: number; parent: number }>
  cityLayer: string
}
type Overlap = { target: number; source: number; share: number }

/** Stored population, every area, nesting and links: what server/core/population.ts derives from. */
async function readBase(db: Executor): Promise<Base> {
  const [stored, areas, nesting, links] = await Promise.all([
    db.selectFrom('area_population').select(['area_id', 'year', 'population']).execute(),
    db.selectFrom('areas').select(['id', 'layer_id', sql<boolean>`valid_to IS NULL`.as('current')]).execute(),
    db.selectFrom('layer_nesting').select(['child_layer_id', 'parent_layer_id']).execute(),
    db.selectFrom('area_parents').select(['child_id', 'parent_id']).execute(),
  ])
  return {
    stored: stored.map((r) => ({ area: r.area_id, year: r.year, population: Number(r.population) })),
    areas: areas.map((a) => ({ id: a.id, layer: a.layer_id, current: a.current })),
    nesting: nesting.map((n) => ({ child: n.child_layer_id, parent: n.parent_layer_id })),
    links: links.map((l) => ({ child: l.child_id, parent: l.parent_id })),
    cityLayer: CITY_LAYER,
  }
}

/**
 * Share of each current source area's land in each current target area: area(source ∩ target ∩ land) /
 * area(source ∩ land), the land being the city's primärområden (SCB's DeSO and RegSO reach over the sea).
 * The source is cut into its pieces on land first, so a target reaching over the sea (a RegSO, a hexagon)
 * never gets more than the whole of a source.
 */
export async function overlapShares(db: Executor, targetLayer: string, sourceLayer: string): Promise<Overlap[]> {
  const { rows } = await sql<{ target: number; source: number; share: number }>`
    WITH piece AS MATERIALIZED (
      SELECT s.id AS source,
        CASE WHEN s.layer_id = 'primaromrade' OR ST_CoveredBy(s.geom, p.geom) THEN s.geom ELSE ST_Intersection(s.geom, p.geom) END AS geom
      FROM areas s JOIN areas p ON p.layer_id = 'primaromrade' AND p.valid_to IS NULL
        AND (s.layer_id <> 'primaromrade' OR p.id = s.id) AND p.geom && s.geom AND ST_Intersects(p.geom, s.geom)
      WHERE s.layer_id = ${sourceLayer} AND s.valid_to IS NULL),
    land AS (SELECT source, sum(ST_Area(geom)) AS land FROM piece GROUP BY source),
    part AS (
      SELECT t.id AS target, piece.source,
        sum(CASE WHEN ST_CoveredBy(piece.geom, t.geom) THEN ST_Area(piece.geom) ELSE ST_Area(ST_Intersection(piece.geom, t.geom)) END) AS a
      FROM areas t JOIN piece ON piece.geom && t.geom AND ST_Intersects(piece.geom, t.geom)
      WHERE t.layer_id = ${targetLayer} AND t.valid_to IS NULL
      GROUP BY t.id, piece.source)
    SELECT part.target, part.source, (part.a / land.land)::float8 AS share
    FROM part JOIN land ON land.source = part.source
    WHERE land.land > 0 AND part.a > 0`.execute(db)
  return rows.map((r) => ({ target: r.target, source: r.source, share: Math.min(1, Number(r.share)) }))
}

interface Entry {
  key: string
  base?: Promise<Base>
}
const cache = new WeakMap<object, Entry>()
const overlapCache = new WeakMap<object, { key: string; overlaps: Map<string, Promise<Overlap[]>>; land?: Promise<Map<number, number>> }>()

/** Each current primärområde's area (m²): the land the overlap shares of a primärområde are shares of. */
async function primaryLand(db: Executor): Promise<Map<number, number>> {
  const { rows } = await sql<{ id: number; land: number }>`
    SELECT id, ST_Area(geom)::float8 AS land FROM areas WHERE layer_id = 'primaromrade' AND valid_to IS NULL`.execute(db)
  return new Map(rows.map((r) => [r.id, Number(r.land)]))
}


/**
 * The population store of server/core/population.ts. The figures are cached per data version (an import
 * moves it); the overlaps, which cost PostGIS a second a layer and depend on boundaries only, per set of
 * areas (a boundary import adds versions and ends others, a drawn place adds one), so an import of
 * incidents or population does not recompute them.
 */
export async function populationStore(db: Kysely<Database>) {
  const [version, areas] = await Promise.all([
    dataVersion(db),
    db
      .selectFrom('areas')
      .select((e) => [e.fn.max('id').as('m'), e.fn.countAll().as('n'), sql<number>`count(*) FILTER (WHERE valid_to IS NULL)`.as('c')])
      .executeTakeFirst(),
  ])
  const areasKey = `${Number(areas?.m ?? 0)}|${Number(areas?.n ?? 0)}|${Number(areas?.c ?? 0)}`
  const key = `${version}|${areasKey}`
  let entry = cache.get(db)
  if (!entry || entry.key !== key) cache.set(db, (entry = { key }))
  let geo = overlapCache.get(db)
  if (!geo || geo.key !== areasKey) overlapCache.set(db, (geo = { key: areasKey, overlaps: new Map() }))
  const e = entry
  const o = geo
  const remember = <T>(p: Promise<T>, forget: () => void) => {
    p.catch(forget)
    return p
  }
  return {
    base: () => (e.base ??= remember(readBase(db), () => (e.base = undefined))),
    overlaps: (target: string, source: string) => {
      const k = `${target}|${source}`
      const hit = o.overlaps.get(k)
      if (hit) return hit
      const p = remember(overlapShares(db, target, source), () => o.overlaps.delete(k))
      o.overlaps.set(k, p)
      return p
    },
    primaryLand: () => (o.land ??= remember(primaryLand(db), () => (o.land = undefined))),
  }
}
