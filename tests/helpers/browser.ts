import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from './engines'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/features/auth/auth.service'
import { startApp, type RunningApp, type TestRole } from './http'
import { CHROMIUM_CANDIDATES, chromiumPath, launchBrowser } from './chromium'

export { chromiumPath, launchBrowser }
export const browserRequired = process.env.REQUIRE_BROWSER === '1'
export const browserSkipReason = chromiumPath ? null : `no Chromium at ${CHROMIUM_CANDIDATES.join(' or ')} (apt-get install -y chromium)`

if (browserSkipReason) {
  if (browserRequired) throw new Error(`REQUIRE_BROWSER=1 but ${browserSkipReason}`)
  console.log(`[tests] browser tests skipped: ${browserSkipReason}`)
}

/** The exported PDFs are read with Debian's poppler-utils (pdfinfo, pdftotext, pdfimages). */
const PDFINFO = ['/usr/bin/pdfinfo', '/usr/local/bin/pdfinfo']
export const pdfSkipReason = browserSkipReason ?? (PDFINFO.some((p) => existsSync(p)) ? null : 'no pdfinfo (apt-get install -y poppler-utils)')
if (pdfSkipReason && !browserSkipReason) {
  if (browserRequired) throw new Error(`REQUIRE_BROWSER=1 but ${pdfSkipReason}`)
  console.log(`[tests] PDF export tests skipped: ${pdfSkipReason}`)
}

export const ARTEFACTS = resolve('test-results/screenshots')

export interface BrowserApp {
  db: Db
  app: RunningApp
  browser: Browser
  /** A page in a fresh browser context, signed in as a demo account of the role (an analyst by default). */
  newPage(options?: BrowserContextOptions, role?: TestRole): Promise<Page>
}

/**
 * The real server on a private copy of the embedded database, serving the production client built once
 * for this run (tests/helpers/client-setup.ts), and Chromium: set up once per describe block, torn down after it.
 */
export function useBrowserApp(opts: { prepare?: (db: Db) => Promise<void>; config?: NonNullable<Parameters<typeof startApp>[1]>['config'] } = {}): BrowserApp {
  const ctx = {} as BrowserApp
  ctx.newPage = async (options = {}, role = 'analyst') => {
    const context = await ctx.browser.newContext(options)
    const page = await context.newPage()
    // Closing the page closes its context; at the end the browser may have closed both already.
    page.on('close', () => void context.close().catch(() => {}))
    if (role !== 'public') {
      // The API request shares the context's cookies: the page is signed in as the browser would be.
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!
      const res = await page.request.post(`${ctx.app.url}/api/session`, { data: { email: account.email, password: DEMO_PASSWORD } })
      if (!res.ok()) throw new Error(`sign-in as ${role} failed: ${res.status()}`)
    }
    return page
  }
  beforeAll(async () => {
    const clientDir = inject('clientDir')
    if (!clientDir) throw new Error('no client build: browser tests run in the e2e project (vitest.config.ts), whose global setup builds it')
    ctx.db = await testEngines()[0]!.open()
    await opts.prepare?.(ctx.db)
    ctx.app = await startApp(ctx.db, { clientDir, ...(opts.config ? { config: opts.config } : {}) })
    ctx.browser = await launchBrowser()
    await mkdir(ARTEFACTS, { recursive: true })
  })
  afterAll(async () => {
    await ctx.browser?.close()
    await ctx.app?.close()
    await ctx.db?.close()
  })
  return ctx
}
