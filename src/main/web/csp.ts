// One Content-Security-Policy for the renderer, in Electron and in the web host alike
// (STYLE.md 7): our own scripts and styles only, connections to ourselves only (the page talks to
// the console core, never to the central server: the core does), no plugins, no framing, no
// forms posted elsewhere. The same whatever server the settings name, so changing it there needs
// no new policy.

export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
  ].join('; ')
}
