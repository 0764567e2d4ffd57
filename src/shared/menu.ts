// The native menu as the renderer describes it to Electron's main process: built from the action
// registry (labels in the console's language, keys, what applies now), so the menu never defines
// a shortcut of its own. Main validates it with this schema before building the menu.
import { z } from 'zod'

export const menuSpecSchema = z
  .array(
    z.object({
      label: z.string().min(1).max(60),
      items: z
        .array(
          z.object({
            /** The registry's action id, sent back when the item is chosen. */
            id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,60}$/),
            label: z.string().min(1).max(80),
            /** Electron's spelling (`CmdOrCtrl+K`, `Shift+X`, `Down`); shown, not registered. */
            accelerator: z.string().max(40).nullable(),
            enabled: z.boolean(),
          }),
        )
        .max(100),
    }),
  )
  .max(10)
export type MenuSpec = z.infer<typeof menuSpecSchema>

/** A desktop notification the page asks main to show (alerts, issue 6); main checks it. */
export const desktopNoteSchema = z.object({
  /** The alert's id, sent back when the person clicks the notification. */
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
})
export type DesktopNote = z.infer<typeof desktopNoteSchema>

/** What the preload adds beside ConsoleApi in Electron: the menu, both ways, and exports. */
export interface ShellBridge {
  setMenu(spec: MenuSpec): void
  /** The person chose a menu item: run the registry action with this id. */
  onMenuCommand(listener: (id: string) => void): () => void
  /** Show a finished export (a path `export.start` answered) in the file manager; false when
   *  main refuses it (not a file directly in the console's exports folder). */
  revealExport(path: string): Promise<boolean>
  /** Show a system notification (main keeps its permission handlers denying everything);
   *  false when the system has none to show. */
  notify?(note: DesktopNote): Promise<boolean>
  /** The person clicked one: main has brought the window forward; here is the note's id. */
  onNotificationClick?(listener: (id: string) => void): () => void
  /** The page as it prints (the period report), saved as a PDF in the exports folder and shown
   *  there; the file's path, or null when it could not be written. */
  printToPdf?(name: string): Promise<string | null>
}
