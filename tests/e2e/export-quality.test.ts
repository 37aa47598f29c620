/**
 * Exports fit for a projector and for print (issue 14), read back with poppler: no text runs into other
 * text, figures keep their colours, maps are at least 150 ppi where printed, charts carry their key, the
 * PDF says its title and that it is Swedish; the PNG hatches hidden values as the map does; full screen
 * keeps the slide controls and the map's zoom buttons in reach.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { ARTEFACTS, pdfSkipReason, useBrowserApp } from '../helpers/browser'
import { createHjallboMeasure } from '../helpers/fixtures'
import { send } from '../helpers/http'
import { LagesbildDriver } from './driver'

interface Box {
  page: number
  text: string
  xMin: number
  yMin: number
  xMax: number
  yMax: number
}

/** Every word poppler finds, with its box in points (pdftotext -bbox-layout). */
function wordBoxes(pdf: string): Box[] {
  const xhtml = execFileSync('pdftotext', ['-bbox-layout', pdf, '-']).toString()
  const boxes: Box[] = []
  xhtml.split('<page ').slice(1).forEach((page, i) => {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      boxes.push({ page: i + 1, text: m[5]!, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) })
    }
  })
  return boxes
}

/** Pairs of words on the same page whose boxes overlap by more than a hair (0.3 pt) both ways. */
function overlaps(boxes: Box[]): string[] {
  const found: string[] = []
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!]
      if (a.page !== b.page) continue
      const dx = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin)
      const dy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin)
      if (dx > 0.3 && dy > 0.3) found.push(`page ${a.page}: "${a.text}" and "${b.text}"`)
    }
  return found
}

/** Embedded images as pdfimages lists them: page and x/y pixels per inch where they are placed. */
function images(pdf: string): Array<{ page: number; xPpi: number; yPpi: number }> {
  return execFileSync('pdfimages', ['-list', pdf])
    .toString()
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/))
    .map((c) => ({ page: Number(c[0]), xPpi: Number(c[12]), yPpi: Number(c[13]) }))
}

/** Renders pages at `dpi` to PNGs beside the PDF (for people to look at), and returns them decoded. */
function renderPages(pdf: string, dpi: number): PNG[] {
  const prefix = pdf.replace(/\.pdf$/, '')
  const stem = prefix.split('/').at(-1)!
  for (const f of readdirSync(ARTEFACTS)) if (f.startsWith(`${stem}-`) && f.endsWith('.png')) rmSync(join(ARTEFACTS, f))
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), pdf, prefix])
  return readdirSync(ARTEFACTS)
    .filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => PNG.sync.read(readFileSync(join(ARTEFACTS, f))))
}

/** How many pixels of an image are within `tolerance` of a colour. */
function countColour(png: PNG, [r, g, b]: [number, number, number], tolerance = 6): number {
  let n = 0
  for (let i = 0; i < png.data.length; i += 4) if (Math.abs(png.data[i]! - r) <= tolerance && Math.abs(png.data[i + 1]! - g) <= tolerance && Math.abs(png.data[i + 2]! - b) <= tolerance) n++
  return n
}

/**
 * Whether some size×size block right of `fromX` holds only the hatch's two greys (the map's 90 and 215),
 * both: striped, as the map draws hidden areas, rather than one flat grey (or text).
 */
function hasHatchedBlock(png: PNG, fromX: number, size = 10): boolean {
  const code = (x: number, y: number) => {
    const i = (y * png.width + x) * 4
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
    if (r !== g || g !== b) return 0
    return r === 90 ? 1 : r === 215 ? 2 : 0
  }
  for (let y = 0; y + size <= png.height; y += 2)
    for (let x = fromX; x + size <= png.width; x += 2) {
      let [dark, light, other] = [0, 0, 0]
      for (let dy = 0; dy < size && other === 0; dy++)
        for (let dx = 0; dx < size; dx++) {
          const c = code(x + dx, y + dy)
          if (c === 1) dark++
          else if (c === 2) light++
          else {
            other++
            break
          }
        }
      if (other === 0 && dark > 0 && light > 0) return true
    }
  return false
}

describe.skipIf(pdfSkipReason !== null)('exports fit for a projector and for print', () => {
  const h = useBrowserApp()

  it('the meeting pack as PDF: long names wrap in their column, figures keep their colours, the chart its key, the file its title and language', async () => {
    const local = await h.app.as('local')
    const { measureId, areaId } = await createHjallboMeasure(local)
    // The longest indicator names there are, beside short ones: the names that used to run into the figures.
    const created = await send(h.app, 'POST', '/api/snapshots', {
      title: 'Lägesbild inför ledningsgruppen',
      indicators: ['demo_ran', 'demo_narkotikabrott', 'demo_otrygg_kvall', 'demo_avstatt_aktivitet', 'demo_unga_uvas', 'demo_behoriga_gymnasiet'],
      layers: ['stadsomrade', 'lokalpolisomrade', 'primaromrade'],
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await send(h.app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)
    const nordost = areaId('stadsomrade', 'Nordost')
    const meeting = (await local.get(`/api/snapshots/${id}/meeting?layer=stadsomrade&area=${nordost}&date=2026-12-01&previous=2025-12-01`)).body

    // A projector's 1280×720.
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 720 } }, 'local'), h.app.url)
    const errors = ui.recordErrors()
    await ui.givenThePage(`/present/${id}/mote?indelning=stadsomrade&omrade=${nordost}&datum=2026-12-01&forra=2025-12-01&period=year`)
    await ui.waitForSlideHeading('Mötesunderlag: Nordost')
    const pdf = join(ARTEFACTS, 'export-quality-meeting.pdf')
    await (await ui.download('Exportera PDF', { timeout: 150_000 })).saveAs(pdf)

    // The file says what it is, and that it is in Swedish.
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/^Title:\s+Mötesunderlag Nordost 2026-12-01: Lägesbild inför ledningsgruppen$/m)
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/^Creator:\s+Lägesbild$/m)
    expect(execFileSync('pdfinfo', ['-meta', pdf]).toString()).toMatch(/<dc:language><rdf:Bag><rdf:li>sv<\/rdf:li><\/rdf:Bag><\/dc:language>/)
    expect(readFileSync(pdf).toString('latin1')).toContain('/Lang (sv)')

    // No word runs into another anywhere; the long names are there in full, wrapped in their column.
    const boxes = wordBoxes(pdf)
    expect(overlaps(boxes)).toEqual([])
    const text = execFileSync('pdftotext', ['-raw', pdf, '-']).toString()
    expect(text).toMatch(/Unga 16-24 år som varken\s+arbetar\s+eller\s+studerar,\s+andel\s+\(demo\)/)
    expect(text).toMatch(/Otrygg utomhus sen kväll i\s+bostadsområdet,\s+andel\s+\(demo\)/)

    // Figures are right-aligned: in each key figure table the area's figures end where its heading ends.
    const keyPages = [...new Set(boxes.filter((b) => b.text === 'Staden').map((b) => b.page))]
    expect(keyPages.length).toBeGreaterThan(0)
    for (const p of keyPages) {
      const head = boxes.find((b) => b.page === p && b.text === 'Staden')!
      const below = boxes.filter((b) => b.page === p && b.yMin > head.yMax && Math.abs(b.xMax - head.xMax) < 0.5)
      expect(below.length, `page ${p}`).toBeGreaterThanOrEqual(1)
    }

    // Worse and better than the city keep their colour and fill, as on screen.
    const pages = renderPages(pdf, 80)
    const keyPixels = keyPages.map((p) => pages[p - 1]!)
    const toned = meeting.indicators.some((i: any) => [i.versusCity, i.change].some((c: any) => ['higher', 'lower', 'increase', 'decrease'].includes(c.verdict)))
    const fills = keyPixels.reduce((n, png) => n + countColour(png, [0xfd, 0xe0, 0xdd]) + countColour(png, [0xe5, 0xf5, 0xe0]), 0)
    if (toned) expect(fills).toBeGreaterThan(100)

    // The follow-up chart carries its key, as vectors and text.
    const last = execFileSync('pdftotext', ['-f', String(pages.length), '-l', String(pages.length), '-raw', pdf, '-']).toString()
    expect(last).toContain('Utfall')
    expect(last).toContain('Från utgångsvärde till mål')

    // Maps (the hot spot slides) at print resolution.
    for (const img of images(pdf)) {
      expect(img.xPpi, `page ${img.page}`).toBeGreaterThanOrEqual(150)
      expect(img.yPpi, `page ${img.page}`).toBeGreaterThanOrEqual(150)
    }

    // Full screen on a small projector (1024×640): the key figures scroll above the controls, the hot spot
    // map shrinks to the room left with its zoom buttons in view.
    await ui.givenTheScreen(1024, 640)
    await ui.enterFullScreen()
    await ui.press('ArrowRight')
    await ui.waitFor('keyfigures')
    expect(await ui.outOfReachInFullScreen(['Nästa bild', 'Föregående bild', 'Exportera PDF', 'Lämna helskärm (f)'])).toEqual([])
    await ui.screenshot(join(ARTEFACTS, 'export-quality-fullscreen-keyfigures.png'), { fullPage: false })
    const mapPage = images(pdf)[0]?.page
    if (mapPage !== undefined) {
      // Two quick presses, as a clicker gives them: two slides on. Then on to the first hot spot map (after
      // the key figure slides, one per group of indicators).
      await ui.press('ArrowRight')
      await ui.press('ArrowRight')
      await ui.waitForSlide(`4 / ${pages.length}`)
      for (let slide = 5; slide <= mapPage; slide++) {
        await ui.press('ArrowRight')
        await ui.waitForSlide(`${slide} / ${pages.length}`)
      }
      await ui.waitForPaint()
      expect(await ui.outOfReachInFullScreen(['Zoom in', 'Zoom out', 'Spara kartan som PNG', 'Nästa bild'])).toEqual([])
      await ui.screenshot(join(ARTEFACTS, 'export-quality-fullscreen-hotspots.png'), { fullPage: false })
    }
    await ui.leaveFullScreen()
    expect(errors).toEqual([])
    await ui.close()
  }, 300_000)

  it('a map slide: at least 150 ppi in the PDF, the PNG hatches hidden values, and full screen keeps controls and zoom in reach', async () => {
    const created = await send(h.app, 'POST', '/api/snapshots', { title: 'Karta för projektor', indicators: ['demo_ran'], layers: ['stadsomrade', 'primaromrade'] })
    const id = created.body.id
    expect((await send(h.app, 'POST', `/api/snapshots/${id}/publish`)).status).toBe(200)
    const slides = [{ kind: 'map', title: 'Rån per primärområde 2025', indicator: 'demo_ran', layer: 'primaromrade', period: '2025' }]
    expect((await send(h.app, 'PUT', `/api/snapshots/${id}/deck`, { version: 0, slides })).status).toBe(200)

    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 720 } }, 'public'), h.app.url)
    const errors = ui.recordErrors()
    await ui.givenThePage(`/present/${id}`)
    await ui.waitForPaint()

    const pdf = join(ARTEFACTS, 'export-quality-map.pdf')
    await (await ui.download('Exportera PDF', { timeout: 120_000 })).saveAs(pdf)
    const embedded = images(pdf)
    expect(embedded.length).toBe(1)
    expect(embedded[0]!.xPpi).toBeGreaterThanOrEqual(150)
    expect(embedded[0]!.yPpi).toBeGreaterThanOrEqual(150)
    expect(overlaps(wordBoxes(pdf))).toEqual([])
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/^Title:\s+Presentation: Karta för projektor$/m)
    renderPages(pdf, 80)
    // The screen's map is back at the screen's resolution once the export is done.
    const ratio = await ui.mapPixelRatio()
    expect(ratio.map).toBe(ratio.screen)

    const pngPath = join(ARTEFACTS, 'export-quality-map.png')
    await (await ui.download('Spara kartan som PNG')).saveAs(pngPath)
    const png = PNG.sync.read(readFileSync(pngPath))
    // Right of the map: the key, whose hidden swatch is striped like the map's hidden areas.
    const mapWidth = Math.round(png.width / 1.42)
    expect(hasHatchedBlock(png, mapWidth + 4)).toBe(true)

    // Full screen on a small projector: the map and its zoom buttons, and the slide's controls, all in reach.
    await ui.givenTheScreen(1024, 640)
    await ui.enterFullScreen()
    await ui.waitForPaint()
    await ui.screenshot(join(ARTEFACTS, 'export-quality-fullscreen.png'), { fullPage: false })
    expect(await ui.outOfReachInFullScreen(['Nästa bild', 'Exportera PDF', 'Spara kartan som PNG', 'Zoom in', 'Zoom out'])).toEqual([])
    const zoom = await ui.mapZoom()
    await ui.clickButton('Zoom in')
    await expect.poll(() => ui.mapZoom()).toBeGreaterThan(zoom)
    await ui.leaveFullScreen()
    expect(errors).toEqual([])
    await ui.close()
  }, 240_000)
})
