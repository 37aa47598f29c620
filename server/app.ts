import { existsSync } from 'node:fs'
import { setAuditBudget } from './features/indicators/suppression'
import { setAuditOverlay } from './features/indicators/indicators.service'
import { join, resolve } from 'node:path'
import compression from 'compression'
import helmet from 'helmet'
import express, { type Express } from 'express'
import type { Db } from '../db/connect'
import { postgisVersion } from '../db/connect'
import { inQueryTurn } from '../db/pglite-dialect'
import type { Config } from './config'
import { authRouter, sessionMiddleware, type AuthOptions } from './features/auth/auth.routes'
import { analysisRouter } from './features/analysis/analysis.routes'
import { areasRouter } from './features/areas/areas.routes'
import { queenNeighbours, today } from './features/areas/areas.service'
import { placesRouter } from './features/areas/places.routes'
import { fieldReportsRouter } from './features/field-reports/field-reports.routes'
import { importsRouter } from './features/imports/imports.routes'
import { indicatorsRouter } from './features/indicators/indicators.routes'
import { getIndicators, getValues } from './features/indicators/indicators.service'
import { snapshotsRouter } from './features/snapshots/snapshots.routes'
import { measuresRouter } from './features/measures/measures.routes'
import { plansRouter } from './features/plans/plans.routes'
import { organisationRouter } from './features/organisation/organisation.routes'
import { prioritiesRouter } from './features/priorities/priorities.routes'
import { samverkansformerRouter } from './features/samverkansformer/samverkansformer.routes'
import { communicationRouter } from './features/communication/communication.routes'
import { allow } from './http/access'
import { corsOpenData } from './http/caching'
import { errorHandler, notFoundApi, serverError } from './http/errors.middleware'
import { ogcRouter } from './features/ogc/ogc.routes'
import { methodNotAllowed } from './http/method-not-allowed'
import { openApiDocument } from './openapi'
import { openApiHtml } from './openapi-docs'
import { alertSources, evidenceFigures, indicatorSources, ogcSources, operationalSources, snapshotSources, timeProfileSources } from './sources'
import { operationalRouter } from './features/operational/operational.routes'
import { alertsRouter } from './features/alerts/alerts.routes'
import { timeProfileRouter } from './features/time-profile/time-profile.routes'
import { backupRouter } from './features/backup/backup.routes'
import { dumpLiveDataDir, stamp } from '../db/backup'

export interface AppDeps {
  db: Db
  config: Pick<Config, 'clientDir'> & Partial<Pick<Config, 'basemapStyleUrl' | 'secureCookies' | 'trustProxy' | 'dataDir' | 'lpAuditBudgetMs' | 'lpAuditWaitMs' | 'lpAuditOverlay'>>
  auth?: AuthOptions
  /** Tests only: the suite signs in as demo accounts after real imports, which otherwise end them. */
  keepDemoAccounts?: boolean
}

/** The Express app, without listening: tests run it in-process against a real database. */
export function createApp({ db, config, auth, keepDemoAccounts }: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  // On the embedded engine a request's statements keep its place in the queue, and a write's go first.
  app.use((req, _res, next) => inQueryTurn(req.method !== 'GET' && req.method !== 'HEAD', next))
  // MapLibre needs blob: workers and images; React sets inline style attributes. Nothing else loads from
  // anywhere but this server, except a configured basemap.
  if (config.lpAuditBudgetMs !== undefined) setAuditBudget(config.lpAuditBudgetMs)
  setAuditOverlay(config.lpAuditOverlay ?? true)
  // Answers and sessions are kept in memory until a write commits, here or (heard by this) in another process.
  db.listenForChanges()
  const basemap = config.basemapStyleUrl ? new URL(config.basemapStyleUrl).origin : null
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:', ...(basemap ? [basemap] : [])],
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'", ...(basemap ? [basemap] : [])],
          fontSrc: ["'self'", ...(basemap ? [basemap] : [])],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // The app is served over plain HTTP on a LAN or localhost as often as behind TLS.
      strictTransportSecurity: false,
    }),
  )
  app.set('query parser', 'simple')
  // Behind a reverse proxy the client's address (rate limits) and HTTPS (secure cookies) come from it.
  if (config.trustProxy) app.set('trust proxy', config.trustProxy)
  // HSTS only on requests that arrived over TLS (directly or, with TRUST_PROXY, at the proxy): a LAN install
  // on plain HTTP must not be told to insist on HTTPS.
  app.use((req, res, next) => {
    if (req.secure) res.set('Strict-Transport-Security', 'max-age=15552000')
    next()
  })
  app.use(compression())
  // Uploads under /api/imports are streamed by their handlers, never buffered by a body parser.
  app.use(express.json({ limit: '1mb', type: (req) => !req.url?.startsWith('/api/imports') && /json/i.test(String(req.headers['content-type'])) }))

  const api = express.Router()
  // Before the session: an open-data read from another origin never carries credentials anyway.
  app.use(corsOpenData)
  api.use(sessionMiddleware(db.kysely))
  api.get('/health', allow('public'), async (_req, res) => {
    try {
      const postgis = await postgisVersion(db.kysely)
      res.json({ status: 'ok', database: db.engine, postgis })
    } catch (err) {
      serverError(err, 'GET /api/health')
      res.status(503).json({ status: 'error', database: db.engine, postgis: null })
    }
  })
  api.get('/config', allow('public'), (_req, res) => {
    res.json({ basemapStyleUrl: config.basemapStyleUrl ?? null })
  })
  api.use(authRouter(db.kysely, { secureCookies: config.secureCookies, ...auth }))
  api.use(areasRouter(db.kysely))
  api.use(placesRouter(db.kysely))
  api.use(indicatorsRouter(db.kysely, indicatorSources(db)))
  api.use(importsRouter(db.kysely, { keepDemoAccounts }))
  api.use(prioritiesRouter(db.kysely, evidenceFigures(db)))
  api.use(
    measuresRouter(db.kysely, {
      // The evaluation's figures, disclosed as the values route discloses them to the same caller.
      values: (viewer, indicator, layer, period) => getValues(db.kysely, viewer, indicator, layer, period),
      indicators: () => getIndicators(db.kysely),
    }),
  )
  api.use(plansRouter(db.kysely))
  api.use(organisationRouter(db.kysely))
  api.use(samverkansformerRouter(db.kysely))
  api.use(communicationRouter(db.kysely))
  api.use(fieldReportsRouter(db.kysely))
  api.use(snapshotsRouter(db.kysely, snapshotSources(db, config.lpAuditWaitMs)))
  api.use(operationalRouter(operationalSources(db)))
  api.use(alertsRouter(db.kysely, alertSources(db)))
  api.use(timeProfileRouter(db.kysely, timeProfileSources(db)))
  const dataDir = db.engine === 'pglite' && config.dataDir && !config.dataDir.startsWith('memory://') ? config.dataDir : null
  api.use(
    backupRouter(
      dataDir ? async () => ({ ...(await dumpLiveDataDir(db.kysely, dataDir)), fileName: `lagesbild-${stamp()}.tar.gz` }) : null,
      db.engine === 'postgresql'
        ? 'Databasen är en PostgreSQL-server: säkerhetskopiera den med pg_dump (se README, Säkerhetskopiering)'
        : 'Databasen finns bara i minnet (DATA_DIR=memory://): det finns ingen datakatalog att säkerhetskopiera',
    ),
  )
  api.use(
    analysisRouter(db.kysely, {
      // Analysts' figures: every count, hidden ones included (the routes are for analysts only).
      values: (indicator, layer, period) => getValues(db.kysely, 'internal', indicator, layer, period),
      neighbours: async (layer) => (await queenNeighbours(db.kysely, layer, today())).neighbours,
    }),
  )
  // The API's description, generated from the registered routes once they are all in place.
  let openApi: ReturnType<typeof openApiDocument> | undefined
  api.get('/openapi.json', allow('public'), (_req, res) => {
    res.json((openApi ??= openApiDocument(app)))
  })
  api.get('/docs', allow('public'), (_req, res) => {
    res.type('html').send(openApiHtml((openApi ??= openApiDocument(app))))
  })
  api.use(methodNotAllowed(api))
  api.use(notFoundApi)
  app.use('/api', api)
  // The session or an API token only decides whether the analysts' internal collections are offered.
  app.use('/ogc', sessionMiddleware(db.kysely), ogcRouter(db.kysely, ogcSources(db)))

  const clientDir = resolve(config.clientDir)
  const indexHtml = join(clientDir, 'index.html')
  app.use(express.static(clientDir, { index: false, maxAge: '1h' }))
  // The client routes in the browser: every other GET gets the app shell.
  app.get('/{*path}', (_req, res) => {
    if (existsSync(indexHtml)) res.set('Cache-Control', 'no-cache').sendFile(indexHtml)
    else res.status(404).type('text/plain; charset=utf-8').send('Klienten är inte byggd. Kör "npm run build" eller "npm start".')
  })
  app.use(errorHandler)
  return app
}
