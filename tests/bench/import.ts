/**
 * Benchmark: a full incident import (parse + reproject + aggregate into every layer and the hex grid +
 * write) of 100 k and 1 M CSV rows on the embedded engine, with peak memory. `npx tsx tests/bench/import.ts`.
 */
import { CLI_ACTOR } from '../../db/audit'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { seededRandom } from '../../geodata/demo'
import { importIncidents } from '../../server/features/imports/incidents.import'
import { getValues, indicatorCells } from '../../server/features/indicators/indicators.service'
import { openSeeded } from './seeded'

const SIZES = (process.env.BENCH_IMPORT_ROWS ?? '100000,1000000').split(',').map(Number)

async function writeCsv(path: string, rows: number) {
  const rand = seededRandom(rows)
  const parts: string[] = ['\uFEFFDatum;Kategori;X;Y\r\n']
  for (let i = 0; i < rows; i++) {
    // Within the city's extent; months spread over 2025.
    const x = (305000 + rand() * 35000).toFixed(1).replace('.', ',')
    const y = (6385000 + rand() * 35000).toFixed(1).replace('.', ',')
    parts.push(`2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')};${i % 3 ? 'demo_ran' : 'demo_skadegorelse'};${x};${y}\r\n`)
  }
  await writeFile(path, parts.join(''))
}

const results: string[] = []
const work = await mkdtemp(join(tmpdir(), 'lagesbild-bench-import-'))
try {
  for (const rows of SIZES) {
    const file = join(work, `incidents-${rows}.csv`)
    await writeCsv(file, rows)
    const dataDir = join(work, `db-${rows}`)
    const db = await openSeeded(dataDir)
    try {
      if (global.gc) global.gc()
      const base = process.memoryUsage().rss
      let peak = base
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
      const t0 = performance.now()
      let tRead = 0
      const res = await importIncidents(db.kysely, createReadStream(file), {
        fileName: 'bench.csv',
        actor: CLI_ACTOR,
        format: 'csv',
        crs: 'EPSG:3006',
        map: {},
        strict: true,
        dryRun: false,
        replace: true,
        onProgress: (_n, phase) => {
          if (phase === 'writing') tRead = performance.now() - t0
        },
      })
      const total = performance.now() - t0
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage().rss)
      if (!('importId' in res)) throw new Error('import did not write')
      // The first answer outside the analyst role builds secondary suppression over the new monthly cube.
      const c0 = performance.now()
      await getValues(db.kysely, 'outside', 'demo_ran', 'hex', '2025-06')
      const cube = performance.now() - c0
      const c1 = performance.now()
      await getValues(db.kysely, 'outside', 'demo_ran', 'hex', '2025-07')
      const next = performance.now() - c1
      // The LP audit's outcome for that cube within its budget (LP_AUDIT_BUDGET_MS, default 5 s), and the final
      // verdicts of the audit that goes on without one (what the budget did not reach is withheld meanwhile).
      const interim = (await indicatorCells(db.kysely, 'demo_ran')).cube
      const f0 = performance.now()
      const final = (await indicatorCells(db.kysely, 'demo_ran', { settled: true })).cube
      const settled = performance.now() - f0
      const describe = (c: typeof interim) => (c?.audit.kind === 'lp' ? `${c.audit.rounds} rounds, ${c.audit.added} added, ${c.audit.unfinished} not reached, ${c.withheld} cells withheld` : 'interval only')
      const lp = `${describe(interim)}; final ${(settled / 1000).toFixed(1)} s later: ${describe(final)}`
      const line = `| ${rows.toLocaleString('en')} rows | ${(total / 1000).toFixed(2)} s | ${(tRead / 1000).toFixed(2)} s | ${((total - tRead) / 1000).toFixed(2)} s | ${Math.round(rows / (tRead / 1000)).toLocaleString('en')} rows/s | ${res.observationsWritten} | ${Math.round(peak / 1048576)} MB (+${Math.round((peak - base) / 1048576)}) | ${Math.round(cube)} ms / ${Math.round(next)} ms | ${lp} |`
      console.log(line)
      results.push(line)
    } finally {
      await db.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
console.log('\n| Incident import (PGlite) | total | read + aggregate | write | rows/s (read + aggregate) | values written | peak RSS (+ during import) | first suppressed hex answer (cube + budgeted LP audit) / next | LP audit: budgeted; final (unbudgeted, in the background) |')
console.log('|---|---|---|---|---|---|---|---|')
for (const r of results) console.log(r)
