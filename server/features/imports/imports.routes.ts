import { allow, currentUser } from '../../http/access'
import { Router } from 'express'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { parseInput } from '../../http/validate'
import { importBoundaries } from './boundaries.import'
import { boundariesImportQuery, incidentsImportQuery, observationsImportQuery } from './imports.schema'
import { listImports } from './imports.service'
import { importIncidents } from './incidents.import'
import { importObservations } from './observations.import'

/** The file name from the query or the X-File-Name header (URI-encoded, as browsers send it). */
function fileNameOf(queryName: string | undefined, header: string | undefined, fallback: string): string {
  try {
    return (queryName ?? (header ? decodeURIComponent(header) : fallback)).slice(0, 200)
  } catch {
    return fallback
  }
}

export function importsRouter(db: Kysely<Database>): Router {
  const router = Router()

  router.get('/imports', allow('analyst'), async (_req, res) => {
    res.json(await listImports(db))
  })

  router.post('/imports/observations', allow('analyst'), async (req, res) => {
    const q = parseInput(observationsImportQuery, req.query)
    const result = await importObservations(db, req, {
      fileName: fileNameOf(q.filename, req.get('x-file-name'), 'indikatorer.csv'),
      replace: q.replace,
      actor: currentUser(req),
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
    })
    res.status(201).json(result)
  })

  return router
}
