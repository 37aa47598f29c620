/**
 * A published lägesbild binds the live figures from the moment it is published, not from the next import:
 * publishing changes no data version, so the live audit must key on the published releases too. The data are
 * large in every cell (nothing small to hide), so what changes on publishing is the correction alone.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { testEngines } from '../helpers/engines'
import { insertCountIndicator } from '../helpers/fixtures'
import { post, send, startApp, type Client, type RunningApp } from '../helpers/http'
import { weeklyIncidentsCsv, weeks } from '../helpers/weekly-incidents'

const INDICATOR = 'test_stold'
const FEBRUARY = weeks(2025, 6, 8) // 3–23 February 2025
const PATH = `/api/indicators/${INDICATOR}/values?layer=primaromrade&period=2025-02`

describe.each(testEngines())('a lägesbild published without an import, on $name', (engine) => {
  let db: Db
  let app: RunningApp
  let local: Client
  let corrected: string
  let other: string
  /** Ten incidents a week in every primärområde, at one point each, and `extra` more in one area and week. */
  const incidents = (extra: number) =>
    weeklyIncidentsCsv(db, FEBRUARY, (code, week) => 10 + (code === corrected && week === FEBRUARY[1] ? extra : 0), { points: 1 })
  const load = async (csv: string) => expect((await post(app, `/api/imports/incidents?crs=EPSG:3006&replace=true&map=R%C3%A5n:${INDICATOR}`, csv)).status).toBe(201)
  const valueOf = (body: any, code: string) => body.values.find((v: any) => v.code === code)

  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
    local = await app.as('local')
    await insertCountIndicator(db, INDICATOR, 'Stöld (test)', 5)
    const { rows } = await sql<{ code: string }>`SELECT code FROM areas WHERE layer_id = 'primaromrade' AND valid_to IS NULL ORDER BY code LIMIT 2`.execute(db.kysely)
    ;[corrected, other] = [rows[0]!.code, rows[1]!.code]
    await load(await incidents(0))
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  it('hides a correction smaller than the threshold of a figure it showed, at once, and says why to analysts', async () => {
    // A lägesbild of February, frozen as a draft: the public cannot see it yet.
    const draft = await send(app, 'POST', '/api/snapshots', {
      title: 'Februari',
      settings: { layer: 'primaromrade', indicator: INDICATOR, period: '2025-02', classification: 'quantile', classes: 5 },
      indicators: [INDICATOR],
      layers: ['primaromrade'],
    })
    expect(draft.status).toBe(201)
    const frozen = (await app.get(`/api/snapshots/${draft.body.id}/values?indicator=${INDICATOR}&layer=primaromrade&period=2025-02`)).body
    expect(valueOf(frozen, corrected).value).toBe(30)

    // One more incident in one area: a correction by 1, published as it is while no release showed 30.
    await load(await incidents(1))
    const before = (await local.get(PATH)).body
    expect(before.suppression.pending).toBeUndefined()
    expect(valueOf(before, corrected)).toMatchObject({ value: 31, suppressed: false })

    // Published with no import in between: 30 then and 31 now would give the one incident away.
    expect((await send(app, 'POST', `/api/snapshots/${draft.body.id}/publish`)).status).toBe(200)
    const after = (await local.get(PATH)).body
    expect(after.suppression.pending).toBeUndefined()
    expect(valueOf(after, corrected)).toMatchObject({ value: null, suppressed: true })
    // What did not change is shown as the lägesbild showed it.
    expect(valueOf(after, other)).toMatchObject({ value: 30, suppressed: false })
    expect(valueOf(frozen, other).value).toBe(30)
    const internal = (await app.get(PATH)).body
    expect(valueOf(internal, corrected)).toMatchObject({ value: 31, hiddenOutside: 'release' })
    expect(valueOf(internal, other).hiddenOutside).toBeUndefined()
  }, 180_000)
})
