// The two IPC channels that carry ConsoleApi; main and preload import them from here.
export const CALL_CHANNEL = 'console:call'
export const EVENT_CHANNEL = 'console:event'
