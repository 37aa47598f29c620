/** Test data that several suites create the same way. */
import type { Db } from '../../db/connect'

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
