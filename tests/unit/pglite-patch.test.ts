import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { inspect, patch } from '../../scripts/patch-pglite'

const INSTALLED = resolve(import.meta.dirname, '../../node_modules/@electric-sql/pglite/dist')

describe('the PGlite symbol-lookup patch (npm postinstall)', () => {
  it('is applied to every loader of the installed PGlite, so CREATE EXTENSION postgis takes under a second', () => {
    const files = inspect(INSTALLED)
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) expect({ file: f.file, slow: f.slow, patched: f.patched > 0 }).toEqual({ file: f.file, slow: 0, patched: true })
  })

  const dirs: string[] = []
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

  it('rewrites the lookup once, and the rewritten one finds what the original finds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-patch-'))
    dirs.push(dir)
    const original = 'var __dlsym_js=(e,t)=>{var _=L[e];return Object.keys(_.exports).indexOf(t)};'
    await writeFile(join(dir, 'index.js'), original)
    await writeFile(join(dir, 'other.js'), 'no loader here: Object.keys(x.exports).indexOf(y)')
    expect(patch(dir)).toEqual([join(dir, 'index.js')])
    expect(patch(dir)).toEqual([]) // idempotent
    expect(await readFile(join(dir, 'other.js'), 'utf8')).toContain('Object.keys(x.exports).indexOf(y)')
    const patched = await readFile(join(dir, 'index.js'), 'utf8')
    const lib = { exports: { a: 1, b: 2, c: 3 } as Record<string, number> }
    const run = (src: string, sym: string) => new Function('L', `${src} return __dlsym_js(0, ${JSON.stringify(sym)})`)([lib]) as number
    for (const sym of ['a', 'c', 'missing']) expect(run(patched, sym)).toBe(run(original, sym))
    // A symbol the library gains after the first lookup is still found (a miss takes the original path).
    lib.exports.d = 4
    expect(run(patched, 'd')).toBe(3)
  })
})
