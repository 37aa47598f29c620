/**
 * A backup of the embedded database (DATA_DIR) as a .tar.gz:
 *   npm run db:backup -- [--out FIL] [--token lgb_…]      (or LAGESBILD_TOKEN=lgb_…)
 * With no server running it opens the directory itself (holding its lock meanwhile). While the server runs it
 * holds the directory, and only it may open it: the backup is then taken by the server (GET /api/admin/backup)
 * with an admin's API token, or refused with what to do.
 */
import { existsSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { dumpDataDir, stamp } from '../../db/backup'
import { acquireLock, DataDirBusyError, isDirectory, readLock, releaseLock, type DataDirLock } from '../../db/data-dir-lock'
import { loadConfig } from '../config'

const { values } = parseArgs({ options: { out: { type: 'string' }, token: { type: 'string' } } })
const config = loadConfig()
const fail = (code: number, ...lines: string[]): never => {
  for (const l of lines) console.error(l)
  process.exit(code)
}

if (config.databaseUrl) {
  fail(2, 'DATABASE_URL är satt: databasen är en PostgreSQL-server. Säkerhetskopiera den med pg_dump -Fc (se README, Säkerhetskopiering).')
}
if (!isDirectory(config.dataDir)) fail(2, 'DATA_DIR=memory:// finns bara i minnet: det finns ingen datakatalog att säkerhetskopiera.')
if (!existsSync(join(config.dataDir, 'PG_VERSION'))) fail(2, `${resolve(config.dataDir)} är ingen databaskatalog (PG_VERSION saknas). Ange rätt DATA_DIR.`)
const out = resolve(values.out ?? `lagesbild-${stamp()}.tar.gz`)

async function fromServer(holder: DataDirLock): Promise<Buffer> {
  const token = values.token ?? config.apiToken
  if (!token || !holder.url) {
    fail(
      3,
      `Lägesbild körs (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}) och håller ${resolve(config.dataDir)}; ingen annan process får öppna den medan servern körs.`,
      'Gör på ett av två sätt:',
      '  1. Låt servern ta kopian: skapa en API-nyckel som administratör (Mina API-nycklar) och kör',
      '     npm run db:backup -- --token lgb_…   (eller LAGESBILD_TOKEN=lgb_… npm run db:backup)',
      '  2. Stoppa servern (Ctrl+C eller SIGTERM) och kör npm run db:backup igen.',
    )
  }
  const res = await fetch(new URL('api/admin/backup', holder.url!), { headers: { Authorization: `Bearer ${token}` } }).catch((err: Error) =>
    fail(1, `Servern på ${holder.url} svarar inte: ${err.message}`),
  )
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    fail(1, `Servern vägrade säkerhetskopian (${res.status}): ${body?.error?.message ?? res.statusText}${res.status === 401 || res.status === 403 ? ' — nyckeln måste tillhöra en aktiv administratör' : ''}`)
  }
  return Buffer.from(await res.arrayBuffer())
}

async function itself(): Promise<Buffer> {
  try {
    await acquireLock(config.dataDir)
  } catch (err) {
    // The server started between our look and now.
    if (err instanceof DataDirBusyError) return fromServer(err.holder)
    throw err
  }
  try {
    return await dumpDataDir(config.dataDir)
  } finally {
    await releaseLock(config.dataDir)
  }
}

const holder = await readLock(config.dataDir)
const started = Date.now()
const archive = holder ? await fromServer(holder) : await itself()
// Written under another name first: a file with the final name is always a whole backup.
await writeFile(`${out}.part`, archive)
await rename(`${out}.part`, out)
console.log(`Säkerhetskopia sparad: ${out} (${(archive.length / 1e6).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s${holder ? ', tagen av den körande servern' : ''})`)
console.log(`Återställ med: npm run db:restore -- ${out}`)
