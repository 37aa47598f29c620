/**
 * Any screen (issue 14): every page reflows at 320 CSS px without sideways scrolling (WCAG 1.4.10) and
 * fits 1280×800; the map page fills the window under a one-line header; each route has its own title and
 * moving to a page puts the focus on its heading.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TestRole } from '../helpers/http'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

interface Route {
  path: string
  role: TestRole
  title: string
  /** Pages with a map wait for it to paint before they are measured. */
  map?: boolean
}

const SCREENS = [
  { width: 320, height: 640 },
  { width: 1280, height: 800 },
]

describe.skipIf(browserSkipReason !== null)('every page on any screen', () => {
  const h = useBrowserApp()

  async function stadsomrade(name: string): Promise<number> {
    const areas = (await h.app.get('/api/areas')).body as Array<{ id: number; name: string; layer: string }>
    return areas.find((a) => a.layer === 'stadsomrade' && a.name === name)!.id
  }

  async function routes(): Promise<Route[]> {
    const list = (await (await h.app.as('public')).get('/api/snapshots')).body as Array<{ id: number; title: string; published: boolean }>
    const demo = list.find((s) => s.published)!
    const nordost = await stadsomrade('Nordost')
    const nordostCode = ((await h.app.get('/api/areas')).body as Array<{ id: number; code: string }>).find((a) => a.id === nordost)!.code
    const plan = ((await h.app.get('/api/plans')).body as Array<{ id: number; title: string }>)[0]!
    return [
      { path: '/', role: 'public', title: 'Lägesbild – Trygg i Göteborg', map: true },
      { path: '/logga-in', role: 'public', title: 'Logga in – Lägesbild' },
      { path: '/lagesbilder', role: 'public', title: 'Lägesbilder – Lägesbild' },
      { path: `/lagesbilder/${demo.id}`, role: 'public', title: `${demo.title} – Lägesbild`, map: true },
      { path: `/present/${demo.id}`, role: 'public', title: 'Presentation – Lägesbild' },
      { path: `/present/${demo.id}/mote`, role: 'analyst', title: 'Mötesunderlag – Lägesbild' },
      { path: '/data', role: 'public', title: 'Om data – Lägesbild' },
      { path: `/stadsomrade/${nordostCode}`, role: 'public', title: 'Nordost – Lägesbild' },
      { path: '/', role: 'analyst', title: 'Karta – Lägesbild', map: true },
      { path: '/jamfor', role: 'analyst', title: 'Jämför områden – Lägesbild' },
      { path: '/prioriteringar', role: 'analyst', title: 'Prioriteringar – Lägesbild' },
      { path: '/atgarder', role: 'analyst', title: 'Åtgärder – Lägesbild' },
      { path: `/atgarder?ny=${nordost}`, role: 'analyst', title: 'Åtgärder – Lägesbild' },
      { path: '/samverkansformer', role: 'analyst', title: 'Samverkansformer – Lägesbild' },
      { path: '/samverkansformer', role: 'local', title: 'Samverkansformer – Lägesbild' },
      { path: '/trygghetsrapporter', role: 'analyst', title: 'Trygghetsrapporter – Lägesbild' },
      { path: '/trygghetsrapporter', role: 'local', title: 'Trygghetsrapporter – Lägesbild' },
      { path: '/aktuellt', role: 'analyst', title: 'Aktuellt – Lägesbild' },
      { path: '/aktuellt', role: 'local', title: 'Aktuellt – Lägesbild' },
      { path: '/uppfoljning', role: 'analyst', title: 'Uppföljning – Lägesbild' },
      { path: '/atgardsplaner', role: 'analyst', title: 'Åtgärdsplaner – Lägesbild' },
      { path: `/atgardsplaner/${plan.id}`, role: 'analyst', title: `${plan.title} – Lägesbild` },
      { path: '/beslut', role: 'analyst', title: 'Beslut – Lägesbild' },
      { path: '/moten', role: 'analyst', title: 'Möten – Lägesbild' },
      { path: '/moten', role: 'local', title: 'Möten – Lägesbild' },
      { path: '/arshjul', role: 'analyst', title: 'Årshjul – Lägesbild' },
      { path: '/arshjul', role: 'local', title: 'Årshjul – Lägesbild' },
      { path: '/kommunikation', role: 'analyst', title: 'Kommunikationsplan – Lägesbild' },
      { path: '/indikatorer', role: 'analyst', title: 'Indikatorer – Lägesbild' },
      { path: '/importera', role: 'analyst', title: 'Importera – Lägesbild' },
      { path: '/anvandare', role: 'admin', title: 'Användare – Lägesbild' },
      { path: '/logg', role: 'admin', title: 'Logg över ändringar – Lägesbild' },
      { path: '/api-nycklar', role: 'local', title: 'Mina API-nycklar – Lägesbild' },
    ]
  }

  for (const screen of SCREENS) {
    it(`no page scrolls sideways at ${screen.width}×${screen.height}, and each has its title`, async () => {
      const pages = new Map<TestRole, LagesbildDriver>()
      const problems: string[] = []
      const errors: string[] = []
      for (const route of await routes()) {
        if (!pages.has(route.role)) {
          const ui = new LagesbildDriver(await h.newPage({ viewport: screen }, route.role), h.app.url)
          ui.recordErrors({ into: errors })
          pages.set(route.role, ui)
        }
        const ui = pages.get(route.role)!
        // Given the page, as its reader would open it.
        await ui.givenThePageSettled(route.path)
        if (route.map) await ui.waitForPaint()
        // Then it has its own title and no sideways scroll.
        expect.soft(await ui.pageTitle(), route.path).toBe(route.title)
        const { overflow, culprits } = await ui.horizontalOverflow()
        if (overflow > 0) problems.push(`${route.role} ${route.path}: ${overflow}px too wide: ${culprits.join(', ')}`)
        const name = `${screen.width}-${route.role}${route.path.replace(/[/?=]/g, '_') || '_'}.png`
        await ui.screenshot(join(ARTEFACTS, 'any-screen', name), { fullPage: screen.width < 400 })
      }
      for (const ui of pages.values()) await ui.close()
      expect(problems).toEqual([])
      expect(errors).toEqual([])
    }, 240_000)
  }

  it('the map page fills 1280×800 under a one-line header, with the legend and every setting in reach', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'analyst'), h.app.url)
    await ui.givenTheMap('lager=primaromrade&indikator=demo_ran&period=2025')
    expect(await ui.headerLayout()).toMatchObject({ rows: 1 })
    expect((await ui.headerLayout()).height).toBeLessThanOrEqual(64)
    expect(await ui.menuButton()).toMatchObject({ visible: false })
    expect(await ui.mapPageOutOfReach()).toEqual([])
    // With an area chosen, the area panel joins the row and the page still does not scroll.
    await ui.givenTheMap(`lager=stadsomrade&indikator=demo_otrygg_kvall&period=2023&omrade=${await stadsomrade('Nordost')}`)
    expect(await ui.mapPageOutOfReach()).toEqual([])
    await ui.screenshot(join(ARTEFACTS, 'any-screen', 'map-1280-area.png'), { fullPage: false })
    await ui.close()

    // The admin's menu has the most links, and still fits beside the brand and the account.
    const admin = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 800 } }, 'admin'), h.app.url)
    await admin.givenThePageSettled('/logg')
    expect(await admin.headerLayout()).toMatchObject({ rows: 1 })
    expect(await admin.menuButton()).toMatchObject({ visible: false })
    await admin.close()
  }, 120_000)

  it('on a phone the menu folds behind a button; moving to a page titles it and focuses its heading', async () => {
    const ui = new LagesbildDriver(await h.newPage({ viewport: { width: 390, height: 844 } }, 'analyst'), h.app.url)
    await ui.givenThePageSettled('/atgarder')
    // On first load the focus stays where the browser puts it.
    expect(await ui.focusedHeading()).toBeNull()
    expect(await ui.menuButton()).toEqual({ visible: true, expanded: 'false' })
    expect(await ui.menuLinksVisible()).toBe(false)
    await ui.openMenu()
    expect(await ui.menuButton()).toEqual({ visible: true, expanded: 'true' })
    expect(await ui.menuLinksVisible()).toBe(true)
    await ui.screenshot(join(ARTEFACTS, 'any-screen', 'menu-390.png'), { fullPage: false })
    await ui.press('Escape')
    expect(await ui.menuButton()).toEqual({ visible: true, expanded: 'false' })

    // When the reader goes to another page through the menu, the menu closes and the new heading has the focus.
    await ui.navigateTo('Prioriteringar')
    await ui.waitForFocusedHeading('Prioriteringar')
    expect(await ui.pageTitle()).toBe('Prioriteringar – Lägesbild')
    expect(await ui.menuButton()).toEqual({ visible: true, expanded: 'false' })
    await ui.navigateTo('Uppföljning')
    await ui.waitForFocusedHeading('Uppföljning')
    expect(await ui.pageTitle()).toBe('Uppföljning – Lägesbild')
    await ui.close()
  }, 90_000)
})
