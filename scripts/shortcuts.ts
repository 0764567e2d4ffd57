// `npm run shortcuts`: the README's shortcut table, generated from the action registry (a test
// checks that the README's table is this one).
import { shortcutTable } from '../src/renderer/actions/shortcut-table'

console.log(shortcutTable())
