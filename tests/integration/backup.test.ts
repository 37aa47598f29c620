/**
 * Backups give back the same figures: `npm run db:backup` / `db:restore` on the embedded engine (taken by the
 * running server when it holds the directory, or by the command itself when none runs), and pg_dump /
 * pg_restore on a PostgreSQL server as the README describes.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { describe, expect, inject, it } from 'vitest'
import { createDb, type Db } from '../../db/connect'
import { acquireLock, LOCK_FILE, releaseLock } from '../../db/data-dir-lock'
import { testEngines } from '../helpers/engines'
import { createServerDatabase } from '../helpers/pg'
import { post, send, startApp } from '../helpers/http'

const run = promisify(execFile)

async function cli(script: 'db-backup' | 'db-restore', env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', resolve(`server/cli/${script}.ts`), ...args], { env: { ...process.env, LAGESBILD_TOKEN: '', DATABASE_URL: '', ...env } })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

const TABLES = ['areas', 'observations', 'import_log', 'audit_log', 'users', 'measures', 'snapshots', 'snapshot_values', 'area_population', 'kysely_migration']
const FIGURES = [
  '/api/indicators/demo_ran/values?layer=stadsomrade&period=2024',
  '/api/indicators/demo_otrygg_kvall/values?layer=primaromrade&period=2023',
  '/api/indicators/demo_ran/values?layer=primaromrade&period=2027',
]

/** What a restore must give back: row counts of the main tables and a few indicators' values as the API serves them. */
async function figures(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const t of TABLES) out[t] = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(db.kysely)).rows[0]!.n)
  const app = await startApp(db)
  try {
    for (const path of FIGURES) {
      const res = await app.get(path)
      expect(res.status, path).toBe(200)
      out[path] = res.body.values.map((v: any) => [v.code, v.value, v.suppressed])
    }
  } finally {
    await app.close()
  }
  return out
}

describe('db:backup and db:restore of the embedded data directory', () => {
  it('backs up through the running server (admin token) or by itself, refuses what would break, and restores the same figures', { timeout: 600_000 }, async () => {
    const work = await mkdtemp(join(tmpdir(), 'lagesbild-backup-'))
    const engine = testEngines().find((e) => e.name === 'pglite')!
    const copy = await engine.copyForProcess()
    const dataDir = copy.env.DATA_DIR!
    try {
      // A running server on the directory, holding its lock, with a write just before the backup.
      const db = await copy.open()
      const app = await startApp(db, { config: { dataDir } })
      let before: Record<string, unknown>
      const viaServer = join(work, 'via-server.tar.gz')
      try {
        await acquireLock(dataDir, `${app.url}/`)
        const imported = await post(app, '/api/imports/observations?filename=fore-kopian.csv', 'indicator,layer,area_code,period,value\ndemo_ran,primaromrade,612,2027,9\ndemo_ran,primaromrade,116,2027,14\n')
        expect(imported.status).toBe(201)

        const refused = await cli('db-backup', { DATA_DIR: dataDir }, ['--out', viaServer])
        expect(refused.code).toBe(3)
        expect(refused.stderr).toMatch(/Lägesbild körs .* och håller/)
        expect(refused.stderr).toMatch(/--token/)
        expect(existsSync(viaServer)).toBe(false)

        const admin = await app.as('admin')
        const token = await send(admin, 'POST', '/api/tokens', { name: 'säkerhetskopior' })
        expect(token.status).toBe(201)
        const analystToken = await send(app, 'POST', '/api/tokens', { name: 'inte admin' })
        const notAdmin = await cli('db-backup', { DATA_DIR: dataDir, LAGESBILD_TOKEN: analystToken.body.secret }, ['--out', viaServer])
        expect(notAdmin.code).toBe(1)
        expect(notAdmin.stderr).toMatch(/403/)

        const taken = await cli('db-backup', { DATA_DIR: dataDir }, ['--out', viaServer, '--token', token.body.secret])
        expect(taken.code, taken.stderr).toBe(0)
        expect(taken.stdout).toMatch(/tagen av den körande servern/)
        expect(existsSync(viaServer)).toBe(true)

        const whileRunning = await cli('db-restore', { DATA_DIR: dataDir }, [viaServer])
        expect(whileRunning.code).toBe(3)
        expect(whileRunning.stderr).toMatch(/Stoppa servern/)

        before = await figures(db)
        expect(before['/api/indicators/demo_ran/values?layer=primaromrade&period=2027']).toEqual(expect.arrayContaining([['612', 9, false], ['116', 14, false]]))
      } finally {
        await app.close()
        await db.close()
        await releaseLock(dataDir)
      }

      // Into a fresh directory: the same figures.
      const fresh = join(work, 'fresh')
      const restored = await cli('db-restore', { DATA_DIR: fresh }, [viaServer])
      expect(restored.code, restored.stderr).toBe(0)
      expect(restored.stdout).toMatch(/Återställd: /)
      const freshDb = await createDb({ dataDir: fresh })
      try {
        expect(await figures(freshDb)).toEqual(before)
      } finally {
        await freshDb.close()
      }

      // With no server running the command opens the directory itself.
      const direct = join(work, 'direct.tar.gz')
      const itself = await cli('db-backup', { DATA_DIR: fresh }, ['--out', direct])
      expect(itself.code, itself.stderr).toBe(0)
      expect(itself.stdout).not.toMatch(/körande servern/)

      // Over a directory that changed after the backup: the change is gone, the old directory is kept aside.
      const changed = await createDb({ dataDir })
      await changed.kysely.deleteFrom('observations').where('period', '=', '2027').execute()
      await changed.close()
      const over = await cli('db-restore', { DATA_DIR: dataDir }, [direct])
      expect(over.code, over.stderr).toBe(0)
      const kept = (await readdir(dirname(dataDir))).filter((n) => n.startsWith(`${basename(dataDir)}.fore-aterstallning-`))
      expect(kept).toHaveLength(1)
      expect(over.stdout).toContain(kept[0])
      const back = await createDb({ dataDir })
      try {
        expect(await figures(back)).toEqual(before)
      } finally {
        await back.close()
      }
      const old = await createDb({ dataDir: join(dirname(dataDir), kept[0]!) })
      try {
        expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM observations WHERE period = '2027'`.execute(old.kysely)).rows[0]!.n)).toBe(0)
      } finally {
        await old.close()
        await rm(join(dirname(dataDir), kept[0]!), { recursive: true, force: true })
      }

      // A file that is no backup leaves the directory as it was.
      const bad = await cli('db-restore', { DATA_DIR: dataDir }, [resolve('package.json')])
      expect(bad.code).toBe(1)
      expect(bad.stderr).toMatch(/gick inte att läsa in; .* är orörd/)
      expect((await readdir(dirname(dataDir))).filter((n) => n.startsWith(basename(dataDir)) && n !== basename(dataDir))).toEqual([])
    } finally {
      await copy.remove()
      await rm(work, { recursive: true, force: true })
    }
  })
})

describe('npm start on the embedded engine', () => {
  it('holds its data directory while it runs: a second start and user:add are refused; SIGTERM lets go', { timeout: 300_000 }, async () => {
    const engine = testEngines().find((e) => e.name === 'pglite')!
    const copy = await engine.copyForProcess()
    const dataDir = copy.env.DATA_DIR!
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1' }
    const server = spawn(process.execPath, ['--import', 'tsx', resolve('server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    server.stdout.on('data', (d) => (output += d))
    server.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)))
    try {
      const url = await new Promise<string>((done, fail) => {
        const look = setInterval(() => {
          const m = /Lägesbild körs på (http:\/\/\S+)/.exec(output)
          if (m) (clearInterval(look), done(m[1]!))
        }, 200)
        void exited.then((code) => (clearInterval(look), fail(new Error(`server exited (${code}): ${output}`))))
      })
      // The lock is written just after the URL is printed, then the sign-in lines.
      await expect.poll(() => output).toMatch(/Demokontona stängs av när riktig användning börjar/)
      await expect.poll(async () => JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8')).url).toBe(url)
      expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(server.pid)

      const second = spawnSync(process.execPath, ['--import', 'tsx', resolve('server/main.ts')], { env, encoding: 'utf8', timeout: 120_000 })
      expect(second.status).toBe(1)
      expect(second.stdout).toMatch(new RegExp(`används av en annan process \\(pid ${server.pid}`))
      const userAdd = spawnSync(process.execPath, ['--import', 'tsx', resolve('server/cli/user-add.ts'), '--admin', '--email', 'chef@stad.se', '--password', 'ett-långt-lösenord'], { env, encoding: 'utf8', timeout: 120_000 })
      expect(userAdd.status).toBe(3)
      expect(userAdd.stderr).toMatch(/används av en annan process/)
      expect((await fetch(`${url}api/health`)).status).toBe(200)
    } finally {
      server.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
      await copy.remove()
    }
  })
})

describe('pg_dump and pg_restore of the PostgreSQL server', () => {
  const adminUrl = inject('postgresUrl')
  const hasTools = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0
  const reason = !adminUrl ? 'no PostgreSQL server configured (TEST_DATABASE_URL)' : !hasTools ? 'pg_dump/pg_restore are not on PATH' : null
  if (reason) console.log(`[tests] pg_dump backup test skipped: ${reason}`)

  it.skipIf(reason !== null)('restores a pg_dump -Fc into a fresh database with the same figures', { timeout: 300_000 }, async () => {
    const engine = testEngines().find((e) => e.name === 'postgresql')!
    const copy = await engine.copyForProcess()
    const work = await mkdtemp(join(tmpdir(), 'lagesbild-pgdump-'))
    const target = await createServerDatabase(adminUrl!)
    try {
      const db = await copy.open()
      let before: Record<string, unknown>
      try {
        const app = await startApp(db)
        try {
          expect((await post(app, '/api/imports/observations', 'indicator,layer,area_code,period,value\ndemo_ran,primaromrade,612,2027,9\n')).status).toBe(201)
        } finally {
          await app.close()
        }
        before = await figures(db)
      } finally {
        await db.close()
      }
      // The commands the README gives.
      const file = join(work, 'lagesbild.dump')
      await run('pg_dump', ['-Fc', '-f', file, copy.env.DATABASE_URL!])
      await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', target.url, file])
      const restored = await createDb({ databaseUrl: target.url, dataDir: 'unused' })
      try {
        expect(await figures(restored)).toEqual(before)
      } finally {
        await restored.close()
      }
    } finally {
      await target.drop()
      await copy.remove()
      await rm(work, { recursive: true, force: true })
    }
  })
})
