// The queue (工单池), the ticket pane, the dispatch dialog and the status bar.
import type { Page } from 'playwright-core'

export class QueuePage {
  constructor(readonly page: Page) {}

  readonly rows = () => this.page.locator('.tbody [role="row"]:not(.placeholder)')
  readonly cursorRow = () => this.page.locator('.tbody .tr.cursor')
  readonly pane = () => this.page.locator('.ticket-pane')
  readonly dispatchDialog = () => this.page.locator('.dialog[role="dialog"]')
  readonly help = () => this.page.locator('.overlay.help')
  readonly palette = () => this.page.locator('.overlay.palette')
  readonly toast = () => this.page.locator('.toast')
  readonly total = () => this.page.getByTestId('queue-total')
  readonly connection = () => this.page.getByTestId('status-connection')

  async press(...keys: string[]): Promise<void> {
    for (const k of keys) await this.page.keyboard.press(k)
  }

  /** Waits for at least one loaded row and for the view's counts. */
  async waitForRows(): Promise<void> {
    await this.rows().first().waitFor()
  }

  /** Waits for the status bar to show this connection state. */
  async waitForConnection(
    state: 'online' | 'offline' | 'syncing',
    timeout = 15_000,
  ): Promise<void> {
    await this.page
      .locator(`[data-testid="status-connection"][data-state="${state}"]`)
      .waitFor({ timeout })
  }

  async cursorTicketId(): Promise<string | null> {
    return this.cursorRow().getAttribute('data-ticket-id')
  }

  async rowTexts(n: number): Promise<string[]> {
    return (await this.rows().allInnerTexts()).slice(0, n)
  }

  async activeView(): Promise<string | null> {
    return this.page.locator('.view-tabs [aria-selected="true"]').getAttribute('data-view')
  }

  async viewCount(view: string): Promise<number> {
    const text = await this.page.locator(`.view-tabs [data-view="${view}"] .count`).innerText()
    return Number(text)
  }

  /** `M`, the text, Ctrl+Enter (typing only once the note field has the focus). */
  async noteByKeyboard(text: string): Promise<void> {
    await this.press('m')
    await this.page.locator('.dialog textarea:focus').waitFor()
    await this.page.keyboard.type(text)
    await this.press('Control+Enter')
    await this.dispatchDialog().waitFor({ state: 'detached' })
  }

  /** `D`, type the query, Enter: the first choice (suggested units lead). */
  async dispatchByKeyboard(query: string): Promise<string> {
    await this.press('d')
    await this.page.locator('.dialog input[aria-label="unit"]:focus').waitFor()
    await this.page.keyboard.type(query)
    const first = this.page.locator('.choices [role="option"][aria-selected="true"]')
    await first.waitFor()
    const chosen = await first.innerText()
    await this.press('Enter')
    await this.dispatchDialog().waitFor({ state: 'detached' })
    return chosen
  }
}
