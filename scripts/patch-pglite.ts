/**
 * Run by `npm ci` / `npm install` (postinstall). PGlite's Emscripten loader looks a symbol of a loaded extension
 * up with `Object.keys(lib.exports).indexOf(name)`: a fresh array of every export of PostGIS per lookup, and
 * CREATE EXTENSION postgis makes thousands of lookups — 6–7 s of a first start and of every new embedded
 * database. This rewrites that expression, in place and idempotently, to a Map built once per library (a miss
 * still takes the original path). Without it everything works, only slower; `tests/unit/pglite-patch.test.ts`
 * fails when an upgrade of PGlite no longer matches.
 */
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Not the fallback of an expression already patched (it follows `??`).
export const SLOW = /(?<!\?\?)Object\.keys\(([A-Za-z_$][\w$]*)\.exports\)\.indexOf\(([A-Za-z_$][\w$]*)\)/g
export const MARK = '__lagesbildSymbolIndex'

/** The loader files of an installed @electric-sql/pglite, with how many lookups each has patched and still slow. */
export function inspect(dist: string): Array<{ file: string; patched: number; slow: number; text: string }> {
  return readdirSync(dist)
    .filter((f) => /\.(c?js)$/.test(f))
    .map((f) => join(dist, f))
    .filter((f) => readFileSync(f, 'utf8').includes('__dlsym_js'))
    .map((file) => {
      const text = readFileSync(file, 'utf8')
      return { file, patched: text.split(MARK).length - 1, slow: [...text.matchAll(SLOW)].length, text }
    })
}

export function patch(dist: string): string[] {
  const done: string[] = []
  for (const f of inspect(dist)) {
    if (f.slow === 0) continue
    const text = f.text.replace(SLOW, (_m, lib: string, sym: string) => `(${lib}.${MARK}??=new Map(Object.keys(${lib}.exports).map((k,i)=>[k,i]))).get(${sym})??Object.keys(${lib}.exports).indexOf(${sym})`)
    writeFileSync(f.file, text)
    done.push(f.file)
  }
  return done
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@electric-sql', 'pglite', 'dist')
  if (!existsSync(dist)) process.exit(0)
  const done = patch(dist)
  const files = inspect(dist)
  if (!files.some((f) => f.patched > 0)) console.warn('[lägesbild] PGlite: the symbol lookup to speed up was not found; CREATE EXTENSION postgis stays slow')
  else if (done.length) console.log(`[lägesbild] PGlite: symbol lookup made fast in ${done.length} files`)
}
