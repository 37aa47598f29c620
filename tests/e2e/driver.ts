import type { Download, Page } from 'playwright-core'
import { PNG } from 'pngjs'

export type Rgb = [number, number, number]

export interface LegendItem {
  color: string
  lo: number
  hi: number
}

export const hexToRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb
export const closeTo = (a: Rgb, b: Rgb, tolerance = 3) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance)

/** A file handed to a file input: a name, a MIME type and its bytes. */
export interface UploadFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/** A measure as the form asks for it; fields left out are not touched. */
export interface MeasureFields {
  title?: string
  purpose?: string
  partners?: string[]
  status?: string
  areaIds?: number[]
  followUp?: Array<{ indicator: string; baselinePeriod: string; target: string; targetPeriod: string }>
  /** A place-based measure's comparison area (id) and displacement buffer in metres. */
  comparisonAreaId?: number
  bufferM?: string
}

/** An indicator as its form asks for it; fields left out are not touched. */
export interface IndicatorFields {
  id?: string
  name?: string
  description?: string
  category?: string
  polarity?: string
  unit?: string
  survey?: boolean
  source?: string
  licence?: string
  threshold?: string
}

/** The one place that touches the page: tests read as given/when/then through it. */
export class LagesbildDriver {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Uncaught page errors (and console errors, if asked) from now on, for a test to expect none. */
  recordErrors(options: { console?: boolean; into?: string[] } = {}): string[] {
    const errors = options.into ?? []
    if (options.console) this.page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    this.page.on('pageerror', (e) => errors.push(e.message))
    return errors
  }

  /** Every URL the page requests from now on. */
  recordRequests(): string[] {
    const urls: string[] = []
    this.page.on('request', (r) => urls.push(r.url()))
    return urls
  }

  async close() {
    await this.page.close()
  }

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

  /** Waits until the map painted a view whose key matches. */
  async waitForPaintMatching(key: RegExp) {
    await this.page.waitForFunction(
      (source) => new RegExp(source).test(document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.renderedKey ?? ''),
      key.source,
    )
  }

  currentQuery(): string {
    return new URL(this.page.url()).search.replace(/^\?/, '')
  }

  currentPath(): string {
    return new URL(this.page.url()).pathname
  }

  // --- reading the page -----------------------------------------------------------------------
  /** The text of the element with this test id (waits for it to appear). */
  text(testId: string): Promise<string> {
    return this.page.getByTestId(testId).innerText()
  }

  /** How many elements have this test id now (no waiting). */
  count(testId: string): Promise<number> {
    return this.page.getByTestId(testId).count()
  }

  async waitFor(testId: string, options: { timeout?: number } = {}) {
    await this.page.getByTestId(testId).waitFor(options)
  }

  /** Waits until the element with this test id shows the text. */
  async waitForText(testId: string, text: string | RegExp) {
    await this.page.getByTestId(testId).getByText(text).first().waitFor()
  }

  async waitForHeading(name: string, level?: number) {
    await this.page.getByRole('heading', { name, level }).waitFor()
  }

  /** Waits for a polite status message, e.g. "Sparad.". */
  async waitForStatus(text: string) {
    await this.page.getByRole('status').getByText(text).waitFor()
  }

  countText(text: string): Promise<number> {
    return this.page.getByText(text).count()
  }

  countLinks(name: string): Promise<number> {
    return this.page.getByRole('link', { name }).count()
  }

  countButtons(name: string): Promise<number> {
    return this.page.getByRole('button', { name }).count()
  }

  /** The rows of a table (by test id), as many as there are now. */
  rowCount(testId: string): Promise<number> {
    return this.page.getByTestId(testId).locator('tbody tr').count()
  }

  firstRowText(testId: string): Promise<string> {
    return this.page.getByTestId(testId).locator('tbody tr').first().innerText()
  }

  listItems(testId: string): Promise<string[]> {
    return this.page.getByTestId(testId).locator('li').allInnerTexts()
  }

  /** The caption of a figure (by test id). */
  caption(testId: string): Promise<string> {
    return this.page.getByTestId(testId).locator('figcaption').innerText()
  }

  /** The id of the element with the keyboard focus. */
  focusedId(): Promise<string | undefined> {
    return this.page.evaluate(() => document.activeElement?.id)
  }

  // --- acting ---------------------------------------------------------------------------------
  async clickButton(name: string) {
    await this.page.getByRole('button', { name }).click()
  }

  async followLink(name: string) {
    await this.page.getByRole('link', { name }).click()
  }

  async fill(label: string, value: string) {
    await this.page.getByLabel(label).fill(value)
  }

  async press(key: string) {
    await this.page.keyboard.press(key)
  }

  async focus(label: string) {
    await this.page.getByLabel(label, { exact: true }).focus()
  }

  /** Clicks the button and returns the file it downloads. */
  async download(button: string, options: { timeout?: number } = {}): Promise<Download> {
    const [file] = await Promise.all([this.page.waitForEvent('download', options), this.page.getByRole('button', { name: button }).click()])
    return file
  }

  // --- accounts -------------------------------------------------------------------------------
  async signIn(email: string, password: string) {
    await this.givenThePage('/logga-in')
    const form = this.page.getByRole('form', { name: 'Logga in' })
    await form.getByLabel('E-post').fill(email)
    await form.getByLabel('Lösenord').fill(password)
    await form.getByRole('button', { name: 'Logga in' }).click()
    // Attached, not visible: on a narrow screen the account sits in the folded menu.
    await this.page.getByTestId('signed-in-as').waitFor({ state: 'attached' })
  }

  async signOut() {
    const menu = this.page.getByRole('button', { name: 'Meny' })
    if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click()
    await this.page.getByRole('button', { name: 'Logga ut' }).first().click()
    await this.page.getByRole('link', { name: 'Logga in' }).first().waitFor()
  }

  // --- controls -------------------------------------------------------------------------------
  async choose(label: string, value: string) {
    await this.page.getByLabel(label, { exact: true }).selectOption(value)
  }

  buttonDisabled(name: string): Promise<boolean> {
    return this.page.getByRole('button', { name, exact: true }).isDisabled()
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

  legendCaption(): Promise<string> {
    return this.page.locator('[data-testid=legend] figcaption').innerText()
  }

  /** The legend's entries of a kind ('suppressed', 'category', 'extra'…): how many, and the text of the one. */
  legendEntryCount(kind: string): Promise<number> {
    return this.page.locator(`[data-testid=legend] li[data-kind=${kind}]`).count()
  }

  legendEntryText(kind: string): Promise<string> {
    return this.page.locator(`[data-testid=legend] li[data-kind=${kind}]`).innerText()
  }

  /** All legend lines, classes and notes alike. */
  legendLineCount(): Promise<number> {
    return this.page.locator('[data-testid=legend] li').count()
  }

  /** The hot spot classes in the legend: id, colour and the text with its count. */
  legendCategories(): Promise<Array<{ id: string; color: string; text: string }>> {
    return this.page
      .locator('[data-testid=legend] li[data-kind=category]')
      .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-category')!, color: e.getAttribute('data-color')!, text: e.textContent! })))
  }

  /** Areas labelled "dolt" on the map. */
  suppressedLabelCount(): Promise<number> {
    return this.page.locator('.map-label-suppressed').count()
  }

  /** The area names shown on the map now (hidden ones left out), with their boxes relative to the map (CSS px). */
  mapNameLabels(): Promise<Array<{ text: string; left: number; top: number; right: number; bottom: number }>> {
    return this.page.locator('[data-testid=map] .map-label-name:not([hidden])').evaluateAll((els) => {
      const map = document.querySelector('[data-testid=map]')!.getBoundingClientRect()
      return els.map((el) => {
        const r = el.getBoundingClientRect()
        return { text: el.textContent ?? '', left: r.left - map.left, top: r.top - map.top, right: r.right - map.left, bottom: r.bottom - map.top }
      })
    })
  }

  /** Waits until the map has laid out the names of this many areas (a frame after they arrive or the map moves). */
  async waitForNameLabels(areas: number) {
    await this.page.waitForFunction(
      (n) => document.querySelector('[data-testid=map] .map-names[data-laid-out=true]')?.querySelectorAll('.map-label-name').length === n,
      areas,
    )
  }

  /** Waits until the map has moved away from these bounds and come to rest; returns where it is. */
  async waitForMapMoved(from: [[number, number], [number, number]]): Promise<[[number, number], [number, number]]> {
    await this.page.waitForFunction((before) => {
      const map = window.__lagesbildMap!
      return !map.isMoving() && JSON.stringify(map.getBounds().toArray()) !== JSON.stringify(before)
    }, from)
    return this.mapBounds()
  }

  /** What the map offers as its measure: the radios' labels and the one checked (none: no choice offered). */
  measureChoices(): Promise<{ offered: string[]; checked: string | null }> {
    return this.page.locator('input[name=measure]').evaluateAll((els) => ({
      offered: els.map((el) => (el.closest('label')?.textContent ?? '').trim()),
      checked: (els.find((el) => (el as HTMLInputElement).checked)?.closest('label')?.textContent ?? '').trim() || null,
    }))
  }

  /** Chooses an area in the map's value table with the keyboard: opens the table, focuses the area's name, Enter. */
  async chooseAreaInTable(name: string) {
    const table = this.page.locator('details.value-table')
    if (!(await table.evaluate((d) => (d as HTMLDetailsElement).open))) await table.locator('summary').click()
    const button = table.getByRole('button', { name, exact: true })
    await button.focus()
    await this.page.keyboard.press('Enter')
  }

  /** Moves the keyboard focus into the area panel (onto its close button), as a user tabbing there would. */
  async focusAreaPanel() {
    await this.page.getByRole('button', { name: 'Stäng områdespanelen' }).focus()
  }

  /** The text of the element with the keyboard focus. */
  focusedText(): Promise<string> {
    return this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '')
  }

  async waitForAreaPanelClosed() {
    await this.page.getByTestId('area-panel').waitFor({ state: 'detached' })
  }

  /** Whether a MapLibre layer of the style is shown. */
  layerVisible(layer: string): Promise<boolean> {
    return this.page.evaluate((id) => window.__lagesbildMap!.getLayoutProperty(id, 'visibility') !== 'none', layer)
  }

  async waitForLayerHidden(layer: string) {
    await this.page.waitForFunction((id) => window.__lagesbildMap!.getLayoutProperty(id, 'visibility') === 'none', layer)
  }

  /** The map's feature state of an area (e.g. `measure` when a measure is shown). */
  areaFeatureState(areaId: number): Promise<Record<string, unknown>> {
    return this.page.evaluate((id) => window.__lagesbildMap!.getFeatureState({ source: 'areas', id }), areaId)
  }

  /** The map's view as [[west, south], [east, north]]. */
  mapBounds(): Promise<[[number, number], [number, number]]> {
    return this.page.evaluate(() => window.__lagesbildMap!.getBounds().toArray() as [[number, number], [number, number]])
  }

  /** The size in device pixels of the map's canvas. */
  mapCanvasSize(): Promise<{ w: number; h: number }> {
    return this.page.evaluate(() => ({ w: window.__lagesbildMap!.getCanvas().width, h: window.__lagesbildMap!.getCanvas().height }))
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
      await this.page.getByTestId('map').screenshot({ style: '.map-label-suppressed, .map-label-name, .tooltip { visibility: hidden !important; }' }),
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
  private areaPanel() {
    return this.page.getByTestId('area-panel')
  }

  async waitForAreaPanel() {
    await this.areaPanel().waitFor()
  }

  /** What the area panel says: the area's name, its value, and all its text. */
  async areaPanelSummary(): Promise<{ heading: string; value: string; text: string }> {
    const panel = this.areaPanel()
    await panel.waitFor()
    return {
      heading: await panel.getByRole('heading', { level: 2 }).innerText(),
      value: await panel.getByTestId('area-value').innerText(),
      text: await panel.innerText(),
    }
  }

  /** The area panel's trend chart once drawn: how many series and points. */
  async areaTrendChart(): Promise<{ seriesCount: string | null; points: number }> {
    const chart = this.areaPanel().getByTestId('area-trend')
    await chart.waitFor()
    return { seriesCount: await chart.locator('svg').getAttribute('data-series-count'), points: await chart.locator('svg circle').count() }
  }

  /** Where the area panel's period picker, trend chart and axis labels end on screen (CSS px), scrolled into view. */
  async areaTrendLayout(): Promise<{ picker: number; chart: number; labels: Array<{ left: number; right: number }> }> {
    await this.areaPanel().scrollIntoViewIfNeeded()
    return this.page.evaluate(() => {
      const rect = (sel: string) => document.querySelector(sel)!.getBoundingClientRect()
      const labels = [...document.querySelectorAll('[data-testid=area-trend] .chart-axis-x text')].map((t) => t.getBoundingClientRect())
      return {
        picker: rect('[data-testid=area-period-kinds]').right,
        chart: rect('[data-testid=area-trend] svg').right,
        labels: labels.map((r) => ({ left: r.left, right: r.right })),
      }
    })
  }

  // --- snapshots ------------------------------------------------------------------------------
  /** Freezes the map as it is set into a draft snapshot. */
  async takeSnapshot(title: string, description: string) {
    await this.page.getByRole('button', { name: 'Ta ögonblicksbild…' }).click()
    const form = this.page.getByRole('form', { name: 'Ny ögonblicksbild' })
    await form.getByLabel('Titel').fill(title)
    await form.getByLabel('Beskrivning').fill(description)
    await form.getByRole('button', { name: 'Ta ögonblicksbild' }).click()
    await this.page.getByTestId('snapshot-created').waitFor({ timeout: 60_000 })
  }

  /** Publishing asks first and says it cannot be undone; returns what it said. */
  async publishSnapshot(): Promise<string> {
    await this.page.getByRole('button', { name: 'Publicera…' }).click()
    const confirm = this.page.getByTestId('confirm-publish')
    const warning = await confirm.getByRole('alert').first().innerText()
    await confirm.getByRole('button', { name: 'Ja, publicera' }).click()
    await this.page.getByTestId('snapshot-status').getByText(/Publicerad/).waitFor()
    return warning
  }

  /** Opens a published snapshot from the list of them and waits for its page. */
  async openPublishedSnapshot(title: string, path: string) {
    await this.page.getByTestId('published-snapshots').getByRole('link', { name: title }).click()
    await this.page.waitForURL((u) => u.pathname === path)
  }

  // --- imports --------------------------------------------------------------------------------
  /** Chooses an incident extract and its coordinate system and waits for the preview. */
  async previewIncidents(file: UploadFile, crs: string) {
    await this.page.getByLabel('Koordinatsystem för x/y').selectOption(crs)
    await this.page.locator('#inc-file').setInputFiles(file)
    await this.page.getByRole('button', { name: 'Förhandsgranska' }).click()
    await this.page.getByTestId('import-preview').waitFor()
  }

  incidentImportDisabled(): Promise<boolean> {
    return this.page.getByRole('button', { name: 'Läs in' }).first().isDisabled()
  }

  async mapCategory(category: string, indicator: string) {
    await this.page.getByLabel(`Indikator för ${category}`).selectOption(indicator)
  }

  async confirmIncidentImport() {
    await this.page.getByRole('button', { name: 'Läs in' }).first().click()
    await this.page.getByTestId('import-result').waitFor()
  }

  /** Imports an observations file; resolves when the page reports what was wrong with it. */
  async importObservationsExpectingErrors(file: UploadFile) {
    await this.page.locator('#obs-file').setInputFiles(file)
    await this.page.locator('section', { has: this.page.locator('#obs-h') }).getByRole('button', { name: 'Läs in', exact: true }).click()
    await this.page.getByTestId('import-error').waitFor()
  }

  async importBoundaries(file: UploadFile, layer: string, validFrom: string) {
    await this.page.locator('#bnd-layer').selectOption(layer)
    await this.page.getByLabel('Gäller från').fill(validFrom)
    await this.page.locator('#bnd-file').setInputFiles(file)
    await this.page.getByRole('button', { name: 'Läs in gränser' }).click()
    await this.page.getByTestId('boundaries-result').waitFor()
  }

  /** Imports a population table for a layer; resolves with the page's report. */
  async importPopulation(file: UploadFile, layer: string, options: { replace?: boolean } = {}): Promise<string> {
    const box = this.page.locator('section', { has: this.page.locator('#pop-h') })
    await box.locator('#pop-layer').selectOption(layer)
    await box.locator('#pop-file').setInputFiles(file)
    await box.getByLabel('Ersätt befolkningsuppgifter som redan finns').setChecked(options.replace ?? false)
    await box.getByRole('button', { name: 'Läs in befolkning' }).click()
    const done = box.getByTestId('population-result').or(box.getByTestId('import-error'))
    await done.first().waitFor()
    return (await done.first().innerText()).trim()
  }

  // --- official tables ------------------------------------------------------------------------
  private tableImport() {
    return this.page.getByTestId('table-import')
  }

  /** Chooses a table file (Brå, NTU, SCB, Excel) and waits for what the server read from it. */
  async chooseTableFile(file: UploadFile) {
    await this.tableImport().locator('#tab-file').setInputFiles(file)
    await this.page.getByTestId('table-wizard').waitFor()
    await this.page.getByTestId('import-progress').waitFor({ state: 'detached' })
  }

  /** The layer and region column the wizard shows. */
  async tableLayout(): Promise<{ layer: string; regionColumn: string; periods: string }> {
    const w = this.tableImport()
    // The layers arrive apart from the file's layout: the choice shows once they are there.
    await w.locator('#tab-layer option').first().waitFor({ state: 'attached' })
    return { layer: await w.locator('#tab-layer').inputValue(), regionColumn: await w.locator('#tab-region').inputValue(), periods: await this.text('table-periods') }
  }

  /** A region's row in the area matches: how it matched, the area picked, whether it is ticked. */
  async regionMatch(region: string): Promise<{ status: string; pick: string; ticked: boolean }> {
    const row = this.page.getByTestId('region-matches').locator(`tr[data-region="${region}"]`)
    return {
      status: (await row.getAttribute('data-status')) ?? '',
      pick: await row.getByLabel(`Område för ${region}`).inputValue(),
      ticked: await row.getByRole('checkbox').isChecked(),
    }
  }

  async acceptAllSuggestions() {
    await this.tableImport().getByRole('button', { name: 'Godkänn alla förslag' }).click()
  }

  /** The indicator a series of the table becomes ('-': not imported). */
  async chooseTableIndicator(series: string, indicator: string) {
    await this.tableImport().getByLabel(`Indikator för ${series}`, { exact: true }).selectOption(indicator)
  }

  tableIndicator(series: string): Promise<string> {
    return this.tableImport().getByLabel(`Indikator för ${series}`, { exact: true }).inputValue()
  }

  tableImportDisabled(): Promise<boolean> {
    return this.tableImport().getByRole('button', { name: 'Importera', exact: true }).isDisabled()
  }

  async saveTableRecipeAs(name: string) {
    await this.tableImport().getByLabel('Spara som recept (valfritt)').fill(name)
  }

  /** Takes the saved recipe the wizard offers for this file and waits for the file to be read with it. */
  async useOfferedRecipe() {
    await this.page.getByTestId('recipe-offer').getByRole('button', { name: 'Använd receptet' }).click()
    await this.page.getByTestId('recipe-offer').waitFor({ state: 'detached' })
    await this.page.getByTestId('import-progress').waitFor({ state: 'detached' })
  }

  async importTable() {
    await this.tableImport().getByRole('button', { name: 'Importera', exact: true }).click()
    await this.page.getByTestId('table-result').waitFor()
  }

  /** Imports; resolves when the page lists what was wrong, by row and column. */
  async importTableExpectingErrors() {
    await this.tableImport().getByRole('button', { name: 'Importera', exact: true }).click()
    await this.tableImport().getByTestId('import-error').waitFor()
  }

  /** What a value column of a long table is ('ignore': not used); the file is read again with it. */
  async chooseValueRole(column: string, role: string) {
    await this.page.getByTestId('table-values').getByLabel(column, { exact: true }).selectOption(role)
    await this.page.getByTestId('import-progress').waitFor({ state: 'detached' })
    await this.page.getByTestId('table-wizard').waitFor()
  }

  // --- catalogue ------------------------------------------------------------------------------
  /** The data page's layers: area count by layer id. */
  async layerAreaCounts(): Promise<Record<string, string>> {
    const table = this.page.getByTestId('layers')
    await table.waitFor()
    const rows: Record<string, string> = {}
    for (const r of await table.locator('tbody tr').all()) rows[(await r.getAttribute('data-layer'))!] = (await r.locator('td.num').innerText()).trim()
    return rows
  }

  // --- indicator catalogue --------------------------------------------------------------------
  private indicatorForm() {
    return this.page.getByTestId('indicator-form')
  }

  /** Fills the indicator form top to bottom, as a user would. */
  async fillIndicator(f: IndicatorFields) {
    const form = this.indicatorForm()
    await form.waitFor()
    if (f.id !== undefined) await form.getByLabel(/^Id/).fill(f.id)
    if (f.name !== undefined) await form.getByLabel('Namn', { exact: true }).fill(f.name)
    if (f.description !== undefined) await form.getByLabel(/^Beskrivning/).fill(f.description)
    if (f.category) await form.getByLabel('Kategori').selectOption(f.category)
    if (f.polarity) await form.getByLabel('Riktning').selectOption(f.polarity)
    if (f.unit) await form.getByLabel('Enhet').selectOption(f.unit)
    if (f.survey !== undefined) await form.getByLabel(/^Urvalsundersökning/).setChecked(f.survey)
    if (f.source !== undefined) await form.getByLabel('Källa').fill(f.source)
    if (f.licence !== undefined) await form.getByLabel('Licens').fill(f.licence)
    if (f.threshold !== undefined) await form.getByLabel(/^Publiceringsgräns/).fill(f.threshold)
  }

  /** The choices a select of the indicator form offers now (their labels). */
  indicatorChoices(label: string): Promise<string[]> {
    return this.indicatorForm().getByLabel(label, { exact: true }).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text))
  }

  async saveIndicator() {
    await this.indicatorForm().locator('button[type=submit]').click()
  }

  /** The error shown at a field of the indicator form, once it is there. */
  async indicatorFieldError(field: string): Promise<string> {
    const error = this.indicatorForm().locator(`.field-error[data-field=${field}]`)
    await error.waitFor()
    return error.innerText()
  }

  /** The form's own message (a refused save), once it is there. */
  async indicatorProblem(): Promise<string> {
    await this.page.getByTestId('indicator-error').waitFor()
    return this.page.getByTestId('indicator-error').innerText()
  }

  async waitForIndicatorFormClosed() {
    await this.indicatorForm().waitFor({ state: 'detached' })
  }

  /** An indicator's row in the catalogue (its cells by column header), once it shows the text if one is given. */
  async indicatorRow(id: string, showing?: string | RegExp): Promise<Record<string, string>> {
    const row = this.page.locator(`tr[data-indicator="${id}"]`)
    await (showing ? row.filter({ hasText: showing }) : row).waitFor()
    const table = row.locator('xpath=ancestor::table')
    const headers = await table.locator('thead th').allInnerTexts()
    const cells = await row.locator('th, td').allInnerTexts()
    return Object.fromEntries(headers.map((h, i) => [h.trim(), (cells[i] ?? '').trim()]))
  }

  /** Which categories' tables hold an indicator (in the page's order). */
  indicatorCategoryOf(id: string): Promise<string> {
    return this.page.locator(`tr[data-indicator="${id}"]`).locator('xpath=ancestor::section').getByRole('heading').first().innerText()
  }

  async editIndicator(name: string) {
    await this.page.getByRole('button', { name: `Ändra ${name}`, exact: true }).click()
    await this.indicatorForm().waitFor()
  }

  async reloadIndicatorInForm() {
    await this.page.getByTestId('indicator-reload').click()
    await this.page.getByTestId('indicator-error').waitFor({ state: 'detached' })
  }

  /** The versions of an indicator, newest first, as the page lists them. */
  async indicatorVersions(name: string): Promise<string[]> {
    await this.page.getByRole('button', { name: `Versioner av ${name}`, exact: true }).click()
    const list = this.page.getByTestId('indicator-history').locator('li')
    await list.first().waitFor()
    return list.allInnerTexts()
  }

  /** Deletes an indicator through its row's button and the confirmation, and waits until its row is gone. */
  async deleteIndicator(id: string, name: string) {
    await this.page.getByRole('button', { name: `Ta bort ${name}`, exact: true }).click()
    await this.page.getByTestId('confirm-delete').getByRole('button', { name: 'Ja, ta bort' }).click()
    await this.page.locator(`tr[data-indicator="${id}"]`).waitFor({ state: 'detached' })
  }

  // --- priorities and measures ----------------------------------------------------------------
  /** Sets a step of the cycle and waits until the server stored it. */
  async setCycleStep(label: string, status: string) {
    await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/status') && r.request().method() === 'PUT' && r.status() === 200),
      this.page.getByLabel(label).selectOption(status),
    ])
  }

  // --- the process: cycle, wheel, steps, problem areas, orsaksanalys ------------------------------
  /** Shows the steps and the wheel for a perspective (Staden som helhet, a stadsområde, LPO …). */
  async choosePerspective(label: string) {
    await this.page.getByLabel('Perspektiv').selectOption({ label })
    const shown = label === 'Staden som helhet' ? 'Staden' : label
    await this.page.getByTestId('cycle-wheel').locator('svg > title').filter({ hasText: new RegExp(`, ${shown}$`) }).waitFor({ state: 'attached' })
  }

  /** Each step of the wheel, in order: its number and name as the picture gives them, and its status. */
  wheel(): Promise<Array<{ title: string; status: string }>> {
    return this.page.getByTestId('cycle-wheel').locator('g[data-step]').evaluateAll((gs) =>
      gs.map((g) => ({ title: g.querySelector('path title')?.textContent ?? '', status: g.getAttribute('data-status') ?? '' })),
    )
  }

  /** Waits until the wheel shows this step with this status. */
  async waitForWheelStatus(ordinal: number, status: string) {
    await this.page.getByTestId('cycle-wheel').locator(`g[data-step][data-status="${status}"] path title`).filter({ hasText: new RegExp(`^${ordinal}\\. `) }).waitFor({ state: 'attached' })
  }

  /** The steps table's rows as the reader sees them: "1. Kartläggning och lägesbild", … */
  stepNames(): Promise<string[]> {
    return this.page.getByTestId('cycle-steps').locator('tbody .step-name').allInnerTexts()
  }

  /** Saves a step's date, responsible function and note for the perspective shown, and waits for the server. */
  async saveStepDetails(step: string, d: { date?: string; responsible?: string; note?: string }) {
    if (d.date !== undefined) await this.page.getByLabel(`Datum, ${step}`).fill(d.date)
    if (d.responsible !== undefined) await this.page.getByLabel(`Ansvarig, ${step}`).fill(d.responsible)
    if (d.note !== undefined) await this.page.getByLabel(`Anteckning, ${step}`).fill(d.note)
    await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/status') && r.request().method() === 'PUT' && r.status() === 200),
      this.page.getByRole('button', { name: `Spara ${step}`, exact: true }).click(),
    ])
  }

  /** How many status choices the steps table offers (0 where the role may only read). */
  statusChoices(): Promise<number> {
    return this.page.getByTestId('cycle-steps').locator('select').count()
  }

  /** Moves a step one place up or down and waits until the steps are read again. */
  async moveStep(step: string, direction: 'upp' | 'ner') {
    await Promise.all([
      this.page.waitForResponse((r) => /\/api\/cycles$/.test(r.url()) && r.request().method() === 'GET' && r.status() === 200),
      this.page.getByRole('button', { name: `Flytta ${direction} ${step}`, exact: true }).click(),
    ])
  }

  /** Starts a new cycle through the form (the rest of its fields as offered) and waits until it is chosen. */
  async startCycle(c: { name: string; startYear: string; endYear: string }) {
    await this.page.getByRole('button', { name: 'Starta ny cykel' }).click()
    const form = this.page.getByTestId('cycle-form')
    await form.getByLabel('Namn').fill(c.name)
    await form.getByLabel('Startår').fill(c.startYear)
    await form.getByLabel('Slutår').fill(c.endYear)
    await form.getByRole('button', { name: 'Starta cykeln' }).click()
    await form.waitFor({ state: 'detached' })
    await this.page.getByRole('heading', { name: c.name, level: 2 }).waitFor()
  }

  /** Fills the open problem-area form; targets are added as new rows. */
  async fillProblemArea(p: { title?: string; area?: string; analysis?: string; goals?: string; indicators?: string[]; targets?: Array<{ indicator: string; target: string; period: string }> }) {
    const form = this.page.getByTestId('problem-area-form')
    if (p.title !== undefined) await form.getByLabel('Titel').fill(p.title)
    if (p.area) await form.getByLabel('Gäller').selectOption({ label: p.area })
    if (p.analysis !== undefined) await form.getByLabel('Analys').fill(p.analysis)
    if (p.goals !== undefined) await form.getByLabel('Målsättning').fill(p.goals)
    for (const name of p.indicators ?? []) await form.getByLabel(name, { exact: true }).check()
    const existing = await form.getByLabel(/^Målindikator /).count()
    for (const [k, t] of (p.targets ?? []).entries()) {
      const i = existing + k + 1
      await form.getByRole('button', { name: 'Lägg till mål' }).click()
      await form.getByLabel(`Målindikator ${i}`).selectOption({ label: t.indicator })
      await form.getByLabel(`Målvärde ${i}`).fill(t.target)
      await form.getByLabel(`Målperiod ${i}`).fill(t.period)
    }
  }

  /** Saves the problem-area form and waits until it closes. */
  async saveProblemArea() {
    const form = this.page.getByTestId('problem-area-form')
    await form.locator('button[type=submit]').click()
    await form.waitFor({ state: 'detached' })
  }

  /** The card of a problem area, found by its title. */
  private problemAreaCard(title: string) {
    return this.page.locator('article.problem-area').filter({ has: this.page.getByRole('heading', { name: title }) })
  }

  problemAreaText(title: string): Promise<string> {
    return this.problemAreaCard(title).innerText()
  }

  /** The buttons a problem area's card offers (what the role may do with it). */
  problemAreaButtons(title: string): Promise<string[]> {
    return this.problemAreaCard(title).locator('.problem-area-actions').first().getByRole('button').allInnerTexts()
  }

  async problemAreaAction(title: string, action: 'Orsaksanalys' | 'Versioner' | 'Ändra' | 'Avsluta' | 'Återuppta') {
    await this.problemAreaCard(title).locator('.problem-area-actions').first().getByRole('button', { name: action === 'Orsaksanalys' ? 'Orsaksanalys' : action === 'Versioner' ? `Versioner av ${title}` : `${action} ${title}`, exact: true }).click()
  }

  /** Adds a cause in the open orsaksanalys of a problem area, with evidence rows, and waits until it is listed. */
  async addCause(problemArea: string, c: { kind: string; title: string; sources?: string; evidence?: Array<{ indicator: string; area: string; period: string }> }) {
    const card = this.problemAreaCard(problemArea)
    await card.getByRole('button', { name: 'Lägg till orsak' }).click()
    const form = card.getByTestId('cause-form')
    await form.getByLabel('Slag').selectOption({ label: c.kind })
    await form.getByLabel('Orsak', { exact: true }).fill(c.title)
    if (c.sources) await form.getByLabel('Källor').fill(c.sources)
    for (const [k, e] of (c.evidence ?? []).entries()) {
      await form.getByRole('button', { name: 'Lägg till belägg' }).click()
      await form.getByLabel(`Beläggets indikator ${k + 1}`).selectOption({ label: e.indicator })
      await form.getByLabel(`Beläggets område ${k + 1}`).selectOption({ label: e.area })
      await form.getByLabel(`Beläggets period ${k + 1}`).fill(e.period)
    }
    await form.locator('button[type=submit]').click()
    await form.waitFor({ state: 'detached' })
    await card.locator('.cause').filter({ hasText: c.title }).waitFor()
  }

  /** The causes of an open orsaksanalys by kind: "Plats", then each cause's text. */
  causesText(problemArea: string): Promise<string> {
    return this.problemAreaCard(problemArea).getByTestId('causes').innerText()
  }

  /** The versions of a problem area, newest first, as its history lists them. */
  async problemAreaVersions(title: string): Promise<string[]> {
    await this.problemAreaAction(title, 'Versioner')
    const list = this.problemAreaCard(title).getByTestId('problem-area-history').locator('li[data-version]')
    await list.first().waitFor()
    return list.allInnerTexts()
  }

  /** Fills the measure form in the order a user would, top to bottom. */
  async fillMeasure(m: MeasureFields) {
    const form = this.page.getByTestId('measure-form')
    if (m.title !== undefined) await form.getByLabel('Titel').fill(m.title)
    if (m.purpose) await form.getByLabel('Syfte').selectOption(m.purpose)
    for (const p of m.partners ?? []) await form.getByLabel(p).check()
    if (m.status) await form.getByLabel('Status').selectOption(m.status)
    if (m.areaIds) await form.getByLabel(/Områden där åtgärden genomförs/).selectOption(m.areaIds.map(String))
    for (const [i, f] of (m.followUp ?? []).entries()) {
      await form.getByRole('button', { name: 'Lägg till uppföljningsindikator' }).click()
      await form.getByLabel(`Indikator ${i + 1}`).selectOption(f.indicator)
      await form.getByLabel(`Utgångsperiod ${i + 1}`).fill(f.baselinePeriod)
      await form.getByLabel(`Målvärde ${i + 1}`).fill(f.target)
      await form.getByLabel(`Målperiod ${i + 1}`).fill(f.targetPeriod)
    }
    if (m.comparisonAreaId !== undefined) await form.getByLabel('Jämförelseområde').selectOption(String(m.comparisonAreaId))
    if (m.bufferM !== undefined) await form.getByLabel('Buffert för förskjutning (meter)').fill(m.bufferM)
  }

  /** In the open measure form: the problem area, then the causes of its orsaksanalys the measure addresses. */
  async linkMeasure(problemArea: string, causes: string[]) {
    const form = this.page.getByTestId('measure-form')
    await form.getByLabel('Prioriterat problemområde').selectOption({ label: problemArea })
    const offered = form.getByTestId('measure-causes')
    for (const c of causes) await offered.getByLabel(c).check()
  }

  /** Opens a listed measure in the form. */
  async editMeasure(title: string) {
    await this.page.getByTestId('measures').locator('tbody tr', { hasText: title }).getByRole('button', { name: 'Ändra' }).click()
    await this.page.getByTestId('measure-form').waitFor()
  }

  /** The baselines the form shows as computed from the data, once they are read. */
  async computedBaselines(): Promise<string[]> {
    const list = this.page.getByTestId('measure-form').getByTestId('computed-baseline')
    await list.first().waitFor()
    return list.allInnerTexts()
  }

  /** The notes the measure form shows beside targets this reader may not see. */
  async withheldTargetNotes(): Promise<string[]> {
    const list = this.page.getByTestId('measure-form').getByTestId('withheld-target')
    await list.first().waitFor()
    return list.allInnerTexts()
  }

  /** A measure's follow-up section on Uppföljning, once its evaluation table is there: its text. */
  async followUpSection(measureId: number): Promise<string> {
    await this.page.getByTestId(`evaluation-${measureId}`).waitFor()
    return this.page.getByTestId(`followup-${measureId}`).innerText()
  }

  /** The target cells of a measure's evaluation table: their text and the reason they carry. */
  withheldTargetCells(measureId: number): Promise<Array<{ text: string; why: string | null }>> {
    return this.page.getByTestId(`evaluation-${measureId}`).getByTestId('target-withheld').evaluateAll((els) => els.map((e) => ({ text: (e as HTMLElement).innerText, why: e.getAttribute('title') })))
  }

  async saveMeasure() {
    await this.page.getByTestId('measure-form').getByRole('button', { name: 'Spara' }).click()
  }

  async waitForFieldError(field: string) {
    await this.page.getByTestId('measure-form').locator(`.field-error[data-field=${field}]`).waitFor()
  }

  fieldError(field: string): Promise<string> {
    return this.page.getByTestId('measure-form').locator(`.field-error[data-field=${field}]`).innerText()
  }

  /** The names of the areas the (newly opened) measure form has chosen. */
  async measureFormAreas(): Promise<string[]> {
    const form = this.page.getByTestId('measure-form')
    await form.waitFor()
    return form.getByLabel(/Områden där åtgärden genomförs/).evaluate((el) => [...(el as HTMLSelectElement).selectedOptions].map((o) => o.text))
  }

  /** The row of a measure in the list, once it is there. */
  async measureRow(title: string): Promise<string> {
    const row = this.page.getByTestId('measures').locator('tbody tr', { hasText: title })
    await row.waitFor()
    return row.innerText()
  }

  async showMeasureOnMap(title: string) {
    await this.page.getByTestId('measures').locator('tbody tr', { hasText: title }).getByRole('link', { name: 'Visa på kartan' }).click()
  }

  /** The follow-up of the measure with this title, once its evaluation is read and its charts drawn. */
  async followUpOf(title: string): Promise<string> {
    const block = this.page.locator('[data-testid^=followup-]').filter({ hasText: title }).first()
    await block.locator('[data-testid^=evaluation-]').waitFor()
    const charts = block.locator('[data-testid^=followup-chart-]')
    await charts.first().waitFor()
    // One chart per indicator and area: wait until every one is drawn.
    const rows = await block.locator('[data-testid^=evaluation-] tbody tr').count()
    await this.page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number), [`[data-testid="${await block.getAttribute('data-testid')}"] [data-testid^=followup-chart-]`, rows] as const)
    return block.innerText()
  }

  // --- compare --------------------------------------------------------------------------------
  /** One indicator's comparison once its bars are drawn: small multiples, bars with a value, all its text. */
  async comparison(indicator: string): Promise<{ multiples: number; valueBars: number; text: string }> {
    const section = this.page.getByTestId(`comparison-${indicator}`)
    await section.getByTestId(`bars-${indicator}`).waitFor()
    return {
      multiples: await section.locator(`[data-testid^=multiples-${indicator}-]`).count(),
      valueBars: await section.locator(`[data-testid=bars-${indicator}] [data-state=value]`).count(),
      text: await section.innerText(),
    }
  }

  chosenAreaCount(): Promise<number> {
    return this.page.getByTestId('chosen-areas').locator('li').count()
  }

  /** Adds an area with the picker and waits until it is listed. */
  async addCompareArea(name: string, expectedCount: number) {
    await this.page.getByLabel('Lägg till område').selectOption({ label: name })
    await this.page.getByRole('button', { name: 'Lägg till' }).click()
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid=chosen-areas] li').length === n, expectedCount)
  }

  compareAreaPickerDisabled(): Promise<boolean> {
    return this.page.getByLabel('Lägg till område').isDisabled()
  }

  /** Right edges (CSS px) of an indicator's period picker and its small multiples' charts. */
  comparePeriodRights(indicator: string): Promise<number[]> {
    return this.page.evaluate(
      (id) =>
        [...document.querySelectorAll(`[data-testid=period-kinds-${id}], [data-testid^=multiples-${id}-] svg`)].map((el) => el.getBoundingClientRect().right),
      indicator,
    )
  }

  // --- presentations and meeting packs --------------------------------------------------------
  private deckEditor() {
    return this.page.getByRole('complementary', { name: 'Redigera presentationen' })
  }

  async waitForDeckEditor() {
    await this.deckEditor().waitFor()
  }

  deckEditorCount(): Promise<number> {
    return this.deckEditor().count()
  }

  /** Adds a slide of a kind, with the choices the editor asks for before adding (e.g. a map slide's indicator). */
  async addSlide(kind: string, choices: Record<string, string> = {}) {
    const editor = this.deckEditor()
    await editor.getByLabel('Sort').selectOption(kind)
    for (const [label, value] of Object.entries(choices)) await editor.getByLabel(label).selectOption(value)
    await editor.getByRole('button', { name: 'Lägg till' }).click()
  }

  /** Fills the text fields of the slide being edited. */
  async editSlide(fields: Record<string, string>) {
    for (const [label, value] of Object.entries(fields)) await this.deckEditor().getByLabel(label).fill(value)
  }

  async saveDeck() {
    const editor = this.deckEditor()
    await editor.getByRole('button', { name: 'Spara presentationen' }).click()
    await editor.getByRole('status').getByText('Sparad.').waitFor()
  }

  async waitForSlideHeading(name: string) {
    await this.page.getByTestId('slide').getByRole('heading', { name }).waitFor()
  }

  /** Waits until the slide counter reads e.g. "2 / 3". */
  async waitForSlide(counter: string) {
    await this.page.getByTestId('slide-counter').getByText(counter).waitFor()
  }

  /** The colours of the current slide's legend classes. */
  slideLegendColors(): Promise<Array<string | undefined>> {
    return this.page.locator('[data-testid=slide] [data-testid=legend] li[data-lo]').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.color))
  }

  // --- full screen and exports ---------------------------------------------------------------
  /** The window as a projector shows it (CSS pixels). */
  async givenTheScreen(width: number, height: number) {
    await this.page.setViewportSize({ width, height })
  }

  async enterFullScreen() {
    await this.page.getByRole('button', { name: 'Helskärm (f)' }).click()
    await this.page.waitForFunction(() => document.fullscreenElement !== null)
  }

  async leaveFullScreen() {
    await this.page.getByRole('button', { name: 'Lämna helskärm (f)' }).click()
    await this.page.waitForFunction(() => document.fullscreenElement === null)
  }

  /**
   * In full screen, what cannot be reached: the slide's end that cannot be scrolled above the controls, a
   * map that runs under them, and the named buttons that are off screen or covered. Empty when all is in reach.
   */
  async outOfReachInFullScreen(buttons: string[]): Promise<string[]> {
    const problems = await this.page.evaluate(() => {
      const stage = document.fullscreenElement
      if (!stage) return ['not in full screen']
      const barTop = stage.querySelector('.present-bar')!.getBoundingClientRect().top
      const slide = stage.querySelector('[data-testid=slide]')!
      const last = [...slide.querySelectorAll('*')].at(-1)!
      last.scrollIntoView({ block: 'end' })
      const out: string[] = []
      if (last.getBoundingClientRect().bottom > barTop + 1) out.push(`the slide's end ("${last.textContent?.slice(0, 40)}") stays under the controls`)
      const map = slide.querySelector('[data-testid=map]')
      if (map && map.getBoundingClientRect().bottom > barTop + 1) out.push('the map runs under the controls')
      return out
    })
    for (const name of buttons) {
      const reachable = await this.page.getByRole('button', { name, exact: true }).evaluate((el) => {
        const r = el.getBoundingClientRect()
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
        return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && Boolean(hit && el.contains(hit)) && document.fullscreenElement!.contains(el)
      })
      if (!reachable) problems.push(`${name} is out of reach`)
    }
    return problems
  }

  // --- any screen ----------------------------------------------------------------------------
  /** Opens the page and waits until it has its heading and (for at most 10 s) has stopped fetching. */
  async givenThePageSettled(path: string) {
    await this.page.goto(this.baseUrl + path)
    await this.page.locator('main h1').first().waitFor({ state: 'attached' })
    // A map page may keep fetching tiles: what matters is that its data has come, which waitForPaint checks.
    await this.page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {})
  }

  /**
   * How far the page scrolls sideways (0 when it reflows), with the elements that stick out past the
   * window's right edge, to say what to fix.
   */
  horizontalOverflow(): Promise<{ overflow: number; culprits: string[] }> {
    return this.page.evaluate(() => {
      const overflow = document.documentElement.scrollWidth - innerWidth
      const culprits: string[] = []
      if (overflow > 0) {
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect()
          if (r.width > 0 && r.right > innerWidth + 1 && !el.closest('.table-scroll, [data-scroll]')) {
            const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : ''
            culprits.push(`${el.tagName.toLowerCase()}${cls} (${Math.round(r.right)})`)
            if (culprits.length >= 8) break
          }
        }
      }
      return { overflow, culprits }
    })
  }

  pageTitle(): Promise<string> {
    return this.page.title()
  }

  /** The focused element, when it is a heading: its level and text. */
  focusedHeading(): Promise<{ tag: string; text: string } | null> {
    return this.page.evaluate(() => {
      const el = document.activeElement
      return el && /^H[1-6]$/.test(el.tagName) ? { tag: el.tagName.toLowerCase(), text: (el.textContent ?? '').trim() } : null
    })
  }

  /** Waits until a heading has the focus (focus moves after the new page has rendered). */
  async waitForFocusedHeading(name: string) {
    await this.page.waitForFunction(
      (text) => {
        const el = document.activeElement
        return Boolean(el && el.tagName === 'H1' && el.textContent?.trim() === text)
      },
      name,
    )
  }

  /** Follows a link in the main menu, opening the menu first where it is folded behind a button. */
  async navigateTo(name: string) {
    const menu = this.page.getByRole('button', { name: 'Meny' })
    if (await menu.isVisible()) {
      if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click()
    }
    await this.page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name, exact: true }).click()
  }

  /** The folded menu's button: whether it shows and whether the menu is open. */
  async menuButton(): Promise<{ visible: boolean; expanded: string | null }> {
    const menu = this.page.getByRole('button', { name: 'Meny' })
    const visible = await menu.isVisible()
    return { visible, expanded: visible ? await menu.getAttribute('aria-expanded') : null }
  }

  async openMenu() {
    await this.page.getByRole('button', { name: 'Meny' }).click()
  }

  /** Whether the main menu's links show. */
  menuLinksVisible(): Promise<boolean> {
    return this.page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').first().isVisible()
  }

  /** The header's height and how many lines its pieces take (1 when it fits on one row). */
  headerLayout(): Promise<{ height: number; rows: number }> {
    return this.page.evaluate(() => {
      const header = document.querySelector('.app-header')!
      const tops = new Set<number>()
      for (const el of header.children) {
        const r = el.getBoundingClientRect()
        if (r.width > 0 && getComputedStyle(el).position !== 'absolute') tops.add(Math.round(r.top + r.height / 2) >> 3)
      }
      return { height: header.getBoundingClientRect().height, rows: tops.size }
    })
  }

  /**
   * On the map page: what a user cannot reach without scrolling the page itself: the page scrolls
   * down, the map or the settings panel runs past the window, or a control (or the legend) lies outside
   * both the window and the panel's own scroll range. Empty when all is in reach.
   */
  mapPageOutOfReach(): Promise<string[]> {
    return this.page.evaluate(() => {
      const out: string[] = []
      const doc = document.documentElement
      if (doc.scrollHeight > innerHeight + 1) out.push(`the page scrolls down by ${doc.scrollHeight - innerHeight}px`)
      const panel = document.querySelector<HTMLElement>('.controls')
      const map = document.querySelector<HTMLElement>('.map-wrap')
      if (!panel || !map) return [...out, 'no map page']
      const p = panel.getBoundingClientRect()
      const m = map.getBoundingClientRect()
      if (p.bottom > innerHeight + 1) out.push(`the settings panel ends ${Math.round(p.bottom - innerHeight)}px below the window`)
      if (m.bottom > innerHeight + 1) out.push(`the map ends ${Math.round(m.bottom - innerHeight)}px below the window`)
      const scrolls = panel.scrollHeight > panel.clientHeight && ['auto', 'scroll'].includes(getComputedStyle(panel).overflowY)
      const items = panel.querySelectorAll<HTMLElement>('input, select, button, textarea, a, [data-testid=legend]')
      if (!panel.querySelector('[data-testid=legend]')) out.push('no legend in the settings panel')
      for (const el of items) {
        const r = el.getBoundingClientRect()
        if (r.width === 0 && r.height === 0) continue
        const name = el.getAttribute('aria-label') || el.id || el.tagName
        if (r.right > innerWidth + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()} ${name} is outside the window sideways`)
        const inWindow = r.top >= 0 && r.bottom <= innerHeight + 1
        if (!inWindow && !scrolls) out.push(`${el.tagName.toLowerCase()} ${name} is below the fold and the panel does not scroll`)
      }
      return out
    })
  }

  /** The pixel ratio the map draws at, and the screen's. */
  mapPixelRatio(): Promise<{ map: number; screen: number }> {
    return this.page.evaluate(() => ({ map: window.__lagesbildMap!.getPixelRatio(), screen: window.devicePixelRatio }))
  }

  mapZoom(): Promise<number> {
    return this.page.evaluate(() => window.__lagesbildMap!.getZoom())
  }

  /** The paths a chart (by test id) draws, once it is there. */
  async chartPathCount(testId: string): Promise<number> {
    const chart = this.page.getByTestId(testId)
    await chart.waitFor()
    return chart.locator('path').count()
  }

  private meetingForm() {
    return this.page.getByRole('form', { name: 'Välj område och möte' })
  }

  async waitForMeetingForm() {
    await this.meetingForm().waitFor()
  }

  /** The area the meeting form has chosen. */
  meetingArea(): Promise<string | null | undefined> {
    return this.meetingForm().getByLabel('Område').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)
  }

  async fillMeetingForm(dates: { date?: string; previous?: string }) {
    if (dates.date) await this.meetingForm().getByLabel('Mötesdatum').fill(dates.date)
    if (dates.previous) await this.meetingForm().getByLabel('Förra mötet').fill(dates.previous)
  }

  async waitForMeetingFormAlert(text: string) {
    await this.meetingForm().getByRole('alert').getByText(text).waitFor()
  }

  async createMeetingPack() {
    await this.meetingForm().getByRole('button', { name: 'Skapa mötesunderlag' }).click()
  }

  /** The key figures slide: each row's indicator and verdicts, and how many changes it calls an increase. */
  async keyFigures(): Promise<{ rows: Array<{ indicator: string; versusCity: string | null; change: string | null }>; increases: number }> {
    const table = this.page.getByTestId('keyfigures')
    const rows = []
    for (const row of await table.locator('tbody tr').all()) {
      rows.push({
        indicator: (await row.getAttribute('data-indicator'))!,
        versusCity: await row.locator('td').nth(2).getAttribute('data-verdict'),
        change: await row.locator('td').nth(4).getAttribute('data-verdict'),
      })
    }
    return { rows, increases: await table.getByText(/^Ökning/).count() }
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

  // --- åtgärdsplaner and decisions ------------------------------------------------------------
  /** On /atgardsplaner: creates the plan of a problem area (the title offered) and opens it. */
  async createPlanFor(problemArea: string) {
    const item = this.page.getByTestId('plan-list').locator('li', { has: this.page.getByRole('heading', { name: problemArea, exact: true }) })
    await item.getByRole('button', { name: 'Skapa åtgärdsplan' }).click()
    await item.getByRole('button', { name: 'Skapa', exact: true }).click()
    await this.page.waitForURL(/\/atgardsplaner\/\d+/)
    await this.page.getByTestId('plan-document').waitFor()
  }

  /** How many problem areas of the list offer to create a plan. */
  createPlanOffers(): Promise<number> {
    return this.page.getByTestId('plan-list').getByRole('button', { name: 'Skapa åtgärdsplan' }).count()
  }

  /** Fills the draft editor's row `i` (0-based); fields left out are not touched. */
  async fillPlanRow(i: number, row: Partial<Record<'cause' | 'action' | 'goal' | 'timing' | 'responsible' | 'followup', string>>) {
    for (const [field, value] of Object.entries(row)) await this.page.locator(`#dr-${i}-${field}`).fill(value)
  }

  /** Links the draft's row `i` (0-based) to a cause of the orsaksanalys and a measure, chosen by their titles. */
  async linkPlanRow(i: number, links: { cause?: string; measure?: string }) {
    if (links.cause) await this.page.locator(`#dr-${i}-causeId`).selectOption({ label: links.cause })
    if (links.measure) await this.page.locator(`#dr-${i}-measureId`).selectOption({ label: links.measure })
  }

  async saveDraft() {
    await this.page.getByTestId('draft-editor').getByRole('button', { name: 'Spara utkastet' }).click()
  }

  /** The draft editor's error at a row field (rows.0.action), waiting for it. */
  async draftFieldError(field: string): Promise<string> {
    const error = this.page.getByTestId('draft-editor').locator(`.field-error[data-field="${field}"]`)
    await error.waitFor()
    return error.innerText()
  }

  /** The plan table's causes in row order (waits for the table). */
  async planCauses(): Promise<string[]> {
    await this.page.getByTestId('plan-table').waitFor()
    return this.page.getByTestId('plan-table').locator('tbody th').allInnerTexts()
  }

  /** Each row's latest follow-up light (gron, gul, rod or '' before the first). */
  planLights(): Promise<string[]> {
    return this.page.getByTestId('plan-table').locator('tbody tr[data-row]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.latest ?? ''))
  }

  /** Adopts the shown draft by a decision registered in the adoption panel, and waits until it is in force. */
  async adoptWithNewDecision(text: string) {
    await this.clickButton('Anta version')
    await this.page.getByTestId('adopt-panel').getByRole('button', { name: 'Registrera nytt beslut' }).click()
    const form = this.page.getByTestId('adopt-decision-new-form')
    await form.getByLabel('Beslut', { exact: true }).fill(text)
    await form.getByRole('button', { name: 'Registrera beslut' }).click()
    await this.page.locator('#adopt-decision').waitFor()
    await this.page.getByTestId('adopt-panel').getByRole('button', { name: /^Anta version \d+$/ }).click()
    await this.page.getByTestId('plan-status').getByText('Antagen, gällande').waitFor()
  }

  /** Records a follow-up on the plan's row number `nr` (1-based). */
  async followUpPlanRow(nr: number, light: 'Grön' | 'Gul' | 'Röd', comment: string) {
    await this.clickButton(`Följ upp rad ${nr}`)
    const form = this.page.getByRole('form', { name: `Uppföljning av rad ${nr}` })
    await form.getByRole('radio', { name: light }).check()
    await form.getByLabel('Kommentar').fill(comment)
    await form.getByRole('button', { name: 'Spara uppföljning' }).click()
    await form.waitFor({ state: 'detached' })
  }

  /** The groups the decision form offers. */
  decisionGroupsOffered(): Promise<string[]> {
    return this.page.locator('#decision-group option').allInnerTexts()
  }

  /** Prints the page as Chromium's print would (print stylesheet, the CSS page size) into a PDF file. */
  async printToPdf(path: string) {
    await this.page.emulateMedia({ media: 'print' })
    await this.page.pdf({ path, preferCSSPageSize: true, printBackground: true })
    await this.page.emulateMedia({ media: 'screen' })
  }

  async screenshot(path: string, options: { fullPage?: boolean } = {}) {
    await this.page.screenshot({ path, fullPage: options.fullPage ?? true })
  }

  /** A screenshot of one element (by test id), scrolled into view. */
  async screenshotOf(testId: string, path: string) {
    await this.page.getByTestId(testId).screenshot({ path })
  }

  // --- samverkansformer -------------------------------------------------------------------------
  /** Revises a samverkansform in its form (fields by label) and waits for the form to close, or for its alert. */
  async reviseSamverkansform(name: string, fields: Record<string, string>, choices: Record<string, string> = {}): Promise<'saved' | 'refused'> {
    await this.clickButton(`Ändra ${name}`)
    const form = this.page.getByRole('form', { name: `Ändra ${name}` })
    for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value)
    for (const [label, value] of Object.entries(choices)) await form.getByLabel(label, { exact: true }).selectOption({ label: value })
    await form.getByRole('button', { name: 'Spara' }).click()
    const closed = form.waitFor({ state: 'detached' }).then(() => 'saved' as const)
    const refused = form.locator('[aria-invalid="true"], [role="alert"]').first().waitFor().then(() => 'refused' as const)
    return Promise.race([closed, refused])
  }

  /** The error shown at a field of a samverkansform's form (linked to it by aria-describedby). */
  async samverkansformFieldError(name: string, label: string): Promise<string> {
    const field = this.page.getByRole('form', { name: `Ändra ${name}` }).getByLabel(label, { exact: true })
    const id = await field.getAttribute('aria-describedby')
    return id ? this.page.locator(`[id="${id}"]`).innerText() : ''
  }

  /** Writes a stadsområde's local adaptation of a samverkansform. */
  async writeAdaptation(name: string, area: string, text: string) {
    await this.page.getByRole('button', { name: new RegExp(`^(Skriv|Ändra) lokal anpassning av ${name} i ${area}$`) }).click()
    await this.page.getByLabel(`Lokal anpassning av ${name} i ${area}`, { exact: true }).fill(text)
    await this.page.locator('form', { has: this.page.getByLabel(`Lokal anpassning av ${name} i ${area}`, { exact: true }) }).getByRole('button', { name: 'Spara' }).click()
    await this.page.getByLabel(`Lokal anpassning av ${name} i ${area}`, { exact: true }).waitFor({ state: 'detached' })
  }

  /** The whole card of a samverkansform, as read on screen. */
  samverkansformText(id: string): Promise<string> {
    return this.page.locator(`[data-samverkansform="${id}"]`).innerText()
  }

  /** The stadsområden whose adaptation of a samverkansform (by id) the user may write. */
  async adaptationsEditable(id: string): Promise<string[]> {
    await this.page.locator(`[data-samverkansform="${id}"]`).waitFor()
    const name = (await this.page.locator(`[data-samverkansform="${id}"] h2`).innerText()).replace(/\s*(Aktiv|Vilande|Avslutad)$/, '')
    return this.page.getByRole('button', { name: new RegExp(`lokal anpassning av ${name} i `) }).evaluateAll((bs) => bs.map((b) => (b.getAttribute('aria-label') ?? '').replace(/^.* i /, '')))
  }

  // --- joint communication --------------------------------------------------------------------
  /** Opens the joint statement on a lägesbild (analysts) and returns its status line. */
  async openStatement(): Promise<string> {
    const details = this.page.getByTestId('statement-details')
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click()
    await this.page.getByTestId('statement-panel').waitFor()
    return details.locator('summary').innerText()
  }

  /** Writes the statement's text and saves it. */
  async writeStatement(text: string) {
    await this.page.getByLabel('Text', { exact: true }).fill(text)
    await this.page.getByRole('button', { name: 'Spara texten' }).click()
    await this.page.getByTestId('statement-details').locator('summary').getByText(/väntar på godkännande|visas för allmänheten/).waitFor()
  }

  /** Approves the statement for a party and waits until the approval is shown with who gave it. */
  async approveStatementFor(party: 'staden' | 'polisen'): Promise<string> {
    await this.page.getByRole('button', { name: `Godkänn för ${party}` }).click()
    await this.page.getByTestId(`approval-${party}`).getByText(`Godkänt för ${party} av`).waitFor()
    return this.page.getByTestId(`approval-${party}`).innerText()
  }

  approvalText(party: 'staden' | 'polisen'): Promise<string> {
    return this.page.getByTestId(`approval-${party}`).innerText()
  }

  /** Follows the front page's link to a stadsområde's public page. */
  async openStadsomrade(name: string) {
    await this.page.getByRole('navigation', { name: 'Stadsområden' }).getByRole('link', { name, exact: true }).click()
    await this.waitForHeading(name, 1)
  }

  /** Clicks a link that downloads a file and returns the file. */
  async downloadLink(name: string | RegExp): Promise<Download> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('link', { name }).click()])
    return file
  }

  /** Replaces the communication plan with these rows through its form. */
  async saveCommunicationPlan(rows: Array<{ topic: string; organisation: 'staden' | 'polisen'; function: string; contact?: string }>) {
    await this.page.getByRole('button', { name: 'Ändra kommunikationsplanen' }).click()
    const form = this.page.getByRole('form', { name: 'Ändra kommunikationsplanen' })
    while ((await form.getByRole('listitem').count()) < rows.length) await form.getByRole('button', { name: 'Lägg till rad' }).click()
    for (const [i, r] of rows.entries()) {
      const row = form.getByRole('listitem', { name: `Rad ${i + 1}` })
      await row.getByLabel('Ämne').fill(r.topic)
      await row.getByLabel('Part').selectOption(r.organisation)
      await row.getByLabel('Funktion').fill(r.function)
      await row.getByLabel('Kontaktväg').fill(r.contact ?? '')
    }
    await form.getByRole('button', { name: 'Spara kommunikationsplanen' }).click()
    await this.page.getByTestId('communication-plan').waitFor()
  }

  // --- trygghetsrapporter ---------------------------------------------------------------------
  /** Records a field report in the new-report form; waits for its confirmation or its refusal. */
  async recordFieldReport(r: { area?: string; place?: string; week?: string; category: string; count: string; text: string }): Promise<'saved' | 'refused'> {
    const form = this.page.getByTestId('field-report-form')
    if (r.area) await form.getByLabel('Primärområde', { exact: true }).selectOption({ label: r.area })
    if (r.place) await form.getByLabel('Plats (valfri)', { exact: true }).selectOption({ label: r.place })
    if (r.week) await form.getByLabel('Vecka', { exact: true }).fill(r.week)
    await form.getByLabel('Kategori', { exact: true }).selectOption({ label: r.category })
    await form.getByLabel('Antal', { exact: true }).fill(r.count)
    await form.getByLabel('Kort beskrivning', { exact: true }).fill(r.text)
    await form.getByRole('button', { name: 'Spara rapporten' }).click()
    const saved = form.getByRole('status').waitFor().then(() => 'saved' as const)
    const refused = form.locator('[aria-invalid="true"]').first().waitFor().then(() => 'refused' as const)
    return Promise.race([saved, refused])
  }

  /** The new-report form's field value (the week it offers, the area chosen). */
  fieldReportValue(label: string): Promise<string> {
    return this.page.getByTestId('field-report-form').getByLabel(label, { exact: true }).inputValue()
  }

  /** The success message of the new-report form. */
  fieldReportSaved(): Promise<string> {
    return this.page.getByTestId('field-report-form').getByRole('status').innerText()
  }

  /** The error shown at a field of the new-report form (linked to it by aria-describedby), and whether the field is marked invalid. */
  async fieldReportError(label: string): Promise<{ message: string; invalid: boolean }> {
    const field = this.page.getByTestId('field-report-form').getByLabel(label, { exact: true })
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter((i) => i.endsWith('-err'))
    const message = ids.length ? await this.page.locator(`[id="${ids[0]}"]`).innerText() : ''
    return { message, invalid: (await field.getAttribute('aria-invalid')) === 'true' }
  }

  /** The recent reports listed for the area, each row as read on screen. */
  async fieldReportRows(): Promise<string[]> {
    await this.page.getByTestId('field-reports').waitFor()
    return this.page.getByTestId('field-reports').locator('tbody tr[data-report]').allInnerTexts()
  }

  /** Changes the count of the listed report with this text. */
  async editFieldReportCount(text: string, count: string) {
    const row = this.page.getByTestId('field-reports').locator('tr[data-report]', { hasText: text })
    await row.getByRole('button', { name: 'Ändra' }).click()
    const form = this.page.getByTestId('field-report-edit')
    await form.getByLabel('Antal', { exact: true }).fill(count)
    await form.getByRole('button', { name: 'Spara ändringen' }).click()
    await form.waitFor({ state: 'detached' })
  }

  /** Removes the listed report with this text, confirming the question. */
  async deleteFieldReport(text: string) {
    this.page.once('dialog', (d) => void d.accept())
    const row = this.page.getByTestId('field-reports').locator('tr[data-report]', { hasText: text })
    await row.getByRole('button', { name: 'Ta bort' }).click()
    await row.waitFor({ state: 'detached' })
  }

  // --- weekday × hour table ------------------------------------------------------------------------
  /** The heat table as shown: per weekday row (Mån…) and hour column header, the cell's text ('dolt' or a number), and the legend. */
  async timeProfile(): Promise<{ hours: string[]; rows: Array<{ day: string; cells: string[]; total: string }>; footer: string[]; legend: string }> {
    const table = this.page.getByTestId('time-profile-table')
    await table.waitFor()
    return table.evaluate((t) => {
      const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()
      const head = [...t.querySelectorAll('thead th')].map(text)
      const rows = [...t.querySelectorAll('tbody tr')].map((tr) => {
        const tds = [...tr.querySelectorAll('td')].map(text)
        return { day: text(tr.querySelector('th')!), cells: tds.slice(0, -1), total: tds.at(-1)! }
      })
      const footer = [...t.querySelectorAll('tfoot td')].map(text)
      const legend = text(document.querySelector('[data-testid=time-profile-legend]')!)
      return { hours: head.slice(1, -1), rows, footer, legend }
    })
  }

  /** Picks the heat table's range by its label and waits for the table to show it. */
  async chooseTimeProfileRange(label: string) {
    await this.page.getByTestId('time-profile-range').selectOption({ label })
    await this.page.getByTestId('time-profile').filter({ hasText: label }).waitFor()
  }
}
