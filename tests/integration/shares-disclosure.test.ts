/**
 * Shares whose numerators and denominators add up (pupils eligible for upper secondary, young people
 * neither working nor studying) must not give away a small group by subtraction: a parent's numerator
 * and denominator minus its shown children's leave the hidden child's. The attacker here works on three
 * tables at once — numerators, denominators and their difference (the count without the attribute) —
 * with every sum over nested areas and the city, and each cell's own d = n + c, exactly as an outsider
 * can form them from what a local group fetches live and what the public fetches from a published
 * snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { recoverBySubtraction } from '../helpers/differencing-attack'
import { testEngines } from '../helpers/engines'
import { send, startApp, type Client, type RunningApp } from '../helpers/http'

const SHARES = ['demo_behoriga_gymnasiet', 'demo_unga_uvas']
const THRESHOLD = 5

/** One share cell as a viewer got it: numerator and denominator, null where hidden. */
interface Got {
  n: number | null
  d: number | null
  suppressed: boolean
  value: number | null
}

/** Every cell of an indicator a viewer can fetch: `area|period` (and `city|period`) → what was shown, with each area's layer. */
async function fetchCells(client: Client, url: (layer: string, period: string) => string, layers: Array<{ layer: string; periods: string[] }>) {
  const cells = new Map<string, Got>()
  const layerOf = new Map<string, string>()
  for (const { layer, periods } of layers) {
    for (const period of periods) {
      const res = await client.get(url(layer, period))
      if (res.status === 404) continue
      expect(res.status, url(layer, period)).toBe(200)
      if (res.body.method?.kind === 'crosswalk') continue // estimates carry no numerators
      const put = (key: string, v: any) => cells.set(key, { n: v.numerator ?? null, d: v.denominator ?? null, suppressed: v.suppressed, value: v.value })
      for (const v of res.body.values) {
        put(`${v.areaId}|${period}`, v)
        layerOf.set(`${v.areaId}|${period}`, layer)
      }
      if (res.body.city) put(`city|${period}`, res.body.city)
    }
  }
  return { cells, layerOf }
}

type Relation = { total: string; parts: string[] }

describe.each(testEngines())('shares and their numerators on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let publicView: Client
  let snapshotId: number
  /** The share layers each indicator has, from the catalogue. */
  const layersOf = new Map<string, Array<{ layer: string; periods: string[] }>>()

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    publicView = await app.as('public')
    const catalogue = (await app.get('/api/indicators')).body as Array<{ id: string; layers: Array<{ layer: string; periods: string[] }> }>
    for (const id of SHARES) layersOf.set(id, catalogue.find((i) => i.id === id)!.layers)
    const layers = [...new Set([...layersOf.values()].flat().map((l) => l.layer))]
    const created = await send(app, 'POST', '/api/snapshots', { title: 'Andelar', indicators: SHARES, layers })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    snapshotId = created.body.id
    expect((await send(app, 'POST', `/api/snapshots/${snapshotId}/publish`)).status).toBe(200)
  }, 300_000)
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  /** The sums an outsider knows: children of a parent per layer, and every layer covering the city; kept where they hold in the true table. */
  async function sums(keys: Set<string>, layerOf: Map<string, string>, truth: (key: string) => number): Promise<Relation[]> {
    const links = await db.kysely.selectFrom('area_parents as ap').innerJoin('areas as c', 'c.id', 'ap.child_id').select(['ap.parent_id', 'ap.child_id', 'c.layer_id']).execute()
    const groups = new Map<string, number[]>()
    for (const l of links) (groups.get(`${l.parent_id}|${l.layer_id}`) ?? groups.set(`${l.parent_id}|${l.layer_id}`, []).get(`${l.parent_id}|${l.layer_id}`)!).push(l.child_id)
    const periods = new Set([...keys].map((k) => k.slice(k.indexOf('|') + 1)))
    const out: Relation[] = []
    const add = (total: string, parts: string[]) => {
      if (!keys.has(total) || parts.length === 0 || parts.some((p) => !keys.has(p))) return
      if (parts.reduce((s, p) => s + truth(p), 0) === truth(total)) out.push({ total, parts })
    }
    for (const p of periods) {
      for (const [k, children] of groups) add(`${k.split('|')[0]}|${p}`, children.map((c) => `${c}|${p}`))
      for (const layer of new Set(layerOf.values())) add(`city|${p}`, [...layerOf].filter(([k, l]) => l === layer && k.endsWith(`|${p}`)).map(([k]) => k))
    }
    return out
  }

  /**
   * The attack on one indicator's shown cells: the numerator (n), denominator (d) and complement (c = d − n)
   * tables with their sums, and each cell's d = n + c. Returns what it learnt about every hidden member.
   */
  async function attack(shown: Map<string, Got>, layerOf: Map<string, string>, truth: Map<string, Got>) {
    const cells = new Map<string, number | null>()
    for (const [k, g] of shown) {
      cells.set(`n:${k}`, g.n)
      cells.set(`d:${k}`, g.d)
      cells.set(`c:${k}`, g.n !== null && g.d !== null ? g.d - g.n : null)
    }
    const keys = new Set(shown.keys())
    const value = (t: 'n' | 'd' | 'c', k: string) => {
      const g = truth.get(k)!
      return t === 'n' ? g.n! : t === 'd' ? g.d! : g.d! - g.n!
    }
    const relations: Relation[] = []
    for (const t of ['n', 'd', 'c'] as const) {
      for (const r of await sums(keys, layerOf, (k) => value(t, k))) relations.push({ total: `${t}:${r.total}`, parts: r.parts.map((p) => `${t}:${p}`) })
    }
    for (const k of keys) relations.push({ total: `d:${k}`, parts: [`n:${k}`, `c:${k}`] })
    const learnt = recoverBySubtraction(cells, relations)
    const exact: string[] = []
    const small: string[] = []
    for (const [id, iv] of learnt) {
      const [t, k] = [id.slice(0, 1) as 'n' | 'd' | 'c', id.slice(2)]
      const v = value(t, k)
      expect(iv.lo <= v && v <= iv.hi, `the attacker's interval for ${id} must hold the truth ${v}`).toBe(true)
      if (iv.lo === iv.hi) exact.push(`${id} = ${v}`)
      else if (iv.hi < THRESHOLD) small.push(`${id} in [${iv.lo}, ${iv.hi}] (true ${v})`)
    }
    return { exact, small, hidden: learnt.size, relations: relations.length }
  }

  /** The true numerators and denominators, from the analysts' live view. */
  const truthOf = async (id: string) => (await fetchCells(app, (layer, period) => `/api/indicators/${id}/values?layer=${layer}&period=${period}`, layersOf.get(id)!)).cells

  it('would give away single pupils with primary suppression alone: plain subtraction recovers hidden numerators and denominators', async () => {
    let exact = 0
    for (const id of SHARES) {
      const truth = await truthOf(id)
      const { layerOf } = await fetchCells(app, (layer, period) => `/api/indicators/${id}/values?layer=${layer}&period=${period}`, layersOf.get(id)!)
      // The primary rule only, applied to the true cells.
      const primaryOnly = new Map([...truth].map(([k, g]) => [k, g.n! < THRESHOLD || g.d! - g.n! < THRESHOLD ? { ...g, n: null, d: null, suppressed: true } : g]))
      exact += (await attack(primaryOnly, layerOf, truth)).exact.length
    }
    expect(exact).toBeGreaterThan(0)
  })

  for (const view of ['local', 'public'] as const) {
    it(`lets no hidden numerator, denominator or complement be pinned or proven small from what ${view === 'local' ? 'a local group fetches live' : 'the public fetches from a published snapshot'}`, async () => {
      for (const id of SHARES) {
        const truth = await truthOf(id)
        const { cells, layerOf } =
          view === 'local'
            ? await fetchCells(local, (layer, period) => `/api/indicators/${id}/values?layer=${layer}&period=${period}`, layersOf.get(id)!)
            : await fetchCells(publicView, (layer, period) => `/api/snapshots/${snapshotId}/values?indicator=${id}&layer=${layer}&period=${period}`, layersOf.get(id)!)
        expect(cells.size, id).toBe(truth.size)
        const { exact, small, hidden, relations } = await attack(cells, layerOf, truth)
        // The data test something: hidden cells tied to shown ones by many sums.
        expect(hidden, id).toBeGreaterThan(0)
        expect(relations, id).toBeGreaterThan(100)
        expect({ id, exact, small }).toEqual({ id, exact: [], small: [] })
        // A hidden share hides its numerator and its denominator; a shown one has both groups at the threshold or more.
        for (const [k, g] of cells) {
          if (g.suppressed) expect(g, `${id} ${k}`).toMatchObject({ value: null, n: null, d: null })
          else {
            expect(g.n, `${id} ${k}`).toBeGreaterThanOrEqual(THRESHOLD)
            expect(g.d! - g.n!, `${id} ${k}`).toBeGreaterThanOrEqual(THRESHOLD)
          }
        }
      }
    }, 300_000)
  }

  it('gives the same hidden shares in the GeoJSON download, the CSV download and the open-data items as in the values', async () => {
    for (const id of SHARES) {
      const period = layersOf.get(id)!.find((l) => l.layer === 'primaromrade')!.periods.at(-1)!
      const json = (await local.get(`/api/indicators/${id}/values?layer=primaromrade&period=${period}`)).body
      const hidden = json.values.filter((v: any) => v.suppressed)
      expect(hidden.length, id).toBeGreaterThan(0)
      const geo = await local.get(`/api/indicators/${id}/values?layer=primaromrade&period=${period}&format=geojson`)
      expect(geo.status).toBe(200)
      for (const v of json.values) {
        const f = geo.body.features.find((x: any) => x.properties.id === v.areaId)
        expect(f.properties, `${id} ${v.code}`).toMatchObject({ value: v.value, numerator: v.numerator, denominator: v.denominator, suppressed: v.suppressed })
      }
      const csv = (await local.get(`/api/indicators/${id}/values?layer=primaromrade&period=${period}&format=csv`)).body as string
      const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(';'))
      const col = (name: string) => lines[0]!.indexOf(name)
      for (const v of hidden) {
        const row = lines.find((l) => l[col('Kod')] === v.code)!
        expect([row[col('Värde')], row[col('Täljare')], row[col('Nämnare')], row[col('Dold')]], `${id} ${v.code}`).toEqual(['', '', '', 'ja'])
      }
      const snap = (await publicView.get(`/api/snapshots/${snapshotId}/values?indicator=${id}&layer=primaromrade&period=${period}`)).body
      const items = (await publicView.get(`/ogc/collections/lagesbild-${snapshotId}-primaromrade/items?limit=1000`)).body.features
      for (const v of snap.values) {
        const f = items.find((x: any) => x.id === v.areaId)
        expect(f.properties[`${id}__${period}`], `${id} ${v.code}`).toBe(v.suppressed ? null : v.value)
      }
    }
  })
})
