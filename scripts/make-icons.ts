// `npx tsx scripts/make-icons.ts`: the app icons in resources/icons/ from icon.svg, drawn by
// Chromium (playwright-core and the system's /usr/bin/chromium, or CHROMIUM_PATH): icon.png
// (512 px, Linux; electron-builder makes the smaller sizes), icon-256.png, icon.ico for Windows
// (BMP images up to 48 px, which every consumer reads, PNG above) and icon.icns for macOS (PNG
// entries). Nothing is downloaded; the results are committed, so packaging needs no converter.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT } from './ensure-built'

const DIR = join(ROOT, 'resources/icons')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
const BMP_UP_TO = 48
/** icns entry types holding PNG data, by pixel size (ic10 is 512@2x). */
const ICNS_TYPES: Array<[string, number]> = [
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
]

/** Runs in the page (plain JS: this file is type-checked without the DOM's types). */
const IN_PAGE = `async ({ svg, sizes }) => {
  const img = new Image()
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg)
  await img.decode()
  await document.fonts.ready
  return sizes.map((size) => {
    const c = document.createElement('canvas')
    c.width = c.height = size
    const g = c.getContext('2d')
    g.imageSmoothingQuality = 'high'
    g.drawImage(img, 0, 0, size, size)
    const rgba = g.getImageData(0, 0, size, size).data
    let bytes = ''
    for (let i = 0; i < rgba.length; i += 0x8000)
      bytes += String.fromCharCode(...rgba.subarray(i, i + 0x8000))
    return { size, png: c.toDataURL('image/png').split(',')[1], rgba: btoa(bytes) }
  })
}`

interface Drawn {
  png: Buffer
  /** Straight RGBA, top row first. */
  rgba: Buffer
}

async function draw(svg: string): Promise<Map<number, Drawn>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM })
  try {
    const page = await browser.newPage()
    const args = JSON.stringify({ svg, sizes: PNG_SIZES })
    const out = (await page.evaluate(`(${IN_PAGE})(${args})`)) as Array<{
      size: number
      png: string
      rgba: string
    }>
    return new Map(
      out.map((o) => [
        o.size,
        { png: Buffer.from(o.png, 'base64'), rgba: Buffer.from(o.rgba, 'base64') },
      ]),
    )
  } finally {
    await browser.close()
  }
}

/** A 32-bit BMP as an ICO image: BITMAPINFOHEADER (double height), BGRA bottom-up, AND mask. */
function icoBitmap(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(size, 4)
  header.writeInt32LE(size * 2, 8)
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  const pixels = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4
      const to = ((size - 1 - y) * size + x) * 4
      pixels[to] = rgba[from + 2]!
      pixels[to + 1] = rgba[from + 1]!
      pixels[to + 2] = rgba[from]!
      pixels[to + 3] = rgba[from + 3]!
    }
  const mask = Buffer.alloc(Math.ceil(size / 32) * 4 * size) // all 0: alpha decides
  return Buffer.concat([header, pixels, mask])
}

function ico(drawn: Map<number, Drawn>): Buffer {
  const images = ICO_SIZES.map((size) => {
    const d = drawn.get(size)!
    return { size, data: size <= BMP_UP_TO ? icoBitmap(size, d.rgba) : d.png }
  })
  const head = Buffer.alloc(6 + 16 * images.length)
  head.writeUInt16LE(0, 0)
  head.writeUInt16LE(1, 2) // icon
  head.writeUInt16LE(images.length, 4)
  let offset = head.length
  images.forEach((img, i) => {
    const at = 6 + 16 * i
    head.writeUInt8(img.size >= 256 ? 0 : img.size, at) // 0 means 256
    head.writeUInt8(img.size >= 256 ? 0 : img.size, at + 1)
    head.writeUInt16LE(1, at + 4) // planes
    head.writeUInt16LE(32, at + 6) // bits per pixel
    head.writeUInt32LE(img.data.length, at + 8)
    head.writeUInt32LE(offset, at + 12)
    offset += img.data.length
  })
  return Buffer.concat([head, ...images.map((i) => i.data)])
}

function icns(drawn: Map<number, Drawn>): Buffer {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const png = drawn.get(size)!.png
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4)
  return Buffer.concat([head, ...entries])
}

async function main() {
  const drawn = await draw(readFileSync(join(DIR, 'icon.svg'), 'utf8'))
  writeFileSync(join(DIR, 'icon.png'), drawn.get(512)!.png)
  writeFileSync(join(DIR, 'icon-256.png'), drawn.get(256)!.png)
  writeFileSync(join(DIR, 'icon.ico'), ico(drawn))
  writeFileSync(join(DIR, 'icon.icns'), icns(drawn))
  console.log(`icons written to ${DIR}`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
