/**
 * Batch imports from the command line, through the same code as the API:
 *   npm run import -- incidents FILE [--crs EPSG:3006] [--map cat:indicator,…] [--dry-run] [--replace] [--lenient]
 *   npm run import -- observations FILE [--replace]
 *   npm run import -- population FILE --layer deso [--replace]
 */
import { CLI_ACTOR } from '../../db/audit'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config'
import { DataDirBusyError } from '../../db/data-dir-lock'
import { openDatabase } from '../boot'
import { AppError } from '../errors'
import { importIncidents } from '../features/imports/incidents.import'
import { importObservations } from '../features/imports/observations.import'
import { importPopulation } from '../features/imports/population.import'
import { incidentsImportQuery } from '../features/imports/imports.schema'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    crs: { type: 'string' },
    map: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    replace: { type: 'boolean', default: false },
    lenient: { type: 'boolean', default: false },
    layer: { type: 'string' },
  },
})
const [kind, file] = positionals
if ((kind !== 'incidents' && kind !== 'observations' && kind !== 'population') || !file || (kind === 'population' && !values.layer)) {
  console.error('Användning: npm run import -- incidents|observations FIL [--crs EPSG:3006] [--map kategori:indikator,…] [--dry-run] [--replace] [--lenient]')
  console.error('           npm run import -- population FIL --layer deso|regso|primaromrade|… [--replace]')
  process.exit(2)
}
await stat(file).catch(() => {
  console.error(`Filen finns inte: ${file}`)
  process.exit(2)
})

const db = await openDatabase(loadConfig(), (m) => console.error(m)).catch((err: unknown) => {
  // The running server holds the embedded directory: say so, without a stack trace.
  if (!(err instanceof DataDirBusyError)) throw err
  console.error(err.message)
  return process.exit(3)
})
let code = 0
try {
  const body = createReadStream(file)
  if (kind === 'population') {
    console.log(JSON.stringify(await importPopulation(db.kysely, body, { layerId: values.layer!, replace: values.replace, fileName: basename(file), actor: CLI_ACTOR }), null, 2))
  } else if (kind === 'observations') {
    console.log(JSON.stringify(await importObservations(db.kysely, body, { fileName: basename(file), replace: values.replace, actor: CLI_ACTOR }), null, 2))
  } else {
    const q = incidentsImportQuery.parse({ crs: values.crs, map: values.map })
    const result = await importIncidents(db.kysely, body, {
      fileName: basename(file),
      format: /\.(geo)?json$/i.test(file) ? 'geojson' : 'csv',
      crs: q.crs ?? null,
      map: q.map ?? {},
      strict: !values.lenient,
      dryRun: values['dry-run'],
      replace: values.replace,
      actor: CLI_ACTOR,
      onProgress: (n, phase) => console.error(phase === 'reading' ? `… ${n} rader lästa` : `Skriver ${n} raders summor till databasen…`),
    })
    console.log(JSON.stringify(result, null, 2))
  }
} catch (err) {
  code = 1
  if (err instanceof AppError) {
    console.error(`${err.status} ${err.message}`)
    for (const d of err.details) console.error(`  ${d.row !== undefined ? `rad ${d.row}: ` : ''}${d.field ? `${d.field}: ` : ''}${d.message}`)
  } else console.error(err)
} finally {
  await db.close()
}
process.exit(code)
