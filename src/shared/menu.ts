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

/** What the preload adds beside ConsoleApi in Electron: the menu, both ways. */
export interface ShellBridge {
  setMenu(spec: MenuSpec): void
  /** The person chose a menu item: run the registry action with this id. */
  onMenuCommand(listener: (id: string) => void): () => void
}
