import type { AddressInfo } from 'node:net'
import { createApp } from './app'
import { openDatabase } from './boot'
import { loadConfig } from './config'

const config = loadConfig()
const log = (msg: string) => console.log(`[lägesbild] ${msg}`)
log(config.databaseUrl ? 'Databas: PostgreSQL-server (DATABASE_URL)' : `Databas: inbyggd PGlite + PostGIS i ${config.dataDir}`)
const db = await openDatabase(config, log)
const server = createApp({ db, config }).listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo
  log(`Lägesbild körs på http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`)
})

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log(`${signal}: stänger`)
  server.close()
  server.closeAllConnections()
  // PGlite must close cleanly so its data directory stays consistent.
  await db.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
