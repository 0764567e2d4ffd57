// 受理 (intake), driven by the keyboard only: N opens it, Tab and Enter move through the fields
// in call order, the pickers take pinyin initials, Ctrl+Enter / Alt+Enter / Alt+n finish.
import type { Page } from 'playwright-core'

export type IntakeField =
  | 'phone'
  | 'name'
  | 'anonymous'
  | 'callbackConsent'
  | 'company'
  | 'channel'
  | 'kind'
  | 'category'
  | 'urgency'
  | 'district'
  | 'street'
  | 'community'
  | 'address'
  | 'description'
  | 'answer'

export class IntakePage {
  constructor(readonly page: Page) {}

  readonly root = () => this.page.locator('.intake[role="dialog"]')
  readonly field = (f: IntakeField) => this.root().locator(`[data-field="${f}"]`)
  readonly focused = (f: IntakeField) => this.root().locator(`[data-field="${f}"]:focus`)
  readonly error = (f: IntakeField) => this.root().locator(`[data-error-for="${f}"]`)
  readonly history = () => this.root().getByTestId('caller-history')
  readonly duplicates = () => this.root().getByTestId('duplicates')
  readonly activeOption = () =>
    this.root().locator('.picker-list [role="option"][aria-selected="true"]')
  readonly draftSaved = () => this.root().getByTestId('draft-saved')

  async press(...keys: string[]): Promise<void> {
    for (const k of keys) await this.page.keyboard.press(k)
  }

  /** N from the queue; waits for the phone field to have the focus. */
  async open(): Promise<void> {
    await this.press('n')
    await this.focused('phone').waitFor()
  }

  /** Tab (forwards) until `f` has the focus; fails after a full round. */
  async tabTo(f: IntakeField): Promise<void> {
    for (let i = 0; i < 20; i++) {
      if ((await this.focused(f).count()) > 0) return
      await this.press('Tab')
    }
    throw new Error(`Tab never reached ${f}`)
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text)
  }

  /** Tab to a text field, type into it. */
  async fill(f: IntakeField, text: string): Promise<void> {
    await this.tabTo(f)
    await this.type(text)
  }

  /** Tab to a picker, type the query, wait for a choice containing `expect`, Enter. */
  async pick(f: IntakeField, query: string, expect: string | RegExp): Promise<string> {
    await this.tabTo(f)
    await this.type(query)
    const option = this.activeOption()
    await option.waitFor()
    for (let i = 0; i < 50; i++) {
      const text = await option.innerText()
      if (typeof expect === 'string' ? text.includes(expect) : expect.test(text)) break
      await this.page.waitForTimeout(50)
    }
    const chosen = await option.innerText()
    await this.press('Enter')
    return chosen
  }

  /** Tab to a segmented choice and press its digit (1-based, as the strip shows). */
  async choose(f: 'channel' | 'kind' | 'urgency', n: number): Promise<void> {
    await this.tabTo(f)
    await this.press(String(n))
  }

  /** A text field's value, or a choice strip's value (its `data-value`). */
  async value(f: IntakeField): Promise<string> {
    const el = this.field(f)
    return (await el.getAttribute('data-value')) ?? el.inputValue()
  }
}
