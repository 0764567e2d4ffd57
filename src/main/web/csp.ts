// One Content-Security-Policy for the renderer, in Electron and in the web host alike
// (STYLE.md 7): our own scripts and styles only, connections to ourselves and the configured
// server only, no plugins, no framing, no forms posted elsewhere.

/** The policy for a console talking to `serverUrl` (http → also its ws:, https → wss:). */
export function contentSecurityPolicy(serverUrl: string | null): string {
  // No server yet (first run): the page talks to nothing but itself.
  const server = serverUrl ? new URL(serverUrl) : null
  const ws = server ? `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    server ? `connect-src 'self' ${server.origin} ${ws}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
  ].join('; ')
}
