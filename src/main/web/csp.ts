// One Content-Security-Policy for the renderer, in Electron and in the web host alike
// (STYLE.md 7): our own scripts and styles only, connections to ourselves and the configured
// server only, no plugins, no framing, no forms posted elsewhere.

/** The policy for a console talking to `serverUrl` (http → also its ws:, https → wss:). */
export function contentSecurityPolicy(serverUrl: string): string {
  const server = new URL(serverUrl)
  const ws = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${server.origin} ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
  ].join('; ')
}
