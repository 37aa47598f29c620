// Benchmarks secondary cell suppression (server/disclosure/secondary.ts) on a Göteborg-sized cube: the city,
// 4 stadsområden, 96 primärområden, a 320-cell DeSO layer and a 2 000-cell hex layer (both summing to the
// city) × 7 years of 12 months, 4 quarters, 2 halves and the year. Counts are drawn as incidents, so every
// layer adds up. Run with `npx tsx tests/bench/suppression.ts`.
// BENCH_SUPPRESSION_RUNS (default 5): timed runs per scenario, after one warm-up run.
import { performance } from 'node:perf_hooks'
import { attackIntervals, secondarySuppression, type Relation } from '../../server/disclosure/secondary'
import { recoverBySubtraction } from '../helpers/differencing-attack'
import { mulberry32, poisson } from '../helpers/random'

const RUNS = Number(process.env.BENCH_SUPPRESSION_RUNS ?? 5)
const THRESHOLD = 5
const YEARS = 7
const STADSOMRADEN = 4
const PRIMAROMRADEN = 96
const DESO = 320
const HEX = 2000

interface Cube { values: Float64Array; relations: Relation[]; names: string[] }

/**
 * `perYear` incidents a year in the whole city, spread over the primärområden with a log-normal-ish
 * spread of rates (a few hot spots, many quiet areas) and a seasonal swing. Each incident also falls in a
 * DeSO and a hex cell near its primärområde: the layers overlap without nesting, as on the map.
 */
function buildCube(perYear: number, seed: number): Cube {
  const rnd = mulberry32(seed)
  const names = ['city']
  const so = Array.from({ length: STADSOMRADEN }, (_, i) => names.push(`so${i}`) - 1)
  const po = Array.from({ length: PRIMAROMRADEN }, (_, i) => names.push(`po${i}`) - 1)
  const deso = Array.from({ length: DESO }, (_, i) => names.push(`deso${i}`) - 1)
  const hex = Array.from({ length: HEX }, (_, i) => names.push(`hex${i}`) - 1)
  const A = names.length
  // Per year: months 0–11, quarters 12–15, halves 16–17, the year 18.
  const P = 19
  const cell = (a: number, y: number, p: number) => (y * P + p) * A + a
  const values = new Float64Array(A * P * YEARS)

  const weight = po.map(() => Math.exp(2.2 * (rnd() + rnd() + rnd() - 1.5)))
  const sum = weight.reduce((s, w) => s + w, 0)
  const near = (i: number, layer: number[]) => {
    const j = Math.floor(((i + rnd()) / PRIMAROMRADEN) * layer.length + (rnd() - 0.5) * (layer.length / PRIMAROMRADEN) * 0.6)
    return layer[Math.min(layer.length - 1, Math.max(0, j))]!
  }
  for (let y = 0; y < YEARS; y++) {
    for (let m = 0; m < 12; m++) {
      const season = 1 + 0.3 * Math.sin(((m - 3) / 12) * 2 * Math.PI)
      po.forEach((a, i) => {
        const n = poisson(rnd, (perYear / 12) * season * (weight[i]! / sum))
        values[cell(a, y, m)] = n
        for (let k = 0; k < n; k++) {
          values[cell(near(i, deso), y, m)]! += 1
          values[cell(near(i, hex), y, m)]! += 1
        }
      })
    }
  }

  const relations: Relation[] = []
  const sumInto = (total: number, parts: number[]) => {
    values[total] = parts.reduce((s, p) => s + values[p]!, 0)
    relations.push({ total, parts })
  }
  const perSo = PRIMAROMRADEN / STADSOMRADEN
  for (let y = 0; y < YEARS; y++) {
    for (let m = 0; m < 12; m++) {
      so.forEach((s, i) => sumInto(cell(s, y, m), po.slice(i * perSo, (i + 1) * perSo).map((a) => cell(a, y, m))))
      sumInto(cell(0, y, m), so.map((s) => cell(s, y, m)))
    }
    for (let a = 0; a < A; a++) {
      const c = (p: number) => cell(a, y, p)
      for (let q = 0; q < 4; q++) sumInto(c(12 + q), [3 * q, 3 * q + 1, 3 * q + 2].map(c))
      for (let h = 0; h < 2; h++) {
        sumInto(c(16 + h), [12 + 2 * h, 13 + 2 * h].map(c))
        relations.push({ total: c(16 + h), parts: Array.from({ length: 6 }, (_, m) => c(6 * h + m)) })
      }
      sumInto(c(18), Array.from({ length: 12 }, (_, m) => c(m)))
      relations.push({ total: c(18), parts: [12, 13, 14, 15].map(c) }, { total: c(18), parts: [16, 17].map(c) })
    }
    for (let p = 0; p < P; p++) {
      // Months were summed above; the other periods' area totals already add up.
      if (p >= 12) {
        so.forEach((s, i) => relations.push({ total: cell(s, y, p), parts: po.slice(i * perSo, (i + 1) * perSo).map((a) => cell(a, y, p)) }))
        relations.push({ total: cell(0, y, p), parts: so.map((s) => cell(s, y, p)) })
      }
      relations.push({ total: cell(0, y, p), parts: deso.map((d) => cell(d, y, p)) })
      relations.push({ total: cell(0, y, p), parts: hex.map((h) => cell(h, y, p)) })
    }
  }
  return { values, relations, names }
}

function checkConsistent(cube: Cube): void {
  for (const r of cube.relations) {
    const s = r.parts.reduce((acc, p) => acc + cube.values[p]!, 0)
    if (s !== cube.values[r.total]) throw new Error(`relation with total ${r.total} does not add up: ${s} ≠ ${cube.values[r.total]}`)
  }
}

/** Both attackers on the published cube: every hidden cell must keep hi ≥ threshold and lo < hi. */
function violations(cube: Cube, suppressed: Uint8Array): [number, number] {
  const own = attackIntervals(cube.values, suppressed, cube.relations)
  let ours = 0
  suppressed.forEach((s, i) => { if (s && (own.hi[i]! < THRESHOLD || own.lo[i]! >= own.hi[i]!)) ours++ })
  const id = (i: number) => String(i)
  const cells = new Map<string, number | null>()
  cube.values.forEach((v, i) => cells.set(id(i), suppressed[i] ? null : v))
  const theirs = recoverBySubtraction(cells, cube.relations.map((r) => ({ total: id(r.total), parts: r.parts.map(id) })))
  let independent = 0
  for (const iv of theirs.values()) if (iv.hi < THRESHOLD || iv.lo >= iv.hi) independent++
  return [ours, independent]
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`
const count = (a: Uint8Array) => a.reduce((s, x) => s + x, 0)

const SCENARIOS = [
  { label: 'rare (1 500 incidents/year)', perYear: 1_500 },
  { label: 'typical (6 000/year)', perYear: 6_000 },
  { label: 'common (25 000/year)', perYear: 25_000 },
  { label: 'very common (100 000/year)', perYear: 100_000 },
]

const rows: string[][] = []
let failed = false
for (const [k, s] of SCENARIOS.entries()) {
  const cube = buildCube(s.perYear, 20261125 + k)
  checkConsistent(cube)
  const primary = Uint8Array.from(cube.values, (v) => (v < THRESHOLD ? 1 : 0))
  const entries = cube.relations.reduce((n, r) => n + r.parts.length, 0)
  const problem = { values: cube.values, primary, relations: cube.relations, threshold: THRESHOLD }
  let result = secondarySuppression(problem) // warm-up
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    result = secondarySuppression(problem)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const [ours, independent] = violations(cube, result.suppressed)
  if (ours || independent) failed = true
  const n = cube.values.length
  const shown = n - count(primary)
  console.log(
    `  ${s.label}: ${n} cells, ${cube.relations.length} relations (${entries} parts), ${result.rounds} audit rounds, ` +
      `median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms; violations: ${ours} (own attacker), ${independent} (independent)`,
  )
  rows.push([
    s.label,
    n.toLocaleString('en'),
    cube.relations.length.toLocaleString('en'),
    String(result.rounds),
    pct(count(primary), n),
    `${pct(count(result.secondary), n)} (${pct(count(result.secondary), shown)} of non-primary)`,
    `${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms (${times[0]!.toFixed(0)}–${times[RUNS - 1]!.toFixed(0)})`,
    ours || independent ? `**${ours} / ${independent} violations**` : 'holds',
  ])
}

console.log(`\nNode ${process.version}, single thread; median of ${RUNS} runs after a warm-up; threshold ${THRESHOLD}\n`)
console.log('| Scenario | Cells | Relations | Audit rounds | Primary | Secondary | secondarySuppression | Criterion (both attackers) |')
console.log('|---|---|---|---|---|---|---|---|')
for (const r of rows) console.log(`| ${r.join(' | ')} |`)
if (failed) process.exitCode = 1
