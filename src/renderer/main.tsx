// The renderer's entry: connect ConsoleApi (Electron's preload object or the web host) and render.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { connectApi } from './api'
import { UI } from './i18n'
import './styles.css'
import './queue.css'

const root = createRoot(document.getElementById('root')!)
const api = connectApi()
if (api) {
  root.render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  )
} else {
  root.render(
    <p className="fatal">
      {UI.noTransport.zh}
      <br />
      {UI.noTransport.en}
    </p>,
  )
}
