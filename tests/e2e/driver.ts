import type { Page } from 'playwright-core'
import { expect } from 'vitest'

/** The one place that touches the page: tests read as given/when/then through it. */
export class LagesbildDriver {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async givenTheStartPage() {
    await this.page.goto(this.baseUrl + '/')
    await this.page.getByRole('heading', { name: 'Lägesbild', level: 1 }).waitFor()
  }

  async layerRows(): Promise<Record<string, string>> {
    const table = this.page.getByTestId('layers')
    await table.waitFor()
    const rows = await table.locator('tbody tr').all()
    const out: Record<string, string> = {}
    for (const r of rows) out[(await r.getAttribute('data-layer'))!] = (await r.locator('td.num').innerText()).trim()
    return out
  }

  async healthText() {
    return this.page.getByTestId('health').innerText()
  }

  async indicatorTexts(category: string) {
    return this.page.getByTestId(`indicators-${category}`).locator('li').allInnerTexts()
  }

  async screenshot(path: string) {
    await this.page.screenshot({ path, fullPage: true })
  }

  async expectNoConsoleErrors(errors: string[]) {
    expect(errors).toEqual([])
  }
}
