/**
 * A local group reads a measure whose follow-up baseline is hidden from it (too few): the target is not
 * shown either, the page says why in Swedish, and nothing breaks, wide or narrow.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { getValues } from '../../server/features/indicators/indicators.service'
import { createMeasure } from '../../server/features/measures/measures.service'
import { DEMO_ACCOUNTS } from '../../server/features/auth/auth.service'
import { AppError } from '../../server/errors'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

const TITLE = 'Trygghetsvandringar kring torget (dold utgångsnivå)'

describe.skipIf(browserSkipReason !== null)('a withheld follow-up target in Chromium', () => {
  let measureId = 0
  const h = useBrowserApp({
    // As the demo types its targets: round(baseline × 0.7), on a primärområde of Nordost whose 2022 robberies are hidden.
    prepare: async (db) => {
      const k = db.kysely
      const [inside, outside] = await Promise.all([getValues(k, 'internal', 'demo_ran', 'primaromrade', '2022'), getValues(k, 'outside', 'demo_ran', 'primaromrade', '2022')])
      const problemAreaId = (await k.selectFrom('problem_areas').select('id').orderBy('id').executeTakeFirstOrThrow()).id
      const local = DEMO_ACCOUNTS.find((a) => a.role === 'local')!
      const stadsomradeCode = (await k.selectFrom('areas').select('code').where('layer_id', '=', 'stadsomrade').where('name', '=', local.stadsomrade!).executeTakeFirstOrThrow()).code
      for (const v of outside.values.filter((x) => x.suppressed)) {
        const n = inside.values.find((x) => x.areaId === v.areaId)?.value ?? 0
        if (n < 1) continue
        try {
          const m = await createMeasure(k, { id: null, email: local.email, role: 'local', stadsomradeCode }, {
            title: TITLE,
            problemAreaId,
            purpose: 'trygghetsskapande',
            prevention: 'situationell',
            level: 'operativ',
            owners: ['staden', 'polisen'],
            areaIds: [v.areaId],
            status: 'pagaende',
            startDate: '2023-03-01',
            followUp: [{ indicatorId: 'demo_ran', baselinePeriod: '2022', target: Math.round(n * 0.7), targetPeriod: '2025' }],
          })
          measureId = m.id
          return
        } catch (e) {
          if (!(e instanceof AppError && e.status === 403)) throw e
        }
      }
      throw new Error('no hidden 2022 robbery count in Nordost')
    },
  })
  let ui: LagesbildDriver
  let errors: string[]
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'local'), h.app.url)
    errors = ui.recordErrors()
  })

  it('shows Uppföljning without the target, saying why, at 1280 and 320 px', async () => {
    await ui.givenThePage('/uppfoljning')
    const text = await ui.followUpSection(measureId)
    expect(text).toMatch(/dolt/)
    expect(text).toMatch(/visas inte/)
    const [cell] = await ui.withheldTargetCells(measureId)
    expect(cell).toEqual({ text: 'visas inte', why: expect.stringMatching(/^Målet visas inte: utgångsvärdet är dolt/) })
    await ui.screenshot(join(ARTEFACTS, 'follow-up-withheld-1280.png'))
    await ui.givenTheScreen(320, 800)
    expect(await ui.followUpSection(measureId)).toMatch(/visas inte/)
    expect((await ui.horizontalOverflow()).overflow).toBeLessThanOrEqual(0)
    await ui.screenshot(join(ARTEFACTS, 'follow-up-withheld-320.png'))
    expect(errors).toEqual([])
  })

  it('opens the measure form with the target left empty and explained, and saves it keeping the target', async () => {
    await ui.givenTheScreen(1280, 800)
    await ui.givenThePage('/atgarder')
    await ui.editMeasure(TITLE)
    const [note] = await ui.withheldTargetNotes()
    expect(note).toMatch(/^Målet visas inte: utgångsvärdet är dolt.*Lämna fältet tomt för att behålla det sparade målet/)
    await ui.screenshot(join(ARTEFACTS, 'follow-up-withheld-form-1280.png'))
    const before = (await h.app.get(`/api/measures/${measureId}`)).body
    await ui.saveMeasure()
    await expect.poll(async () => (await h.app.get(`/api/measures/${measureId}`)).body.version).toBe(before.version + 1)
    const after = (await h.app.get(`/api/measures/${measureId}`)).body
    expect(after.version).toBe(before.version + 1)
    expect(after.followUp).toEqual(before.followUp)
    expect(typeof after.followUp[0].target).toBe('number')
    expect(errors).toEqual([])
  })
})
