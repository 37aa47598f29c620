/** An analyst imports an incident extract in the browser: preview, map a category, confirm, see it on the map. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('the import page in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  beforeAll(async () => {
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1300, height: 900 } }), h.app.url)
  })

  it('previews, maps a category, imports, and the new month is on the map', async () => {
    const { rows } = await sql<{ x: number; y: number }>`
      SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 40, 3))).geom AS g FROM areas
      WHERE layer_id = 'stadsomrade') p`.execute(h.db.kysely)
    const csv = '\uFEFFDatum;Kategori;X;Y\r\n' + rows.map((r, i) => `2026-04-${String(1 + (i % 28)).padStart(2, '0')};Väskryckning;${String(r.x).replace('.', ',')};${String(r.y).replace('.', ',')}`).join('\r\n')

    await ui.givenThePage('/importera')
    await ui.previewIncidents({ name: 'utdrag-april.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }, 'EPSG:3006')
    expect(await ui.text('preview-rows')).toBe(String(rows.length))
    expect(await ui.incidentImportDisabled()).toBe(true) // the category has no indicator yet
    await ui.mapCategory('Väskryckning', 'demo_ran')
    await ui.confirmIncidentImport()
    expect(await ui.text('import-result')).toContain(`${rows.length} händelser`)
    // The log is read again after the import, behind the map's figures for the new data version.
    await expect.poll(() => ui.firstRowText('import-log'), { timeout: 30_000 }).toMatch(/utdrag-april\.csv/)
    await ui.screenshot(join(ARTEFACTS, 'import.png'))

    const key = await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&period=2026-04&utsatta=0')
    expect(key).toContain('stadsomrade|demo_ran|2026-04')
    expect(await ui.text('metadata')).toMatch(/april 2026/)
  })

  it('shows every problem of a bad file by row and field', async () => {
    await ui.givenThePage('/importera')
    const bad = 'indicator;layer;area_code;period;value\ndemo_ran;primaromrade;999;2026;1\ndemo_ran;primaromrade;612;2026-13;1\n'
    await ui.importObservationsExpectingErrors({ name: 'fel.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    const text = await ui.text('import-error')
    expect(text).toMatch(/2\s+area_code\s+okänd områdeskod "999"/)
    expect(text).toMatch(/3\s+period/)
  })

  it("imports the city's population table for two years, and a repeat is refused until replacing is ticked", async () => {
    await ui.givenThePage('/importera')
    const file = { name: 'befolkning.csv', mimeType: 'text/csv', buffer: readFileSync(join(import.meta.dirname, '../fixtures/official/goteborg_primaromraden_befolkning_2023_2024.csv')) }
    const stored = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_population WHERE year IN (2023, 2024)`.execute(h.db.kysely)).rows[0]!.n)
    const text = await ui.importPopulation(file, 'primaromrade')
    expect(text).toMatch(/96 områden, år 2023, 2024; 192 uppgifter/)
    expect(await stored()).toBe(192)
    // The log is fetched again after the import: wait for it rather than read the old one.
    await expect.poll(() => ui.firstRowText('import-log')).toMatch(/Befolkning.*befolkning\.csv/s)
    expect(await ui.importPopulation(file, 'primaromrade')).toMatch(/finns redan/)
    expect(await ui.importPopulation(file, 'primaromrade', { replace: true })).toMatch(/192 uppgifter \(192 ersatte tidigare\)/)
    expect(await stored()).toBe(192)
  })

  it('imports official boundaries from a date and reports repaired geometry', async () => {
    const { rows } = await sql<{ name: string; g: string }>`
      SELECT name, ST_AsGeoJSON(ST_Transform(geom, 4326), 7) AS g FROM areas WHERE layer_id = 'stadsomrade'`.execute(h.db.kysely)
    const fc = {
      type: 'FeatureCollection',
      features: [
        ...rows.map((r) => ({ type: 'Feature', geometry: JSON.parse(r.g), properties: { kod: r.name.toLowerCase(), namn: r.name } })),
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[11.95, 57.7], [11.96, 57.71], [11.96, 57.7], [11.95, 57.71], [11.95, 57.7]]] }, properties: { kod: 'fluga', namn: 'Fluga' } },
      ],
    }
    await ui.givenThePage('/importera')
    const file = { name: 'lpo-officiella.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(fc)) }
    await ui.importBoundaries(file, 'lokalpolisomrade', '2026-02-01')
    const text = await ui.text('boundaries-result')
    expect(text).toMatch(/5 områden gäller från 2026-02-01; 4 tidigare versioner avslutades/)
    expect(text).toMatch(/fluga: geometrin lagades \(Self-intersection/)
  })
})
