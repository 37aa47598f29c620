// Benchmarks: embedded engine start-up and HTTP throughput of the values endpoint.
// Run with `npm run bench`; BENCH_DURATION (s, default 8) and BENCH_DATABASE_URL are optional.
import { mkdtemp, rm } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import express, { type Express } from 'express'
import pg from 'pg'
import { createDb, migrateToLatest, type Db } from '../../db/connect'
import { createApp } from '../../server/app'
import { openDatabase } from '../../server/boot'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/features/auth/auth.service'

const DURATION = Number(process.env.BENCH_DURATION ?? 8)
const CONNECTIONS = 10
const PG_URL = process.env.BENCH_DATABASE_URL || undefined
const VALUES = '/api/indicators/demo_misshandel_utomhus/values?period=2024&layer='

interface Row { name: string; value: string; p50?: string; p99?: string; ratio?: string }
const rows: Row[] = []
let failed = false

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const result = await fn()
  return [result, performance.now() - t0]
}

interface Listening { base: string; stop(): Promise<void> }

async function listen(app: Express): Promise<Listening> {
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail))
  // autocannon drops its sockets mid-request at the end; wait for handlers to finish before the db closes.
  let inflight = 0
  server.prependListener('request', (_req, res: ServerResponse) => {
    inflight++
    let done = false
    res.end = new Proxy(res.end, {
      apply(end, self, args) {
        if (!done) inflight--
        done = true
        return Reflect.apply(end, self, args)
      },
    })
  })
  const stop = async () => {
    await new Promise<void>((ok) => server.close(() => ok()))
    while (inflight > 0) await new Promise((ok) => setTimeout(ok, 20))
  }
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop }
}

async function load(name: string, url: string, baseline?: number, headers: Record<string, string> = {}, connections = CONNECTIONS, duration = DURATION): Promise<number> {
  // One worker thread generates the load so it does not share the server's event loop.
  // Asking for gzip as every browser does: a boundary answer is then 60 kB on the wire, not 600.
  const r = await autocannon({ url, connections, duration, workers: 1, headers: { 'Accept-Encoding': 'gzip', ...headers } })
  // autocannon's errors include its timeouts.
  const bad = r.errors + r.non2xx
  if (bad) {
    // A thousand connections lose some to the 10 s timeout on this machine even against bare Express (its row): reported, not failed.
    if (connections <= CONNECTIONS || r.non2xx || r.errors > r.timeouts) failed = true
    console.error(`${name}: ${r.errors} errors, ${r.timeouts} of them timeouts, ${r.non2xx} non-2xx`)
  }
  rows.push({
    name: `${name} req/s`,
    value: r.requests.average.toFixed(0) + (bad ? ` (${bad} failed!)` : ''),
    p50: `${r.latency.p50} ms`,
    p99: `${r.latency.p99} ms`,
    ratio: baseline ? `${((r.requests.average / baseline) * 100).toFixed(1)} %` : '100 %',
  })
  console.log(`  ${name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`)
  return r.requests.average
}

/** A session cookie for a demo account of the role. */
async function signIn(base: string, role: 'analyst' | 'local'): Promise<Record<string, string>> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: account.email, password: DEMO_PASSWORD }) })
  if (!res.ok) throw new Error(`sign-in as ${role}: ${res.status}`)
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return { Cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'X-CSRF-Token': csrfToken }
}

async function loadValues(db: Db, label: string, baseline: number): Promise<void> {
  const { base, stop } = await listen(createApp({ db, config: { clientDir: '/nonexistent' } }))
  try {
    const analyst = await signIn(base, 'analyst')
    const local = await signIn(base, 'local')
    // Secondary suppression over the indicator's whole cube, built on the first outside request per data version.
    const cold = await timed(() => fetch(`${base}${VALUES}primaromrade`, { headers: local }).then((r) => r.text()))
    const warm = await timed(() => fetch(`${base}${VALUES}primaromrade`, { headers: local }).then((r) => r.text()))
    rows.push({ name: `${label} first suppressed answer (cube built) vs. next`, value: `${cold[1].toFixed(0)} ms vs. ${warm[1].toFixed(0)} ms` })
    // A snapshot of every indicator on the default layers, every period.
    const snap = await timed(() =>
      fetch(`${base}/api/snapshots`, {
        method: 'POST',
        headers: { ...analyst, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Bench' }),
      }).then(async (r) => {
        if (r.status !== 201) throw new Error(`snapshot: ${r.status} ${await r.text()}`)
      }),
    )
    // Again, now that every indicator's LP audit has finished: what is left is reading the figures.
    const again = await timed(() =>
      fetch(`${base}/api/snapshots`, { method: 'POST', headers: { ...analyst, 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Bench again' }) }).then(async (r) => {
        if (r.status !== 201) throw new Error(`snapshot: ${r.status} ${await r.text()}`)
      }),
    )
    rows.push({ name: `${label} snapshot of every indicator (4 layers, all periods): first, with the audits, vs. again`, value: `${secs(snap[1])} vs. ${secs(again[1])}` })
    const snapshotId = ((await fetch(`${base}/api/snapshots`, { headers: analyst }).then((r) => r.json())) as Array<{ id: number }>).at(-1)!.id
    const areaIds = ((await fetch(`${base}${VALUES}primaromrade`, { headers: analyst }).then((r) => r.json())) as { values: Array<{ areaId: number }> }).values.slice(0, 3).map((v) => v.areaId)
    await load(`${label} values stored (primaromrade), analyst`, `${base}${VALUES}primaromrade`, baseline, analyst)
    await load(`${label} values nested (stadsomrade), analyst`, `${base}${VALUES}stadsomrade`, baseline, analyst)
    // Outside the analyst role every answer goes through primary and secondary suppression (cube cached per data version).
    await load(`${label} values stored (primaromrade), local group (suppressed)`, `${base}${VALUES}primaromrade`, baseline, local)
    await load(`${label} series (3 primärområden, every year), local group`, `${base}/api/indicators/demo_misshandel_utomhus/series?areas=${areaIds.join(',')}`, baseline, local)
    await load(`${label} areas (primärområden' boundaries), public`, `${base}/api/layers/primaromrade/areas`, baseline)
    await load(`${label} indicator catalogue, public`, `${base}/api/indicators`, baseline)
    await load(`${label} snapshot values (primärområden), analyst`, `${base}/api/snapshots/${snapshotId}/values?indicator=demo_misshandel_utomhus&layer=primaromrade`, baseline, analyst)
    // The forum, the public page and a dozen analysts at once: a thousand connections must all be answered.
    await load(`${label} values (suppressed), 1 000 connections, 20 s`, `${base}${VALUES}primaromrade`, baseline, local, 1000, 20)
  } finally {
    await stop()
  }
}

async function benchPostgres(url: string, baseline: number): Promise<void> {
  const name = `lagesbild_bench_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
    const dbUrl = new URL(url)
    dbUrl.pathname = `/${name}`
    const ext = new pg.Client({ connectionString: dbUrl.href })
    await ext.connect()
    await ext.query('CREATE EXTENSION postgis').finally(() => ext.end())

    console.log(`PostgreSQL (${name}): first start…`)
    const [db, ms] = await timed(() => openDatabase({ databaseUrl: dbUrl.href, dataDir: 'unused' }))
    rows.push({ name: 'PostgreSQL first start (migrations+seed)', value: secs(ms) })
    try {
      await loadValues(db, 'PostgreSQL', baseline)
    } finally {
      await db.close()
    }
  } finally {
    // No FORCE: pg's pool.end() resolves before its sockets close, and DROP waits (up to 5 s) for them to go.
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch((e) => console.error(`could not drop ${name}:`, e))
    await admin.end()
  }
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'lagesbild-bench-'))
  try {
    // Runs first, so it also carries the one-off WASM compile, as a real cold process does.
    console.log('PGlite: engine + migrations…')
    const [migrated, migratedMs] = await timed(async () => {
      const db = await createDb({ dataDir: join(tmp, 'bare'), databaseUrl: undefined })
      await migrateToLatest(db.kysely)
      return db
    })
    await migrated.close()
    rows.push({ name: 'PGlite cold start (engine+migrations)', value: secs(migratedMs) })

    const dataDir = join(tmp, 'seeded')
    console.log('PGlite: first start with boundaries + demo seed…')
    const [first, firstMs] = await timed(() => openDatabase({ dataDir, databaseUrl: undefined }))
    await first.close()
    rows.push({ name: 'PGlite first start (with boundaries+demo seed)', value: secs(firstMs) })

    const warm: number[] = []
    for (let i = 0; i < 3; i++) {
      const [db, ms] = await timed(() => openDatabase({ dataDir, databaseUrl: undefined }))
      await db.close()
      warm.push(ms)
    }
    console.log(`PGlite: warm starts ${warm.map(secs).join(', ')}`)
    rows.push({ name: 'PGlite warm start (median of 3)', value: secs(median(warm)) })

    console.log(`Load: ${CONNECTIONS} connections, ${DURATION} s each`)
    const bare = await listen(express().get('/bare', (_req, res) => res.json({ ok: true })))
    const baseline = await load('bare Express 5', `${bare.base}/bare`)
    // The reference for the thousand connections below: what this machine's TCP stack and load generator allow.
    await load('bare Express 5, 1 000 connections, 20 s', `${bare.base}/bare`, baseline, {}, 1000, 20).finally(bare.stop)

    const db = await openDatabase({ dataDir, databaseUrl: undefined })
    try {
      await loadValues(db, 'PGlite', baseline)
    } finally {
      await db.close()
    }

    if (PG_URL) await benchPostgres(PG_URL, baseline)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }

  const head = ['Measurement', 'Result', 'p50', 'p99', 'vs. bare']
  const cells = rows.map((r) => [r.name, r.value, r.p50 ?? '', r.p99 ?? '', r.ratio ?? ''])
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  console.log(`\nNode ${process.version}, ${CONNECTIONS} connections, ${DURATION} s per load run\n`)
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'))
  if (failed) process.exitCode = 1
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
