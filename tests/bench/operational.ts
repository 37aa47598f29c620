/**
 * Benchmark: the continuous local picture after a 1 M-row incident import on the embedded engine — the 28-day
 * and year-to-date comparisons of every area of every layer that holds weeks, for an analyst and for a local
 * group (whose answer needs secondary suppression over the weekly cube), and the alerts run per layer — each
 * beside one monthly values answer measured in the same run. `npx tsx tests/bench/operational.ts`.
 */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CLI_ACTOR } from '../../db/audit'
import { seededRandom } from '../../geodata/demo'
import { listAlerts } from '../../server/features/alerts/alerts.service'
import { importIncidents, WEEK_LAYERS } from '../../server/features/imports/incidents.import'
import { getValues } from '../../server/features/indicators/indicators.service'
import { compare } from '../../server/features/operational/operational.service'
import { alertSources, operationalSources } from '../../server/sources'
import { openSeeded } from './seeded'

const ROWS = Number(process.env.BENCH_OPERATIONAL_ROWS ?? 1_000_000)
const END = '2026-03-15'
const DAYS = 441 // 2024-12-30 (the Monday of 2025-W01) … 2026-03-15: whole ISO weeks only

async function writeCsv(path: string, rows: number) {
  const rand = seededRandom(rows + 1)
  const parts: string[] = ['\uFEFFDatum;Kategori;X;Y\r\n']
  const day0 = Date.UTC(2024, 11, 30)
  for (let i = 0; i < rows; i++) {
    const x = (305000 + rand() * 35000).toFixed(1).replace('.', ',')
    const y = (6385000 + rand() * 35000).toFixed(1).replace('.', ',')
    const date = new Date(day0 + Math.floor(rand() * DAYS) * 86_400_000).toISOString().slice(0, 10)
    parts.push(`${date};${i % 3 ? 'demo_ran' : 'demo_skadegorelse'};${x};${y}\r\n`)
  }
  await writeFile(path, parts.join(''))
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const r = await fn()
  return [r, performance.now() - t0]
}

/** The median of `n` warm runs: the machine is shared, one run can be several times another. */
async function warm(fn: () => Promise<unknown>, n = 5): Promise<number> {
  const ts: number[] = []
  for (let i = 0; i < n; i++) ts.push((await time(fn))[1])
  return ts.sort((a, b) => a - b)[Math.floor(n / 2)]!
}

const work = await mkdtemp(join(tmpdir(), 'lagesbild-bench-operational-'))
const lines: string[] = []
try {
  const file = join(work, 'incidents.csv')
  await writeCsv(file, ROWS)
  const db = await openSeeded(join(work, 'db'))
  try {
    const [res, tImport] = await time(() =>
      importIncidents(db.kysely, createReadStream(file), { fileName: 'bench.csv', actor: CLI_ACTOR, format: 'csv', crs: 'EPSG:3006', map: {}, strict: true, dryRun: false, replace: true }),
    )
    if (!('importId' in res)) throw new Error('import did not write')
    console.log(`import of ${ROWS.toLocaleString('en')} rows: ${(tImport / 1000).toFixed(1)} s, ${res.observationsWritten} values`)
    const sources = operationalSources(db)
    // The yardstick: one monthly answer of the same indicator, cube already built.
    await getValues(db.kysely, 'outside', 'demo_ran', 'stadsomrade', '2026-02')
    const tValues = await warm(() => getValues(db.kysely, 'outside', 'demo_ran', 'stadsomrade', '2026-01'), 9)
    lines.push(`| one monthly values answer (stadsområden, local group, warm, median of 9) | ${tValues.toFixed(1)} ms | 1 | – |`)
    let first = true
    for (const layer of WEEK_LAYERS) {
      for (const [who, internal] of [['analyst', true], ['local group', false]] as const) {
        for (const window of ['28d', 'ytd'] as const) {
          const [r, t] = await time(() => compare(sources(internal), { indicator: 'demo_ran', layer, end: END, window }))
          const tWarm = await warm(() => compare(sources(internal), { indicator: 'demo_ran', layer, end: END, window }))
          const note = first ? ' (first: builds the weekly cube)' : ''
          first = false
          lines.push(`| ${window} comparison, ${layer}, ${who}${note} | ${t.toFixed(0)} ms / warm ${tWarm.toFixed(0)} ms | ${(tWarm / tValues).toFixed(1)} | ${r.areas.length} areas, ${r.areas.filter((a) => a.verdict === 'increase' || a.verdict === 'decrease').length} changed, ${r.areas.filter((a) => a.hidden).length} hidden |`)
        }
      }
      // The first call per layer and data version tests and writes; later ones read the alerts back.
      const [a, t] = await time(() => listAlerts(db.kysely, alertSources(db), { id: null, email: 'bench', internal: true }, { layer, status: 'all' }))
      const tRead = await warm(() => listAlerts(db.kysely, alertSources(db), { id: null, email: 'bench', internal: true }, { layer, status: 'all' }))
      lines.push(`| alerts run, ${layer} (both windows, every count indicator) / reading them back | ${t.toFixed(0)} ms / ${tRead.toFixed(0)} ms | ${(t / tValues).toFixed(1)} | ${a.evaluated.reduce((n, e) => n + e.tested, 0)} tests, ${a.alerts.length} alerts |`)
    }
  } finally {
    await db.close()
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
console.log(`\n| Continuous local picture after a ${ROWS.toLocaleString('en')}-row import (PGlite) | time (first / median of 5 warm) | warm × one values answer | result |`)
console.log('|---|---|---|---|')
for (const l of lines) console.log(l)
