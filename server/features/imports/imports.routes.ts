import { allow, currentUser } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { importBoundaries } from './boundaries.import'
import { AppError } from '../../errors'
import { boundariesImportQuery, incidentsImportQuery, MAX_TABLE_BYTES, observationsImportQuery, recipeParams, tablesImportBody } from './imports.schema'
import { listImports } from './imports.service'
import { importIncidents } from './incidents.import'
import { importObservations } from './observations.import'
import { populationImportQuery } from './imports.schema'
import { importPopulation } from './population.import'
import { importTables, listTableRecipes, removeTableRecipe, tooLarge } from './tables.import'
import { meteredUpload } from './upload'

/** The file name from the query or the X-File-Name header (URI-encoded, as browsers send it). */
function fileNameOf(queryName: string | undefined, header: string | undefined, fallback: string): string {
  try {
    return (queryName ?? (header ? decodeURIComponent(header) : fallback)).slice(0, 200)
  } catch {
    return fallback
  }
}

/** `keepDemoAccounts`: tests only; otherwise the first real import ends the demo accounts. */
export function importsRouter(db: Kysely<Database>, options: { keepDemoAccounts?: boolean } = {}): Router {
  const router = Router()
  const keepDemoAccounts = options.keepDemoAccounts ?? false

  router.post('/imports/population', allow('analyst'), async (req, res) => {
    const q = parseInput(populationImportQuery, req.query)
    const result = await importPopulation(db, req, {
      layerId: q.layer,
      replace: q.replace,
      fileName: fileNameOf(q.filename, req.get('x-file-name'), 'befolkning.csv'),
      actor: currentUser(req),
      keepDemoAccounts,
    })
    res.status(201).json(result)
  })

  router.get('/imports', allow('analyst'), async (_req, res) => {
    res.json(await listImports(db))
  })

  router.post('/imports/observations', allow('analyst'), async (req, res) => {
    const q = parseInput(observationsImportQuery, req.query)
    const result = await importObservations(db, req, {
      fileName: fileNameOf(q.filename, req.get('x-file-name'), 'indikatorer.csv'),
      replace: q.replace,
      actor: currentUser(req),
      keepDemoAccounts,
    })
    res.status(201).json(result)
  })

  router.post('/imports/incidents', allow('analyst'), async (req, res) => {
    const q = parseInput(incidentsImportQuery, req.query)
    const type = req.get('content-type') ?? ''
    const format = q.format ?? (/json/i.test(type) ? 'geojson' : 'csv')
    const result = await importIncidents(db, req, {
      fileName: fileNameOf(q.filename, req.get('x-file-name'), format === 'csv' ? 'handelser.csv' : 'handelser.geojson'),
      format,
      crs: q.crs ?? null,
      map: q.map ?? {},
      strict: q.strict,
      dryRun: q.dryRun,
      replace: q.replace,
      actor: currentUser(req),
      keepDemoAccounts,
    })
    res.status(q.dryRun ? 200 : 201).json(result)
  })

  router.post('/imports/boundaries', allow('analyst'), async (req, res) => {
    const q = parseInput(boundariesImportQuery, req.query)
    const result = await importBoundaries(db, req, {
      layerId: q.layer,
      validFrom: q.validFrom,
      crs: q.crs ?? null,
      codeField: q.codeField,
      nameField: q.nameField,
      replace: q.replace,
      fileName: fileNameOf(q.filename, req.get('x-file-name'), 'granser.geojson'),
      actor: currentUser(req),
      keepDemoAccounts,
    })
    res.status(201).json(result)
  })

  router.post('/imports/tables', allow('analyst'), async (req, res) => {
    const body = parseInput(tablesImportBody, await readJsonBody(req), 'body')
    const result = await importTables(db, body, currentUser(req), { keepDemoAccounts })
    res.status(body.dryRun ? 200 : 201).json(result)
  })

  router.get('/imports/recipes', allow('analyst'), async (_req, res) => {
    res.json(await listTableRecipes(db))
  })

  router.delete('/imports/recipes/:id', allow('analyst'), async (req, res) => {
    const { id } = parseInput(recipeParams, req.params, 'path')
    await removeTableRecipe(db, id, currentUser(req))
    res.status(204).end()
  })

  return router
}

/** The JSON body of a table import: the file in base64 (4/3 of its bytes) and the recipe, capped like the file. */
async function readJsonBody(req: AsyncIterable<Uint8Array>): Promise<unknown> {
  const upload = meteredUpload(req, Math.ceil((MAX_TABLE_BYTES * 4) / 3) + 1024 * 1024)
  const chunks: Buffer[] = []
  try {
    for await (const chunk of upload.stream) chunks.push(Buffer.from(chunk))
  } catch (err) {
    throw err instanceof AppError && err.status === 413 ? tooLarge() : err
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw AppError.badRequest('Felaktiga uppgifter: kroppen är ingen JSON ({ file: { name, base64 }, dryRun, recipe? })', [{ field: 'body', message: 'ingen giltig JSON' }])
  }
}
