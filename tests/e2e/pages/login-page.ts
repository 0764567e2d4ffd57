// The login screen, driven by the keyboard only.
import type { Page } from 'playwright-core'

export class LoginPage {
  constructor(readonly page: Page) {}

  readonly username = () => this.page.locator('input[name="username"]')
  readonly error = () => this.page.locator('.login [role="alert"]')

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.username().waitFor()
  }

  /** Types into the focused field, Tab, password, Enter — no clicks. */
  async loginByKeyboard(username: string, password = 'demo'): Promise<void> {
    await this.page.locator('input[name="username"]:focus').waitFor()
    await this.page.keyboard.type(username)
    await this.page.keyboard.press('Tab')
    await this.page.keyboard.type(password)
    await this.page.keyboard.press('Enter')
    await this.page.locator('.console').waitFor()
  }
}
