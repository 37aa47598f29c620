import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { acquireLock, DataDirBusyError, isDirectory, releaseLock } from '../db/data-dir-lock'
import { createApp } from './app'
import { openDatabase } from './boot'
import { loadConfig } from './config'
import { foldingLog } from './http/log'
import { DEMO_PASSWORD, hasAccounts } from './features/auth/auth.service'

const config = loadConfig()
const log = (msg: string) => console.log(`[lägesbild] ${msg}`)
log(config.databaseUrl ? 'Databas: PostgreSQL-server (DATABASE_URL)' : `Databas: inbyggd PGlite + PostGIS i ${config.dataDir}`)
// The embedded directory is this process's while it runs: backups and other tools see the lock and ask us.
const lockedDir = !config.databaseUrl && isDirectory(config.dataDir) ? config.dataDir : null
if (lockedDir) {
  try {
    await acquireLock(lockedDir)
  } catch (err) {
    if (!(err instanceof DataDirBusyError)) throw err
    log(err.message)
    process.exit(1)
  }
}
const dbLog = foldingLog(console.warn)
const db = await openDatabase({ ...config, onConnectionError: (err) => dbLog(err.message, `[db] anslutningen till databasen bröts: ${err.message}`) }, log)
// A stray rejection (a background computation whose database went away) is logged, not fatal.
const stray = foldingLog()
process.on('unhandledRejection', (reason) => stray(String((reason as Error)?.message ?? reason), '[error] ohanterat fel:', reason))
const app = createApp({ db, config })
let stopping = false
const server = createServer((req, res) => {
  // While draining, answers close their connection so keep-alive clients go elsewhere.
  if (stopping) res.setHeader('Connection', 'close')
  void app(req, res)
}).listen(config.port, config.host, async () => {
  const { port } = server.address() as AddressInfo
  log(`Lägesbild körs på http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`)
  // Where `npm run db:backup` reaches this server (a wildcard address answers on loopback too).
  if (lockedDir) await acquireLock(lockedDir, `http://${['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`)
  if (db.demoAccounts.length) {
    const roles = { admin: 'administratör', analyst: 'analytiker', local: 'lokal ledningsgrupp' } as const
    log(`Logga in på demon med lösenordet "${DEMO_PASSWORD}" och ett av kontona:`)
    for (const a of db.demoAccounts) log(`  ${a.email}  (${roles[a.role]})`)
    log('Demokontona stängs av när riktig användning börjar: vid den första riktiga importen eller när en administratör')
    log(`skapas med npm run user:add -- --admin --email DIN@ADRESS --password LÖSENORD${lockedDir ? ' (med servern stoppad)' : ''}.`)
  } else if (!(await hasAccounts(db.kysely))) {
    // The embedded directory is ours while we run: user:add must wait until we stop.
    log(lockedDir ? 'Inga konton ännu. Stoppa servern (Ctrl+C) och skapa den första administratören:' : 'Inga konton ännu. Skapa den första administratören:')
    log('  npm run user:add -- --admin --email DIN@ADRESS --password LÖSENORD')
  }
})

/** Stops taking requests, lets those under way finish (up to SHUTDOWN_TIMEOUT_MS), then closes the database. */
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log(`${signal}: tar inte emot nya förfrågningar, låter pågående bli klara och stänger`)
  const drained = new Promise<void>((resolve) => server.close(() => resolve()))
  const idle = setInterval(() => server.closeIdleConnections(), 100)
  const deadline = setTimeout(() => {
    log(`Pågående förfrågningar avbryts efter ${config.shutdownTimeoutMs} ms`)
    server.closeAllConnections()
  }, config.shutdownTimeoutMs)
  server.closeIdleConnections()
  await drained
  clearInterval(idle)
  clearTimeout(deadline)
  // PGlite must close cleanly so its data directory stays consistent.
  await db.close()
  if (lockedDir) await releaseLock(lockedDir)
  log('Stängd')
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
