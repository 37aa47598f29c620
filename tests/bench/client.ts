// Client benchmark: production bundle size, first choropleth paint after navigation, indicator switch time.
// Run with `npm run bench` (after the server bench) or `npx tsx tests/bench/client.ts`; BENCH_CLIENT_RUNS (default 5).
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { createDb, migrateToLatest, type Db } from '../../db/connect'
import { createApp } from '../../server/app'
import { DEMO_PASSWORD } from '../../server/features/auth/auth.service'
import { openDatabase } from '../../server/boot'
import { browserSkipReason, launchBrowser } from '../helpers/browser'
import { buildClient } from '../helpers/client-setup'

const RUNS = Number(process.env.BENCH_CLIENT_RUNS ?? 5)
const SWITCHES = ['demo_skadegorelse', 'demo_misshandel_utomhus', 'demo_otrygg_kvall', 'demo_skadegorelse', 'demo_misshandel_utomhus']
const rows: Array<[string, string]> = []

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`
const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length
const ms = (x: number) => `${x.toFixed(0)} ms`
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN
const stats = (xs: number[]) => `${ms(median(xs))} (min ${ms(sorted(xs)[0]!)}, max ${ms(sorted(xs).at(-1)!)}, n=${xs.length})`

async function bundleSize(outDir: string): Promise<void> {
  const assets = join(outDir, 'assets')
  const files = await readdir(assets)
  // The entry is whatever index.html loads as a module; everything else is lazy or the worker.
  const entryName = /<script[^>]+src="\/assets\/([^"]+\.js)"/.exec(await readFile(join(outDir, 'index.html'), 'utf8'))?.[1]
  let raw = 0, zipped = 0, entry = 0, worker = 0, css = 0, lazy = 0
  for (const f of files) {
    const buf = await readFile(join(assets, f))
    if (f.endsWith('.css')) css += gz(buf)
    if (!f.endsWith('.js')) continue
    const g = gz(buf)
    raw += buf.length
    zipped += g
    if (f === entryName) entry = g
    else if (f.includes('worker')) worker = g
    else lazy += g
    console.log(`  ${f.padEnd(44)} ${kb(buf.length).padStart(10)} raw ${kb(g).padStart(10)} gz`)
  }
  if (!entryName || !entry || !worker) throw new Error(`entry (${entryName}) or worker chunk not found in ${files.join(', ')}`)
  rows.push(['Bundle JS total (gzip -9)', `${kb(zipped)} (raw ${kb(raw)}; other chunks ${kb(lazy)} gz)`], ['Entry chunk (gz)', kb(entry)], ['MapLibre worker chunk (gz)', kb(worker)], ['CSS (gz)', kb(css)])
}

/** The test suite's seeded template, copied, saves the ~25 s first-start seed. */
async function openDb(dataDir: string): Promise<Db> {
  const tmp = resolve('.tmp')
  const template = existsSync(tmp) ? (await readdir(tmp)).find((d) => d.startsWith('pglite-template-') && existsSync(join(tmp, d, '.ready'))) : undefined
  if (!template) return openDatabase({ dataDir, databaseUrl: undefined }, (m) => console.log(`  ${m}`))
  console.log(`  using template .tmp/${template}`)
  await cp(join(tmp, template), dataDir, { recursive: true })
  const db = await createDb({ dataDir })
  await migrateToLatest(db.kysely) // A template a migration behind would otherwise 500.
  return db
}

/** Waits for a painted key different from `prev` (and containing `want`); returns the key. */
async function waitForPaint(page: Page, prev: string, want = ''): Promise<string> {
  const handle = await page.waitForFunction(
    ([p, w]) => {
      const key = document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.renderedKey
      return key && key !== p && key.includes(w) ? key : null
    },
    [prev, want] as const,
    { timeout: 60_000 },
  )
  return (await handle.jsonValue()) as string
}

/** startTime of the latest `lagesbild:painted` mark for `key` (ms since navigation start); keys repeat when switching back. */
const paintedAt = (page: Page, key: string) =>
  page.evaluate((k) => (performance.getEntriesByName('lagesbild:painted') as PerformanceMark[]).findLast((m) => m.detail === k)!.startTime, key)

async function firstPaint(browser: Browser, base: string, label: string, query: string, onPainted?: (page: Page, key: string) => Promise<void>) {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext() // fresh HTTP cache and client-side fetch cache
    try {
      const page = await context.newPage()
      // The live map is for signed-in users: an analyst, as in daily work.
      await page.request.post(`${base}/api/session`, { data: { email: 'analytiker@demo.lagesbild.se', password: DEMO_PASSWORD } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${base}/?${query}`)
      const key = await waitForPaint(page, '')
      const t = await paintedAt(page, key)
      // Where the time went. (No named functions in page code: tsx's __name helper does not exist there.)
      const split = await page.evaluate(() => {
        const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
        const api = res.filter((r) => r.name.includes('/api/'))
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
        return {
          dcl: nav.domContentLoadedEventEnd,
          apiStart: Math.min(...api.map((r) => r.startTime)),
          apiEnd: Math.max(...api.map((r) => r.responseEnd)),
          // The worker's own resource entry is timed oddly (reported late, end before start); leave it out.
          js: Math.max(...res.filter((r) => r.name.endsWith('.js') && !r.name.includes('worker')).map((r) => r.responseEnd)),
        }
      })
      console.log(`  ${label} #${i + 1}: painted ${ms(t)} (DOMContentLoaded ${ms(split.dcl)}, JS chunks in ${ms(split.js)}, API ${ms(split.apiStart)}–${ms(split.apiEnd)})`)
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`)
      times.push(t)
      await onPainted?.(page, key)
    } finally {
      await context.close()
    }
  }
  rows.push([`First paint ${label}, median`, stats(times)])
}

const uncached: number[] = []
const cached: number[] = []

/** Times from the select's change event (captured before React sees it) to the next painted view. */
async function switches(page: Page, startKey: string): Promise<void> {
  const log: string[] = []
  await page.evaluate(() => window.addEventListener('change', () => performance.mark('switch-start'), { capture: true }))
  let key = startKey
  for (let i = 0; i < 10; i++) {
    const id = SWITCHES[i % SWITCHES.length]!
    await page.getByLabel('Indikator', { exact: true }).selectOption(id)
    key = await waitForPaint(page, key, `|${id}|`)
    const painted = await paintedAt(page, key)
    const [start, fetched] = await page.evaluate(() => {
      const s = performance.getEntriesByName('switch-start').at(-1)!.startTime
      const r = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.includes('/values?') && e.startTime > s)
      return [s, r.length ? Math.max(...r.map((e) => e.responseEnd)) - s : null] as const
    })
    // Uncached = the switch had to fetch values (the initial URL's period=2024 differs from the default period).
    log.push(fetched === null ? ms(painted - start) : `${ms(painted - start)}* (values ${ms(fetched)})`)
    ;(fetched === null ? cached : uncached).push(painted - start)
  }
  console.log(`    switches (* = fetched values): ${log.join(', ')}`)
}

/** A published snapshot with a 10-slide deck (6 maps, 4 text or list slides), exported as PDF in the browser. */
async function deckExport(browser: Browser, base: string) {
  const signIn = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'analytiker@demo.lagesbild.se', password: DEMO_PASSWORD }) })
  const headers = { Cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, 'X-CSRF-Token': ((await signIn.json()) as { csrfToken: string }).csrfToken, 'Content-Type': 'application/json' }
  const post = async (path: string, method: string, body: unknown) => {
    const r = await fetch(base + path, { method, headers, body: JSON.stringify(body) })
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
    return r.json() as Promise<{ id: number }>
  }
  // Narkotikabrott gives Nordost's meeting pack below a hot-spot map slide.
  const { id } = await post('/api/snapshots', 'POST', { title: 'Benchmark', indicators: ['demo_ran', 'demo_misshandel_utomhus', 'demo_otrygg_kvall', 'demo_narkotikabrott'], layers: ['stadsomrade', 'primaromrade', 'deso'] })
  await post(`/api/snapshots/${id}/publish`, 'POST', {})
  const maps = ['demo_ran', 'demo_misshandel_utomhus', 'demo_otrygg_kvall'].flatMap((indicator) =>
    ['primaromrade', 'deso'].map((layer) => ({ kind: 'map', title: `${indicator} ${layer}`, indicator, layer, period: indicator === 'demo_otrygg_kvall' ? '2025' : '2024' })),
  )
  const slides = [{ kind: 'text', title: 'Benchmark', body: 'Tio bilder.' }, ...maps.slice(0, 3), { kind: 'priorities', title: 'Prioriteringar' }, ...maps.slice(3), { kind: 'measures', title: 'Åtgärder' }, { kind: 'text', title: 'Slut', body: '' }]
  await post(`/api/snapshots/${id}/deck`, 'PUT', { version: 0, slides })
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
    try {
      const page = await context.newPage()
      await page.goto(`${base}/present/${id}`)
      await page.getByTestId('slide').waitFor()
      await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.getByRole('button', { name: 'Exportera PDF' }).click()])
      times.push(await page.evaluate(() => (performance.getEntriesByName('lagesbild:pdf-exported').at(-1) as PerformanceMark).detail as number))
    } finally {
      await context.close()
    }
  }
  console.log(`  10-slide deck to PDF: ${times.map(ms).join(', ')}`)
  rows.push(['Export of a 10-slide deck (6 maps) to PDF, median', stats(times)])

  // The meeting pack for Nordost from the same snapshot: its figures from the API, then the pack as PDF.
  const areas = (await (await fetch(`${base}/api/snapshots/${id}/areas?layer=stadsomrade`)).json()) as { features: Array<{ id: number; properties: { name: string } }> }
  const nordost = areas.features.find((f) => f.properties.name === 'Nordost')!.id
  const query = `layer=stadsomrade&area=${nordost}&date=2026-12-01&previous=2025-12-01`
  const api: number[] = []
  let mapSlides = 0
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now()
    const r = await fetch(`${base}/api/snapshots/${id}/meeting?${query}`)
    if (!r.ok) throw new Error(`meeting: ${r.status}`)
    const body = (await r.json()) as { hotspots: Array<{ inside: number[]; values: Array<{ areaId: number; class: string }> }> }
    api.push(performance.now() - t0)
    mapSlides = body.hotspots.filter((h) => h.values.some((v) => h.inside.includes(v.areaId) && /^(hot|cold)/.test(v.class))).length
  }
  const packTimes: number[] = []
  let slideCount = 0
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
    try {
      const page = await context.newPage()
      await page.goto(`${base}/present/${id}/mote?indelning=stadsomrade&omrade=${nordost}&datum=2026-12-01&forra=2025-12-01`)
      await page.getByTestId('slide').waitFor()
      slideCount = Number((await page.getByTestId('slide-counter').innerText()).split('/')[1])
      await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.getByRole('button', { name: 'Exportera PDF' }).click()])
      packTimes.push(await page.evaluate(() => (performance.getEntriesByName('lagesbild:pdf-exported').at(-1) as PerformanceMark).detail as number))
    } finally {
      await context.close()
    }
  }
  console.log(`  meeting figures (API): ${api.map(ms).join(', ')}; meeting pack (${slideCount} slides) to PDF: ${packTimes.map(ms).join(', ')}`)
  rows.push(['Meeting pack figures for one stadsområde (API, 4 indicators), median', stats(api)], [`Export of a meeting pack (${slideCount} slides, ${mapSlides} hot-spot maps) to PDF, median`, stats(packTimes)])
}

let failed = false
const tmpDirs: string[] = []
let db: Db | undefined
let server: Server | undefined
let browser: Browser | undefined
try {
  console.log('Building the production client…')
  const outDir = await buildClient()
  tmpDirs.push(outDir)
  await bundleSize(outDir)
  if (browserSkipReason) {
    console.log(`Browser part skipped: ${browserSkipReason}`)
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'lagesbild-bench-db-'))
    tmpDirs.push(dataDir)
    db = await openDb(dataDir)
    server = createApp({ db, config: { clientDir: outDir } }).listen(0, '127.0.0.1')
    await new Promise<void>((ok, fail) => server!.once('listening', ok).once('error', fail))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchBrowser()
    await firstPaint(browser, base, 'primärområden (96)', 'lager=primaromrade&indikator=demo_misshandel_utomhus&period=2024', switches)
    await firstPaint(browser, base, 'DeSO (320)', 'lager=deso&indikator=demo_otrygg_kvall')
    rows.push(['Indicator switch uncached, median', stats(uncached)], ['Indicator switch cached, median', stats(cached)])
    await deckExport(browser, base)
  }
} catch (err) {
  failed = true
  console.error(err)
} finally {
  await browser?.close().catch(() => {})
  if (server) await new Promise<void>((ok) => server!.close(() => ok()))
  await db?.close().catch(() => {})
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true })
}

console.log(`\n| Metric | Value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`)
if (failed) process.exitCode = 1
