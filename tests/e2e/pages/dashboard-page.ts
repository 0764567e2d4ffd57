// The dashboard (运行监测), keyboard only: G then S opens it, digits choose the period, arrows move
// between figures, Enter drills down to the queue.
import type { Page } from 'playwright-core'

export class DashboardPage {
  constructor(readonly page: Page) {}

  readonly root = () => this.page.locator('.dashboard[role="dialog"]')
  readonly tile = (label: string) => this.root().locator(`.tile[data-tile="${label}"]`)

  async open(): Promise<void> {
    await this.page.keyboard.press('g')
    await this.page.keyboard.press('s')
    await this.root().locator('[data-testid="dashboard-body"]').waitFor()
  }

  /** The big number of a tile. */
  async value(label: string): Promise<string> {
    return this.tile(label).locator('.tile-value').innerText()
  }

  /** Arrow keys from the first figure until `label`'s tile has the focus, then Enter. */
  async drill(label: string): Promise<void> {
    await this.root().focus()
    for (let i = 0; i < 40; i++) {
      if ((await this.page.locator(`.tile[data-tile="${label}"]:focus`).count()) > 0) break
      await this.page.keyboard.press('ArrowRight')
    }
    await this.page.keyboard.press('Enter')
    await this.root().waitFor({ state: 'detached' })
  }
}
