/**
 * Restores the embedded database (DATA_DIR) from a backup made by `npm run db:backup`:
 *   npm run db:restore -- FIL.tar.gz
 * Refused while the server runs. The backup is unpacked and opened beside DATA_DIR first; only then is the old
 * directory renamed aside (kept, with a timestamp) and the new one put in its place.
 */
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { restoreDataDir } from '../../db/backup'
import { acquireLock, DataDirBusyError, isDirectory, LOCK_FILE, readLock, releaseLock } from '../../db/data-dir-lock'
import { loadConfig } from '../config'

const { positionals } = parseArgs({ allowPositionals: true, options: {} })
const config = loadConfig()
const fail = (code: number, ...lines: string[]): never => {
  for (const l of lines) console.error(l)
  process.exit(code)
}

if (config.databaseUrl) fail(2, 'DATABASE_URL är satt: databasen är en PostgreSQL-server. Återställ den med pg_restore (se README, Säkerhetskopiering).')
if (!isDirectory(config.dataDir)) fail(2, 'DATA_DIR=memory:// finns bara i minnet: det finns ingen datakatalog att återställa.')
const file = positionals[0]
if (!file || positionals.length > 1) fail(2, 'Användning: npm run db:restore -- SÄKERHETSKOPIA.tar.gz')
if (!existsSync(file!)) fail(2, `Filen finns inte: ${resolve(file!)}`)

const dataDir = resolve(config.dataDir)
const holder = await readLock(dataDir)
if (holder) {
  fail(3, `Lägesbild körs (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}) och håller ${dataDir}.`, 'Stoppa servern (Ctrl+C eller SIGTERM) och kör återställningen igen.')
}
// Held while the backup is unpacked, so a server start meanwhile is refused.
const existed = existsSync(dataDir)
if (existed) {
  try {
    await acquireLock(dataDir)
  } catch (err) {
    if (err instanceof DataDirBusyError) fail(3, err.message)
    throw err
  }
}
try {
  const started = Date.now()
  const { previous, migrations } = await restoreDataDir(await readFile(file!), dataDir)
  if (previous) await rm(join(previous, LOCK_FILE), { force: true })
  console.log(`Återställd: ${dataDir} från ${resolve(file!)} (${migrations} migreringar, ${((Date.now() - started) / 1000).toFixed(1)} s).`)
  if (previous) console.log(`Den tidigare katalogen ligger kvar som ${previous}; ta bort den när allt fungerar.`)
  console.log('Starta servern med npm start.')
} catch (err) {
  if (existed) await releaseLock(dataDir)
  fail(1, err instanceof Error ? err.message : String(err))
}
