// Which files of the console's exports folder may leave it: the web host's download route and
// Electron's "show in folder" both ask here, so a name or path from the page can only ever reach
// a finished export (`<view>-<time>.csv|xlsx|docx`) directly inside that folder — never `..`, a
// sub-folder, a hidden `.part` still being written, or a link pointing elsewhere.
import { realpath, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'

const EXPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.(csv|xlsx|docx|md|html)$/

export const EXPORT_TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  // The monthly bulletin as a Word document (issue 17).
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  // The cases' write-ups (优秀案例); always sent as attachments, never rendered by the host.
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
}

/** The export `name` in `dir` as a real path, or null when it is not one that may be given out. */
export async function exportFile(dir: string | undefined, name: string): Promise<string | null> {
  if (!dir || !EXPORT_NAME.test(name)) return null
  try {
    const folder = await realpath(dir)
    const file = await realpath(join(folder, name))
    if (dirname(file) !== folder || basename(file) !== name) return null
    return (await stat(file)).isFile() ? file : null
  } catch {
    return null
  }
}

/** The same for a full path (Electron's reveal): it must name a file directly in `dir`. */
export async function exportPath(dir: string | undefined, path: unknown): Promise<string | null> {
  if (!dir || typeof path !== 'string' || resolve(path) !== join(resolve(dir), basename(path)))
    return null
  return exportFile(dir, basename(path))
}
