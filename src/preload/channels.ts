// The IPC channels between main and preload; both import them from here.
/** ConsoleApi's calls (invoke) and events (main → page). */
export const CALL_CHANNEL = 'console:call'
export const EVENT_CHANNEL = 'console:event'
/** The native menu: its description (page → main) and the item chosen (main → page). */
export const MENU_SET_CHANNEL = 'shell:set-menu'
export const MENU_COMMAND_CHANNEL = 'shell:menu-command'
/** Show a finished export in the system's file manager (page → main, answered). */
export const REVEAL_EXPORT_CHANNEL = 'shell:reveal-export'
/** A system notification (page → main) and a click on one (main → page, the note's id). */
export const NOTIFY_CHANNEL = 'shell:notify'
export const NOTIFICATION_CLICK_CHANNEL = 'shell:notification-click'
/** The period report printed to a PDF by main (page → main, answered with the path). */
export const PRINT_PDF_CHANNEL = 'shell:print-pdf'
