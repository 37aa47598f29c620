/** An analyst imports an incident extract in the browser: preview, map a category, confirm, see it on the map. */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('the import page in Chromium', () => {
  const h = useBrowserApp()
  let page: Page
  beforeAll(async () => {
    page = await h.newPage({ viewport: { width: 1300, height: 900 } })
  })

  it('previews, maps a category, imports, and the new month is on the map', async () => {
    const { rows } = await sql<{ x: number; y: number }>`
      SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 40, 3))).geom AS g FROM areas
      WHERE layer_id = 'stadsomrade') p`.execute(h.db.kysely)
    const csv = '\uFEFFDatum;Kategori;X;Y\r\n' + rows.map((r, i) => `2026-04-${String(1 + (i % 28)).padStart(2, '0')};Väskryckning;${String(r.x).replace('.', ',')};${String(r.y).replace('.', ',')}`).join('\r\n')

    await page.goto(`${h.app.url}/importera`)
    await page.getByLabel('Koordinatsystem för x/y').selectOption('EPSG:3006')
    await page.locator('#inc-file').setInputFiles({ name: 'utdrag-april.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByRole('button', { name: 'Förhandsgranska' }).click()
    const preview = page.getByTestId('import-preview')
    await preview.waitFor()
    expect(await page.getByTestId('preview-rows').innerText()).toBe(String(rows.length))
    const confirm = page.getByRole('button', { name: 'Läs in' }).first()
    expect(await confirm.isDisabled()).toBe(true) // the category has no indicator yet
    await page.getByLabel('Indikator för Väskryckning').selectOption('demo_ran')
    await confirm.click()
    const result = page.getByTestId('import-result')
    await result.waitFor()
    expect(await result.innerText()).toContain(`${rows.length} händelser`)
    expect(await page.getByTestId('import-log').locator('tbody tr').first().innerText()).toMatch(/utdrag-april\.csv/)
    await page.screenshot({ path: join(ARTEFACTS, 'import.png'), fullPage: true })

    const ui = new LagesbildDriver(page, h.app.url)
    const key = await ui.givenTheMap('lager=stadsomrade&indikator=demo_ran&period=2026-04&utsatta=0')
    expect(key).toContain('stadsomrade|demo_ran|2026-04')
    expect(await page.getByTestId('metadata').innerText()).toMatch(/april 2026/)
  })

  it('shows every problem of a bad file by row and field', async () => {
    await page.goto(`${h.app.url}/importera`)
    const bad = 'indicator;layer;area_code;period;value\ndemo_ran;primaromrade;999;2026;1\ndemo_ran;primaromrade;612;2026-13;1\n'
    await page.locator('#obs-file').setInputFiles({ name: 'fel.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await page.locator('section', { has: page.locator('#obs-h') }).getByRole('button', { name: 'Läs in', exact: true }).click()
    const err = page.getByTestId('import-error')
    await err.waitFor()
    const text = await err.innerText()
    expect(text).toMatch(/2\s+area_code\s+okänd områdeskod "999"/)
    expect(text).toMatch(/3\s+period/)
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
    await page.goto(`${h.app.url}/importera`)
    await page.getByLabel('Indelning').selectOption('lokalpolisomrade')
    await page.getByLabel('Gäller från').fill('2026-02-01')
    await page.locator('#bnd-file').setInputFiles({ name: 'lpo-officiella.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(fc)) })
    await page.getByRole('button', { name: 'Läs in gränser' }).click()
    const result = page.getByTestId('boundaries-result')
    await result.waitFor()
    const text = await result.innerText()
    expect(text).toMatch(/5 områden gäller från 2026-02-01; 4 tidigare versioner avslutades/)
    expect(text).toMatch(/fluga: geometrin lagades \(Self-intersection/)
  })
})
