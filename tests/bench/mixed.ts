/**
 * Benchmark: reads and writes mixed. Many concurrent readers (values, boundaries, the indicator list) while
 * one writer saves measures back to back; reads/s and read p99, and the writes' p50/p99, beside bare
 * Express under the same readers in the same run. PGlite always; PostgreSQL too when BENCH_DATABASE_URL,
 * TEST_DATABASE_URL or DATABASE_URL is set (a fresh database with PostGIS, dropped after).
 * `npx tsx tests/bench/mixed.ts`; BENCH_DURATION (s, default 10) and BENCH_READERS (default 200).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import express, { type Express } from 'express'
import pg from 'pg'
import type { Db } from '../../db/connect'
import { createApp } from '../../server/app'
import { openDatabase } from '../../server/boot'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/features/auth/auth.service'
import { openSeeded } from './seeded'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const READERS = Number(process.env.BENCH_READERS ?? 200)
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined

interface Row { name: string; reads: string; readP50: string; readP99: string; writes: string; writeP50: string; writeP99: string; ratio: string }
const rows: Row[] = []
let failed = false

const pct = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : NaN)
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '–')

async function listen(app: Express): Promise<{ base: string; stop(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1')
  server.keepAliveTimeout = 60_000
  await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()) }),
  }
}

async function signIn(base: string, role: 'analyst' | 'local'): Promise<Record<string, string>> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: account.email, password: DEMO_PASSWORD }) })
  if (!res.ok) throw new Error(`sign-in as ${role}: ${res.status}`)
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return { Cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'X-CSRF-Token': csrfToken }
}

/** Readers with autocannon (in its own thread), a writer saving measures one after another meanwhile. */
async function mixed(label: string, base: string, paths: string[], headers: Record<string, string>, write?: () => Promise<void>, baseline?: number): Promise<number> {
  const writes: number[] = []
  let writeErrors = 0
  let reading = true
  const writer = (async () => {
    if (!write) return
    // Let the readers fill the queue first.
    await new Promise((r) => setTimeout(r, 500))
    while (reading) {
      const t0 = performance.now()
      try {
        await write()
        writes.push(performance.now() - t0)
      } catch (err) {
        writeErrors++
        if (writeErrors === 1) console.error(`${label}: write failed: ${(err as Error).message}`)
      }
    }
  })()
  const r = await autocannon({
    url: base,
    connections: READERS,
    duration: DURATION,
    workers: 1,
    timeout: 30,
    headers,
    requests: paths.map((path) => ({ method: 'GET', path })),
  })
  reading = false
  await writer
  const bad = r.errors + r.timeouts + r.non2xx
  if (bad || writeErrors) {
    failed = true
    console.error(`${label}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx reads; ${writeErrors} failed writes`)
  }
  rows.push({
    name: label,
    reads: r.requests.average.toFixed(0) + (bad ? ` (${bad} failed!)` : ''),
    readP50: `${r.latency.p50} ms`,
    readP99: `${r.latency.p99} ms`,
    writes: write ? String(writes.length) + (writeErrors ? ` (${writeErrors} failed!)` : '') : '',
    writeP50: write ? ms(pct(writes, 0.5)) : '',
    writeP99: write ? ms(pct(writes, 0.99)) : '',
    ratio: baseline ? `${((r.requests.average / baseline) * 100).toFixed(1)} %` : '100 %',
  })
  console.log(`  ${label}: ${r.requests.average.toFixed(0)} reads/s, read p99 ${r.latency.p99} ms${write ? `, ${writes.length} writes, p50 ${ms(pct(writes, 0.5))}, p99 ${ms(pct(writes, 0.99))}` : ''}`)
  return r.requests.average
}

async function benchEngine(db: Db, baseline: number): Promise<void> {
  const { base, stop } = await listen(createApp({ db, config: { clientDir: '/nonexistent' } }))
  try {
    const analyst = await signIn(base, 'analyst')
    const get = async (path: string) => (await fetch(base + path, { headers: analyst })).json() as Promise<any>
    const cycle = (await get('/api/cycles')).find((c: any) => c.current)
    const problemArea = (await get(`/api/cycles/${cycle.id}/problem-areas`))[0]
    const area = (await get('/api/layers/primaromrade/areas')).features[0].properties.id
    let n = 0
    const save = async () => {
      const res = await fetch(`${base}/api/measures`, {
        method: 'POST',
        headers: { ...analyst, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          title: `Bänkmätning ${++n}`, description: 'Skriven under läslast.', problemAreaId: problemArea.id,
          purpose: 'trygghetsskapande', prevention: 'situationell', level: 'operativ', owners: ['staden'], samverkansform: null,
          areaIds: [area], status: 'pagaende', startDate: '2025-03-01', endDate: null, followUp: [],
        }),
      })
      if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`)
    }
    const paths = [
      '/api/indicators/demo_misshandel_utomhus/values?period=2024&layer=primaromrade',
      '/api/indicators/demo_ran/values?period=2024&layer=stadsomrade',
      '/api/layers/stadsomrade/areas',
      '/api/indicators',
    ]
    // Warm the per-version caches, as a running server has them.
    for (const p of paths) await get(p)
    await mixed(`${db.engine} ${READERS} readers + 1 writer`, base, paths, analyst, save, baseline)
  } finally {
    await stop()
  }
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'lagesbild-bench-mixed-'))
  try {
    console.log(`Readers: ${READERS} connections, ${DURATION} s per run`)
    const bare = await listen(express().get('/bare', (_req, res) => res.json({ ok: true })))
    const baseline = await mixed(`bare Express 5, ${READERS} readers`, bare.base, ['/bare'], {}).finally(bare.stop)

    console.log('PGlite: opening the seeded database…')
    const db = await openSeeded(join(tmp, 'pglite'))
    try {
      await benchEngine(db, baseline)
    } finally {
      await db.close()
    }

    if (PG_URL) {
      const name = `lagesbild_bench_${Math.random().toString(36).slice(2, 10)}`
      const admin = new pg.Client({ connectionString: PG_URL })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE ${name}`)
        const url = new URL(PG_URL)
        url.pathname = `/${name}`
        const ext = new pg.Client({ connectionString: url.href })
        await ext.connect()
        await ext.query('CREATE EXTENSION postgis').finally(() => ext.end())
        console.log(`PostgreSQL (${name}): first start…`)
        const server = await openDatabase({ databaseUrl: url.href, dataDir: 'unused' })
        try {
          await benchEngine(server, baseline)
        } finally {
          await server.close()
        }
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => console.error(`could not drop ${name}:`, e))
        await admin.end()
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }

  const head = ['Mixed load', 'reads/s', 'read p50', 'read p99', 'writes', 'write p50', 'write p99', 'reads vs. bare']
  const cells = rows.map((r) => [r.name, r.reads, r.readP50, r.readP99, r.writes, r.writeP50, r.writeP99, r.ratio])
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  console.log(`\nNode ${process.version}, ${READERS} reader connections, ${DURATION} s per run\n`)
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'))
  if (failed) process.exitCode = 1
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
