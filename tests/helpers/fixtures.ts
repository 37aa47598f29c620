/** Test data that several suites create the same way. */
import type { Db } from '../../db/connect'
import { send, type Client } from './http'

/** A synthetic count indicator (marked demo), with the given disclosure threshold. */
export async function insertCountIndicator(db: Db, id: string, name: string, threshold = 5) {
  await db.kysely
    .insertInto('indicators')
    .values({ id, name, description: 'Testdata', unit: 'count', category: 'brott', source: 'Test', polarity: 'higher_is_worse', min_publish_count: threshold, is_demo: true })
    .execute()
}

/** A measure body for POST /api/measures: defaults for everything but what a test is about. */
export function measureBody(o: { title: string; problemAreaId: number; areaIds: number[]; status?: string; startDate?: string; followUp?: unknown[] }) {
  return {
    description: '',
    purpose: 'trygghetsskapande',
    prevention: 'situationell',
    level: 'operativ',
    owners: ['staden', 'polisen'],
    samverkansform: null,
    status: 'pagaende',
    startDate: '2025-01-01',
    endDate: null,
    followUp: [],
    ...o,
  }
}

/**
 * As a local group: the measure the meeting-pack tests follow up (drug offences in Hjällbo, 2023 → 2026).
 * Returns its id, and the id of an area by layer and name.
 */
export async function createHjallboMeasure(local: Client): Promise<{ measureId: number; areaId(layer: string, name: string): number }> {
  const areas = (await send(local, 'GET', '/api/areas')).body
  const areaId = (layer: string, name: string): number => areas.find((a: { layer: string; name: string }) => a.layer === layer && a.name === name).id
  const hjallbo = areaId('primaromrade', 'Hjällbo')
  const cycles = (await send(local, 'GET', '/api/cycles')).body
  const problemAreas = (await send(local, 'GET', `/api/cycles/${cycles.find((c: { current: boolean }) => c.current).id}/problem-areas`)).body
  const measure = await send(
    local,
    'POST',
    '/api/measures',
    measureBody({
      title: 'Trygghetsvandringar i Hjällbo',
      problemAreaId: problemAreas[0].id,
      areaIds: [hjallbo],
      startDate: '2024-01-01',
      followUp: [{ indicatorId: 'demo_narkotikabrott', baselinePeriod: '2023', target: 100, targetPeriod: '2026' }],
    }),
  )
  if (measure.status !== 201) throw new Error(`measure not created: ${JSON.stringify(measure.body)}`)
  return { measureId: measure.body.id, areaId }
}
