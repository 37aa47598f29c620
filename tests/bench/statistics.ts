// Benchmarks the local spatial statistics (server/statistics/) on a real H3 grid near Göteborg: resolution 9
// (≈ 0.1 km² cells) over lon 11.75–12.25, lat 57.6–57.85 — about 10 000 cells (the 11.8–12.2 rectangle gives
// 8 135 at resolution 9 and 56 937 at 10), neighbours by gridDisk(c, 1) within the set, Poisson counts
// denser towards the centre. Run with `npx tsx tests/bench/statistics.ts`.
// BENCH_STATISTICS_RUNS (default 5): timed runs per step, after one warm-up run.
import { performance } from 'node:perf_hooks'
import { cellToLatLng, gridDisk, polygonToCells } from 'h3-js'
import { gStar, localMoran, neighbourGraph, permutationPValues, type NeighbourGraph } from '../../server/statistics'
import { mulberry32, poisson } from '../helpers/random'

const RUNS = Number(process.env.BENCH_STATISTICS_RUNS ?? 5)
const RESOLUTION = 9
const PERMUTATIONS = 999
const [LON0, LON1, LAT0, LAT1] = [11.75, 12.25, 57.6, 57.85]
const CENTRE = [57.7089, 11.9746] // Brunnsparken

function buildGrid(): { neighbours: number[][]; counts: number[] } {
  // h3-js takes latitude first.
  const ring = [[LAT0, LON0], [LAT0, LON1], [LAT1, LON1], [LAT1, LON0], [LAT0, LON0]]
  const cells = polygonToCells(ring, RESOLUTION)
  const index = new Map(cells.map((c, i) => [c, i]))
  const neighbours = cells.map((c) => gridDisk(c, 1).flatMap((d) => (d !== c && index.has(d) ? [index.get(d)!] : [])))
  const rnd = mulberry32(20261125)
  const counts = cells.map((c) => {
    const [lat, lng] = cellToLatLng(c)
    const km = Math.hypot((lat - CENTRE[0]!) * 111.2, (lng - CENTRE[1]!) * 111.2 * Math.cos((CENTRE[0]! * Math.PI) / 180))
    return poisson(rnd, 0.3 + 6 * Math.exp(-km / 2.5))
  })
  return { neighbours, counts }
}

function time(run: () => unknown): number[] {
  run() // warm-up
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    run()
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)
}

const { neighbours, counts } = buildGrid()
const n = counts.length
const links = neighbours.reduce((s, r) => s + r.length, 0)
let graph: NeighbourGraph = neighbourGraph(neighbours)

const steps: [string, () => unknown][] = [
  ['neighbourGraph (check + CSR)', () => (graph = neighbourGraph(neighbours))],
  ['gStar (analytical)', () => gStar(counts, graph)],
  ['localMoran (analytical)', () => localMoran(counts, graph)],
  [`permutationPValues gstar, ${PERMUTATIONS}`, () => permutationPValues(counts, graph, 'gstar', PERMUTATIONS, 1)],
  [`permutationPValues lisa, ${PERMUTATIONS}`, () => permutationPValues(counts, graph, 'lisa', PERMUTATIONS, 1)],
]

const rows: string[][] = []
for (const [label, run] of steps) {
  const t = time(run)
  const median = t[Math.floor(RUNS / 2)]!
  console.log(`  ${label}: median ${median.toFixed(1)} ms`)
  rows.push([
    label,
    `${median.toFixed(1)} ms (${t[0]!.toFixed(1)}–${t[RUNS - 1]!.toFixed(1)})`,
    Math.round((n / median) * 1000).toLocaleString('en'),
  ])
}

console.log(
  `\nNode ${process.version}, single thread; median of ${RUNS} runs after a warm-up; H3 resolution ${RESOLUTION}, ` +
    `${n.toLocaleString('en')} cells, ${(links / n).toFixed(2)} neighbours per cell, ${counts.reduce((s, c) => s + c, 0).toLocaleString('en')} events\n`,
)
console.log('| Step | ms per run (min–max) | cells/s |')
console.log('|---|---|---|')
for (const r of rows) console.log(`| ${r.join(' | ')} |`)
