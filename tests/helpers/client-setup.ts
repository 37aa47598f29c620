/**
 * Global setup of the e2e project: builds the production client once per run (Vitest runs it only when
 * browser test files are in the run) and removes it at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'
import { chromiumPath } from './chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The client built for this run, or null when Chromium is missing and the browser tests skip. */
    clientDir: string | null
  }
}

/** Builds the real production client into a temp directory, so tests never depend on a stale dist/. */
export async function buildClient(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'lagesbild-client-'))
  await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } })
  return outDir
}

export default async function setup(project: TestProject) {
  if (!chromiumPath) {
    project.provide('clientDir', null) // browser.ts skips (or, with REQUIRE_BROWSER=1, fails) each file
    return
  }
  const started = Date.now()
  const dir = await buildClient()
  console.log(`[tests] client built once for the browser tests in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  project.provide('clientDir', dir)
  return async () => {
    await rm(dir, { recursive: true, force: true })
  }
}
