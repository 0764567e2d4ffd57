// The packaging configuration, checked here because packaging itself cannot run on this machine
// (electron-builder downloads Electron): electron-builder.yml against electron-builder's own
// schema, the targets, what goes into the app, the icons, and which packages are runtime
// dependencies.
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { join } from 'node:path'
import { load } from 'js-yaml'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const read = (rel: string) => readFileSync(join(ROOT, rel))
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the config is checked field by field
const config = load(read('electron-builder.yml').toString()) as Record<string, any>
const pkg = JSON.parse(read('package.json').toString()) as {
  main: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

/** Width and height from a PNG's IHDR. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  expect(buf.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

/** The package a bare import names (`@scope/name/sub` → `@scope/name`), null for a built-in. */
function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) return null
  const parts = spec.split('/')
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
}

/** Packages imported for their values (type-only imports vanish at build) under src/<folder>. */
function runtimeImports(folder: string): Set<string> {
  const found = new Set<string>()
  const dir = join(ROOT, 'src', folder)
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    if (!/\.tsx?$/.test(rel) || rel.endsWith('.d.ts')) continue
    const source = ts.createSourceFile(rel, readFileSync(join(dir, rel), 'utf8'), 99, true)
    const add = (spec: ts.Expression | undefined) => {
      const name = spec && ts.isStringLiteral(spec) ? packageOf(spec.text) : null
      if (name) found.add(name)
    }
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause
        const named = clause?.namedBindings
        const typeOnly =
          clause?.isTypeOnly ||
          (clause &&
            !clause.name &&
            named &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly))
        if (!typeOnly) add(node.moduleSpecifier)
      } else if (ts.isExportDeclaration(node) && !node.isTypeOnly) add(node.moduleSpecifier)
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
        add(node.arguments[0])
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return found
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema', async () => {
    // app-builder-lib comes with electron-builder: the validation `electron-builder` runs first.
    const require = createRequire(import.meta.url)
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: { isEnabled: boolean }): Promise<void>
    }
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined()
    await expect(
      validateConfiguration(
        { ...config, linux: { ...config.linux, targte: 'x' } },
        {
          isEnabled: false,
        },
      ),
    ).rejects.toThrow(/Invalid configuration/)
  })

  it('names the product and builds AppImage and deb, NSIS, and dmg (+ zip for updates)', () => {
    expect(config.appId).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/)
    expect(config.productName).toBe('12345 热线工单台')
    expect(config.linux.desktop.entry['Name[en]']).toBe('Hotline Console')
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.linux.maintainer).toMatch(/<.+@.+>/) // deb needs one
    expect(config.win.target).toEqual(['nsis'])
    // The zip is what electron-updater downloads on a Mac.
    expect(config.mac.target).toEqual(['dmg', 'zip'])
    expect(config.artifactName).toMatch(/^[\w.${}-]+$/) // no spaces or CJK in file names
  })

  it('packs the console’s build output and package.json only', () => {
    expect(config.files).toEqual([
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      'package.json',
    ])
    expect(pkg.main).toBe('./out/main/index.js')
    expect(pkg.scripts.package).toBe('npm run build && electron-builder')
    // electron-vite writes the files the window loads (src/main/index.ts: ../preload/index.cjs).
    const vite = read('electron.vite.config.ts').toString()
    expect(vite).toContain("entryFileNames: '[name].cjs'")
  })

  it('rebuilds better-sqlite3 for Electron and keeps its binary out of the asar', () => {
    expect(config.npmRebuild).toBe(true)
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node')
    expect(pkg.scripts.postpackage).toBe('npm rebuild better-sqlite3')
  })

  it('points electron-updater at a generic feed from HOTLINE_UPDATE_URL', () => {
    expect(config.publish).toEqual({
      provider: 'generic',
      url: '${env.HOTLINE_UPDATE_URL}',
      channel: 'latest',
    })
    expect(pkg.dependencies['electron-updater']).toBeDefined()
  })

  it('has real icons: 512 and 256 px PNGs, an .ico up to 256 px and an .icns up to 1024 px', () => {
    expect(config.linux.icon).toBe('resources/icons/icon.png')
    expect(pngSize(read('resources/icons/icon.png'))).toEqual({ width: 512, height: 512 })
    expect(pngSize(read('resources/icons/icon-256.png'))).toEqual({ width: 256, height: 256 })

    expect(config.win.icon).toBe('resources/icons/icon.ico')
    const ico = read('resources/icons/icon.ico')
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256)
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
    const last = 6 + 16 * (sizes.length - 1)
    expect(pngSize(ico.subarray(ico.readUInt32LE(last + 12)))).toEqual({ width: 256, height: 256 })

    expect(config.mac.icon).toBe('resources/icons/icon.icns')
    const icns = read('resources/icons/icon.icns')
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const entries = new Map<string, Buffer>()
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4))
      entries.set(icns.subarray(at, at + 4).toString('latin1'), icns.subarray(at + 8))
    expect([...entries.keys()]).toEqual(['ic07', 'ic08', 'ic09', 'ic10'])
    expect(pngSize(entries.get('ic09')!)).toEqual({ width: 512, height: 512 })
  })
})

describe('package.json dependencies', () => {
  const deps = Object.keys(pkg.dependencies).sort()
  const devDeps = Object.keys(pkg.devDependencies)
  // What the packaged app and the server load at run time. Electron itself is the runtime:
  // electron-builder wants it in devDependencies.
  const runtime = new Set(
    ['main', 'preload', 'core', 'server', 'shared'].flatMap((f) => [...runtimeImports(f)]),
  )
  runtime.delete('electron')

  it('lists exactly what main, preload, core, server and shared import at run time', () => {
    // `dependencies` is what electron-builder packs into the app and `npm ci --omit=dev`
    // installs for the server: nothing unused, nothing missing.
    expect(deps).toEqual([...runtime].sort())
    expect(devDeps).toContain('electron')
    expect(deps).not.toContain('electron')
  })

  it('keeps build and test tools in devDependencies', () => {
    const tools =
      /^(@types\/|vitest|eslint|@eslint\/|typescript|prettier|playwright|tsx|vite|@vitejs\/|electron-vite|electron-builder|esbuild|fast-check|js-yaml|globals)/
    expect(deps.filter((d) => tools.test(d))).toEqual([])
    for (const tool of ['vitest', 'eslint', 'typescript', 'playwright-core', 'electron-builder'])
      expect(devDeps).toContain(tool)
  })

  it('leaves the renderer’s packages to vite’s bundle: devDependencies', () => {
    // The renderer is bundled into out/renderer; its packages in `dependencies` would only add
    // dead weight to the app (React, recharts and the @tanstack tables are bundled).
    const rendererOnly = [...runtimeImports('renderer')].filter((p) => !runtime.has(p))
    expect(rendererOnly).toEqual(expect.arrayContaining(['react', 'react-dom', 'recharts']))
    for (const p of rendererOnly) {
      expect(devDeps, p).toContain(p)
      expect(deps, p).not.toContain(p)
    }
  })

  it('gives the sandboxed preload nothing to load but electron', () => {
    // A sandboxed preload cannot require node_modules.
    expect([...runtimeImports('preload')]).toEqual(['electron'])
  })
})
