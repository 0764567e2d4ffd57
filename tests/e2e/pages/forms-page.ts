// The action forms (ActionDialog) and finding a ticket by its number, keyboard only.
import type { Page } from 'playwright-core'
import { QueuePage } from './queue-page'

export class FormsPage extends QueuePage {
  constructor(page: Page) {
    super(page)
  }

  readonly form = (id: string) => this.page.locator(`.dialog[data-form="${id}"]`)

  /** `/`, the number, Enter: the cursor on that ticket in the current view; then opens it. */
  async find(number: string, ticketId: string): Promise<void> {
    await this.press('/')
    await this.page.keyboard.press('Control+A')
    await this.page.keyboard.type(number)
    await this.press('Enter')
    // A number is unique: the view holds that one ticket, and stays so (live updates included).
    // Seen twice in a row: a console reopened shows its last filter's rows until the new query's
    // come (a moment longer on a busy machine), and the cursor is drawn again with them.
    const found = async () =>
      /^1\D/.test(await this.total().innerText()) && (await this.cursorTicketId()) === ticketId
    let seen = 0
    for (let i = 0; i < 300 && seen < 2; i++) {
      seen = (await found()) ? seen + 1 : 0
      if (seen < 2) await this.page.waitForTimeout(100)
    }
    if (seen < 2) {
      const rows: string[] = []
      for (const row of await this.rows().all()) {
        const cursor = /\bcursor\b/.test((await row.getAttribute('class')) ?? '') ? '*' : ''
        rows.push(`${await row.getAttribute('data-ticket-id')}${cursor}`)
      }
      throw new Error(
        `ticket ${number} is not under the cursor: ${await this.total().innerText()}, rows ${rows.join(' ')}, filter “${await this.page
          .locator('.filter-bar input')
          .first()
          .inputValue()
          .catch(() => '?')}”`,
      )
    }
    await this.press('Enter')
    await this.pane().locator(`h2:has-text("${number}")`).waitFor()
    const total = await this.total().innerText()
    if (!/^1\D/.test(total)) throw new Error(`filtering by ${number} shows ${total}`)
  }

  /** Empties the filter bar and returns to the queue. */
  async clearFilter(): Promise<void> {
    await this.press('/')
    await this.page.keyboard.press('Control+A')
    await this.page.keyboard.press('Backspace')
    await this.press('Enter')
  }

  /** Waits until the pane offers this workflow action (the rules allow it here and now). */
  async offers(action: string, timeout = 15_000): Promise<void> {
    await this.pane().locator(`[data-action="${action}"]`).waitFor({ timeout })
  }

  /** Opens a form by its key, types into its fields in order (Tab between), Ctrl+Enter. */
  async fill(key: string, id: string, texts: string[], choiceKey?: string): Promise<void> {
    await this.press(key)
    await this.form(id).waitFor()
    if (choiceKey) await this.press(choiceKey)
    for (const [i, text] of texts.entries()) {
      if (i > 0) await this.press('Tab')
      await this.page.keyboard.type(text)
    }
    await this.press('Control+Enter')
    await this.form(id).waitFor({ state: 'detached' })
  }
}
