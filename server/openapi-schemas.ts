import type { z } from 'zod'
import { alertPatch, alertsQuery } from './features/alerts/alerts.schema'
import { changeQuery, emergingQuery, hotspotsQuery, ratesQuery } from './features/analysis/analysis.schema'
import { areasQuery, placeInput, populationQuery } from './features/areas/areas.schema'
import { auditQuery, loginBody, newUserBody, userPatchBody } from './features/auth/auth.schema'
import { newTokenBody } from './features/auth/tokens.schema'
import { communicationPlanBody } from './features/communication/communication.schema'
import { deleteQuery as fieldReportsDeleteQuery, reportFilters } from './features/field-reports/field-reports.schema'
import { boundariesImportQuery, incidentsImportQuery, observationsImportQuery, populationImportQuery } from './features/imports/imports.schema'
import { deleteQuery as indicatorsDeleteQuery } from './features/indicators/indicators.catalogue.schema'
import { seriesQuery, valuesQuery } from './features/indicators/indicators.schema'
import { deleteQuery as measuresDeleteQuery } from './features/measures/measures.routes'
import { measureFilters } from './features/measures/measures.schema'
import { compareQuery } from './features/operational/operational.schema'
import { arshjulQuery, meetingFilters, rulesQuery } from './features/organisation/organisation.schema'
import { decisionFilters } from './features/plans/decisions.schema'
import { planFilters } from './features/plans/plans.schema'
import { stepStatusInput, versionQuery } from './features/priorities/priorities.schema'
import { deckBody, meetingQuery, snapshotAreasQuery, snapshotBody, snapshotSeriesQuery, snapshotValuesQuery } from './features/snapshots/snapshots.schema'
import { approveBody, areaPageQuery, statementBody } from './features/snapshots/statement.schema'
import { timeProfileQuery } from './features/time-profile/time-profile.schema'

/**
 * The zod schemas each route validates its query and body with, by `METHOD /path` as Express registers it:
 * the OpenAPI document is generated from these and the registered routes (tests/integration/openapi.test.ts
 * checks every route is in it). A route that starts validating with a new schema adds it here;
 * tests/unit/openapi-schemas.test.ts reads the routers and fails until it does.
 */
export const ROUTE_SCHEMAS: Record<string, { query?: z.ZodType; body?: z.ZodType }> = {
  'GET /api/alerts': { query: alertsQuery },
  'PATCH /api/alerts/:id': { body: alertPatch },
  'GET /api/analysis/hotspots': { query: hotspotsQuery },
  'GET /api/analysis/rates': { query: ratesQuery },
  'GET /api/analysis/change': { query: changeQuery },
  'GET /api/analysis/emerging': { query: emergingQuery },
  'GET /api/layers/:layer/areas': { query: areasQuery },
  'GET /api/layers/:layer/neighbours': { query: areasQuery },
  'GET /api/layers/:layer/population': { query: populationQuery },
  'GET /api/areas': { query: areasQuery },
  'POST /api/places': { body: placeInput },
  'POST /api/session': { body: loginBody },
  'POST /api/users': { body: newUserBody },
  'PATCH /api/users/:id': { body: userPatchBody },
  'POST /api/tokens': { body: newTokenBody },
  'GET /api/audit': { query: auditQuery },
  'PUT /api/communication-plan': { body: communicationPlanBody },
  'GET /api/field-reports': { query: reportFilters },
  'DELETE /api/field-reports/:id': { query: fieldReportsDeleteQuery },
  'POST /api/imports/population': { query: populationImportQuery },
  'POST /api/imports/observations': { query: observationsImportQuery },
  'POST /api/imports/incidents': { query: incidentsImportQuery },
  'POST /api/imports/boundaries': { query: boundariesImportQuery },
  'DELETE /api/indicators/:id': { query: indicatorsDeleteQuery },
  'GET /api/indicators/:id/values': { query: valuesQuery },
  'GET /api/indicators/:id/series': { query: seriesQuery },
  'GET /api/measures': { query: measureFilters },
  'DELETE /api/measures/:id': { query: measuresDeleteQuery },
  'GET /api/operational/compare': { query: compareQuery },
  'GET /api/meetings/rules': { query: rulesQuery },
  'GET /api/arshjul': { query: arshjulQuery },
  'GET /api/meetings': { query: meetingFilters },
  'GET /api/decisions': { query: decisionFilters },
  'GET /api/plans': { query: planFilters },
  'PUT /api/cycles/:id/status': { body: stepStatusInput },
  'DELETE /api/problem-areas/:id/causes/:causeId': { query: versionQuery },
  'POST /api/snapshots': { body: snapshotBody },
  'GET /api/snapshots/:id/values': { query: snapshotValuesQuery },
  'GET /api/snapshots/:id/series': { query: snapshotSeriesQuery },
  'GET /api/snapshots/:id/areas': { query: snapshotAreasQuery },
  'PUT /api/snapshots/:id/deck': { body: deckBody },
  'GET /api/snapshots/:id/meeting': { query: meetingQuery },
  'POST /api/snapshots/:id/statement': { body: statementBody },
  'POST /api/snapshots/:id/statement/approve': { body: approveBody },
  'GET /api/stadsomraden/:code': { query: areaPageQuery },
  'GET /api/analysis/time-profile': { query: timeProfileQuery },
}
