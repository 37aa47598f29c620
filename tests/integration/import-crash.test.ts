/**
 * A batch import killed mid-way (kill -9, no chance to clean up) leaves the database as it was: the CLI
 * runs the same code as the API in its own process, on a private copy of the database.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { seededRandom } from '../../geodata/demo'
import { testEngines } from '../helpers/engines'

let dir: string
let file: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lagesbild-crash-'))
  file = join(dir, 'stort-utdrag.csv')
  const rand = seededRandom(11)
  const lines = ['datum;kategori;x;y']
  // 300 000 incidents spread over the city's extent (some fall in the sea: they are simply outside).
  for (let i = 0; i < 300_000; i++) lines.push(`2026-05-${String(1 + (i % 28)).padStart(2, '0')};demo_ran;${(305000 + rand() * 35000).toFixed(1)};${(6385000 + rand() * 35000).toFixed(1)}`)
  await writeFile(file, lines.join('\n'))
})
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** Runs the import CLI and kills it the moment stderr shows `trigger`. */
function runAndKill(env: Record<string, string>, trigger: RegExp): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('server/cli/import.ts'), 'incidents', file, '--crs', 'EPSG:3006'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    let killed = false
    child.stderr.on('data', (d) => {
      stderr += String(d)
      if (!killed && trigger.test(stderr)) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.on('exit', () => done({ killed, stderr }))
  })
}

async function snapshot(db: Db) {
  const n = async (t: 'observations' | 'import_log' | 'areas') => Number((await db.kysely.selectFrom(t).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return { observations: await n('observations'), imports: await n('import_log'), areas: await n('areas') }
}

describe.each(testEngines())('an import killed mid-way on $name', (engine) => {
  it.each([
    ['while reading the file', /rader lästa/],
    ['as it starts writing', /Skriver/],
  ])('%s leaves the database as it was (or, had it committed, whole)', async (_when, trigger) => {
    const copy = await engine.copyForProcess()
    try {
      const before = await (async () => {
        const db = await copy.open()
        try {
          return await snapshot(db)
        } finally {
          await db.close()
        }
      })()
      const run = await runAndKill(copy.env, trigger)
      expect(run.killed, run.stderr).toBe(true)
      const db = await copy.open()
      try {
        const after = await snapshot(db)
        if (after.imports === before.imports) {
          expect(after).toEqual(before)
        } else {
          // Committed just before the kill: then everything is there, never a part.
          const last = await db.kysely.selectFrom('import_log').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
          const own = await db.kysely.selectFrom('observations').select((e) => e.fn.countAll<number>().as('n')).where('import_id', '=', last.id).executeTakeFirstOrThrow()
          expect(Number(own.n)).toBe(after.observations - before.observations)
          expect(Number(own.n)).toBeGreaterThan(579)
        }
        // And the database still works.
        expect((await db.kysely.selectFrom('indicators').select('id').execute()).length).toBeGreaterThan(0)
      } finally {
        await db.close()
      }
    } finally {
      await copy.remove()
    }
  })
})
