import type { Page } from 'playwright-core'
import { PNG } from 'pngjs'

export type Rgb = [number, number, number]

export interface LegendItem {
  color: string
  lo: number
  hi: number
}

export const hexToRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb
export const closeTo = (a: Rgb, b: Rgb, tolerance = 3) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance)

/** The one place that touches the page: tests read as given/when/then through it. */
export class LagesbildDriver {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  // --- navigation -----------------------------------------------------------------------------
  async givenThePage(path: string) {
    await this.page.goto(this.baseUrl + path)
  }

  async givenTheMap(query = '') {
    await this.givenThePage(`/${query ? `?${query}` : ''}`)
    return this.waitForPaint()
  }

  /** Waits until the map says it painted a complete view; returns that view's key. */
  async waitForPaint(previousKey?: string): Promise<string> {
    const handle = await this.page.waitForFunction(
      (prev) => {
        const el = document.querySelector<HTMLElement>('[data-testid=map]')
        const key = el?.dataset.renderedKey
        return key && key !== prev ? key : null
      },
      previousKey ?? '',
      { timeout: 45_000 },
    )
    return (await handle.jsonValue()) as string
  }

  currentQuery(): string {
    return new URL(this.page.url()).search.replace(/^\?/, '')
  }

  // --- accounts -------------------------------------------------------------------------------
  async signIn(email: string, password: string) {
    await this.givenThePage('/logga-in')
    const form = this.page.getByRole('form', { name: 'Logga in' })
    await form.getByLabel('E-post').fill(email)
    await form.getByLabel('Lösenord').fill(password)
    await form.getByRole('button', { name: 'Logga in' }).click()
    await this.page.getByTestId('signed-in-as').waitFor()
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Logga ut' }).first().click()
    await this.page.getByRole('link', { name: 'Logga in' }).first().waitFor()
  }

  // --- controls -------------------------------------------------------------------------------
  async choose(label: string, value: string) {
    await this.page.getByLabel(label, { exact: true }).selectOption(value)
  }

  async chooseMode(label: string) {
    // The radios are controlled by the URL, which updates a moment after the click: click, then wait.
    const radio = this.page.getByRole('radio', { name: label })
    await radio.click()
    await this.page.waitForFunction((el) => (el as HTMLInputElement).checked, await radio.elementHandle())
  }

  async toggle(label: string, on: boolean) {
    const box = this.page.getByRole('checkbox', { name: label })
    if ((await box.isChecked()) !== on) await box.click()
    await this.page.waitForFunction(([el, want]) => (el as HTMLInputElement).checked === want, [await box.elementHandle(), on] as const)
  }

  // --- reading the map ------------------------------------------------------------------------
  async legend(): Promise<LegendItem[]> {
    return this.page.locator('[data-testid=legend] li[data-lo]').evaluateAll((els) =>
      els.map((el) => ({ color: el.getAttribute('data-color')!, lo: Number(el.getAttribute('data-lo')), hi: Number(el.getAttribute('data-hi')) })),
    )
  }

  async legendText(): Promise<string> {
    return this.page.getByTestId('legend').innerText()
  }

  /** Screen positions (CSS px, relative to the map element) of geographic points, by MapLibre's projection. */
  async project(points: Array<[number, number]>): Promise<Array<{ x: number; y: number }>> {
    return this.page.evaluate((pts) => pts.map((p) => window.__lagesbildMap!.project(p)).map(({ x, y }) => ({ x, y })), points)
  }

  /** What the user sees: a screenshot of the map element, decoded, read at the given positions. */
  /**
   * The most common colour in a (2r+1)² block around each position: an area's fill, not the antialiased
   * edge of an outline that happens to pass within a pixel or two of the point.
   */
  async pixels(at: Array<{ x: number; y: number }>, r = 2): Promise<Array<Rgb | null>> {
    // Only the map's own drawing: the DOM labels and the tooltip on top are hidden for the shot.
    const png = PNG.sync.read(
      await this.page.getByTestId('map').screenshot({ style: '.map-label-suppressed, .tooltip { visibility: hidden !important; }' }),
    )
    return at.map(({ x, y }) => {
      const px = Math.round(x)
      const py = Math.round(y)
      if (px - r < 0 || py - r < 0 || px + r >= png.width || py + r >= png.height) return null
      const counts = new Map<string, number>()
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const i = ((py + dy) * png.width + px + dx) * 4
          const key = `${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`
          counts.set(key, (counts.get(key) ?? 0) + 1)
        }
      const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!
      return best.split(',').map(Number) as Rgb
    })
  }

  async clickMapAt(p: { x: number; y: number }) {
    await this.page.getByTestId('map').click({ position: { x: p.x, y: p.y } })
  }

  async hoverMapAt(p: { x: number; y: number }) {
    await this.page.getByTestId('map').hover({ position: { x: p.x, y: p.y } })
  }

  async tooltipText() {
    const t = this.page.getByTestId('tooltip')
    await t.waitFor()
    return t.innerText()
  }

  // --- panels ---------------------------------------------------------------------------------
  areaPanel() {
    return this.page.getByTestId('area-panel')
  }

  // --- trends ---------------------------------------------------------------------------------
  /** What a trend chart draws: its kind of period, its x axis labels and the periods they name, its table rows. */
  async trend(testId: string): Promise<{ kind: string | null; labels: string[]; labelPeriods: string[]; rows: string[] }> {
    const chart = this.page.getByTestId(testId)
    await chart.waitFor()
    return chart.evaluate((el) => ({
      kind: el.querySelector('svg')!.getAttribute('data-period-kind'),
      labels: [...el.querySelectorAll('.chart-axis-x text')].map((t) => t.textContent ?? ''),
      labelPeriods: [...el.querySelectorAll('.chart-axis-x text')].map((t) => t.getAttribute('data-period') ?? ''),
      rows: [...el.querySelectorAll('table tbody th')].map((t) => t.textContent ?? ''),
    }))
  }

  /** Waits until the trend draws this kind of period (after a choice, the answer comes a moment later). */
  async waitForTrendKind(testId: string, kind: string) {
    await this.page.locator(`[data-testid="${testId}"] svg[data-period-kind="${kind}"]`).waitFor()
  }

  /** The kinds a period kind picker offers, as labelled, and the one checked. */
  async periodKinds(testId: string): Promise<{ offered: string[]; checked: string | null }> {
    const group = this.page.getByTestId(testId)
    await group.waitFor()
    return group.evaluate((el) => ({
      offered: [...el.querySelectorAll('label')].map((l) => l.textContent?.trim() ?? ''),
      checked: [...el.querySelectorAll('label')].find((l) => l.querySelector('input')?.checked)?.textContent?.trim() ?? null,
    }))
  }

  /** Chooses a kind with the keyboard, as a screen reader user would: focus the checked radio, arrow to the one wanted. */
  async choosePeriodKind(testId: string, label: string) {
    const group = this.page.getByTestId(testId)
    const { offered, checked } = await this.periodKinds(testId)
    const from = offered.indexOf(checked ?? offered[0]!)
    const to = offered.indexOf(label)
    if (to < 0) throw new Error(`${label} is not offered: ${offered.join(', ')}`)
    await group.getByRole('radio', { name: checked ?? offered[0]! }).focus()
    for (let i = from; i !== to; i += to > from ? 1 : -1) await this.page.keyboard.press(to > from ? 'ArrowRight' : 'ArrowLeft')
    await this.page.waitForFunction((el) => (el as HTMLInputElement).checked, await group.getByRole('radio', { name: label }).elementHandle())
  }

  async screenshot(path: string) {
    await this.page.screenshot({ path, fullPage: true })
  }
}
