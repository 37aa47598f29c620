/**
 * Export of a presentation, composed in the browser (the server needs no browser): the deck as one PDF
 * (vector text; maps as high-resolution images beside a vector legend) and a single map view as PNG.
 */
import { jsPDF } from 'jspdf'
import 'svg2pdf.js'
import { hatchImage } from '../../components/map/style'

/** A table cell as the screen shows it: its lines, and the colour, fill and weight that carry its meaning. */
export interface TableCell {
  lines: string[]
  /** Text colour (hex), when not the table's own. */
  color?: string
  /** Background (hex), when the cell has one. */
  fill?: string
  bold?: boolean
}

/** A chart's key: one line sample per series, dashed for a reference. */
export type ChartKey = Array<{ label: string; color: string; dashed: boolean }>

export interface CapturedSlide {
  title: string
  /** A map slide's drawn map (PNG data URL), its pixel size and how many pixels it has per CSS pixel. */
  image?: { dataUrl: string; width: number; height: number; pixelRatio: number }
  legend?: { title: string; items: Array<{ color: string | null; label: string }> }
  /** Text under the legend (source, period, disclosure) or the slide's own text. */
  lines: string[]
  /** A table (key figures, measures), drawn as vector text; columns aligned as on screen. */
  table?: { head: string[]; rows: TableCell[][]; align: Array<'left' | 'right'> }
  /** Charts (follow-up), drawn as vector graphics with svg2pdf, each with its key. */
  charts?: Array<{ svg: SVGSVGElement; width: number; height: number; key: ChartKey }>
  chartTitles?: string[]
  /** Text that comes after the table or charts (method notes). */
  after?: string[]
}

/** What the PDF says about itself (pdfinfo shows it; screen readers announce the title and language). */
export interface DeckInfo {
  title: string
  subject: string
}

// jsPDF's standard fonts cover Latin-1 (å, ä, ö, é); a few typographic characters outside it are spelled out.
const REPLACEMENTS: Array<[RegExp, string]> = [
  [/[\u2013\u2014]/g, '-'],
  [/\u2192/g, '->'],
  [/\u2265/g, '>='],
  [/\u2264/g, '<='],
  [/[\u2018\u2019]/g, "'"],
  [/[\u201c\u201d]/g, '"'],
  [/\u2026/g, '...'],
  [/\u2009/g, ' '],
  // The change marks (▲ ▼ ○ ● ◐ ✓ ✗) have no glyph in the standard fonts; the words beside them say the same.
  [/[\u25b2\u25bc\u25cb\u25cf\u25d0\u2713\u2717] ?/g, ''],
]
/**
 * Text the standard fonts can show. `noBreak` keeps no-break spaces (as in '1 000' and '12 %') as U+00A0
 * for the table's own wrapping; elsewhere they become plain spaces (jsPDF measures U+00A0 too wide).
 */
export function pdfText(s: string, opts: { noBreak?: boolean } = {}): string {
  let out = s
  for (const [re, to] of REPLACEMENTS) out = out.replace(re, to)
  return out.replace(/[\u00a0\u202f]/g, opts.noBreak ? '\u00a0' : ' ').replace(/[^\u0000-\u00ff]/g, '?')
}

/** Breaks a line at spaces only, so no-break spaces hold; measured and drawn with plain spaces. */
function wrapText(doc: jsPDF, text: string, width: number): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(' ').filter(Boolean)) {
    const next = line ? `${line} ${word}` : word
    // The hundredth of a millimetre: a column exactly as wide as its longest word must not break it.
    if (line && doc.getTextWidth(next.replace(/\u00a0/g, ' ')) > width + 0.01) {
      out.push(line)
      line = word
    } else line = next
  }
  out.push(line)
  return out.map((l) => l.replace(/\u00a0/g, ' '))
}

/** A file name that says what and when: `lagesbild_<what>_<YYYY-MM-DD>.<ext>`. */
export function exportFileName(what: string, ext: 'pdf' | 'png', date = new Date()): string {
  const slug = what
    .toLowerCase()
    .replace(/[åä]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/é/g, 'e')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80)
  return `lagesbild_${slug || 'export'}_${date.toISOString().slice(0, 10)}.${ext}`
}

const PAGE = { w: 297, h: 210, margin: 12 }
const TOP = PAGE.margin + 18
/** Where a map slide's map goes: the left 2/3 of the page, under the title. */
export const MAP_BOX = { w: 190, h: PAGE.h - TOP - PAGE.margin - 8 }
/** Maps are drawn for at least 150 ppi where they are printed; 200 leaves room for rounding and zooming in. */
export const MAP_PPI = 200
/** Points to millimetres. */
const PT = 25.4 / 72

/**
 * The pixel ratio to draw a map of this CSS size at, so that it has MAP_PPI in MAP_BOX; never below the
 * screen's own, and within the 4096 px a WebGL canvas is sure to get.
 */
export function mapExportPixelRatio(cssWidth: number, cssHeight: number, screenRatio = 1): number {
  const printedInches = (Math.min(MAP_BOX.w / cssWidth, MAP_BOX.h / cssHeight) * cssWidth) / 25.4
  const wanted = (MAP_PPI * printedInches) / cssWidth
  return Math.min(Math.max(wanted, screenRatio), 4096 / Math.max(cssWidth, cssHeight))
}

/**
 * Column widths as a browser's automatic table layout gives them: every column at least its longest word,
 * the room beyond that shared by how much more each needs for its longest line, and what is left over
 * after that shared by need as well. Null when even the longest words do not fit.
 */
export function columnWidths(minimum: number[], preferred: number[], room: number): number[] | null {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  const [min, max] = [sum(minimum), sum(preferred)]
  if (min > room) return null
  if (max <= room) return preferred.map((w) => w + (room - max) * (max > 0 ? w / max : 1 / preferred.length))
  return minimum.map((w, i) => w + ((room - min) * (preferred[i]! - w)) / (max - min))
}

/** jsPDF takes colours as hex; the browser's computed style gives rgb(). */
export function cssColorToHex(css: string): string | null {
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(css.trim())
  if (!m || (m[4] !== undefined && Number(m[4]) === 0)) return null
  return `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`
}

/**
 * A table in vector text: columns laid out like the screen's (each at least its longest word, so no text
 * runs into the next column), long cells wrapped, figures right-aligned, tone colours and fills kept, a rule
 * under each row. The type shrinks until the table fits the room left on the page.
 */
function drawTable(doc: jsPDF, table: NonNullable<CapturedSlide['table']>, x: number, y: number, width: number, maxY: number): number {
  // A 5 mm gutter: right-aligned figures in neighbouring columns must not read as one number.
  const [pad, padY] = [2.5, 2]
  const rows: TableCell[][] = [table.head.map((h) => ({ lines: [h], bold: true })), ...table.rows]
  const cols = table.head.length
  const span = (row: TableCell[], c: number) => (c === row.length - 1 ? cols - c : 1)
  const font = (cell: TableCell) => doc.setFont('helvetica', cell.bold ? 'bold' : 'normal')
  for (let size = 16; ; size -= 1) {
    doc.setFontSize(size)
    const lineH = size * PT * 1.2
    const minimum = Array<number>(cols).fill(0)
    const preferred = Array<number>(cols).fill(0)
    for (const row of rows) {
      row.forEach((cell, c) => {
        // A cell spanning the rest of the row ("Inga åtgärder") sizes no column.
        if (span(row, c) > 1) return
        font(cell)
        for (const line of cell.lines.map((l) => pdfText(l, { noBreak: true }))) {
          preferred[c] = Math.max(preferred[c]!, doc.getTextWidth(line.replace(/\u00a0/g, ' ')))
          for (const word of line.split(' ')) minimum[c] = Math.max(minimum[c]!, doc.getTextWidth(word.replace(/\u00a0/g, ' ')))
        }
      })
    }
    const inner = columnWidths(minimum, preferred, width - cols * 2 * pad)
    const smallest = size <= 7
    if (!inner && !smallest) continue
    const widths = (inner ?? minimum.map(() => (width - cols * 2 * pad) / cols)).map((w) => w + 2 * pad)
    // Wrapped with the font each cell is drawn in: a bold name measured as regular would overrun its column.
    const cellWidth = (row: TableCell[], c: number) => widths.slice(c, c + span(row, c)).reduce((a, b) => a + b, 0)
    const wrapped = rows.map((row) =>
      row.map((cell, c) => {
        font(cell)
        return cell.lines.flatMap((line) => wrapText(doc, pdfText(line, { noBreak: true }), cellWidth(row, c) - 2 * pad))
      }),
    )
    const heights = wrapped.map((row) => Math.max(1, ...row.map((lines) => lines.length)) * lineH + 2 * padY)
    if (y + heights.reduce((a, b) => a + b, 0) > maxY && !smallest) continue
    let top = y
    rows.forEach((row, r) => {
      let left = x
      row.forEach((cell, c) => {
        const w = cellWidth(row, c)
        if (cell.fill) {
          doc.setFillColor(cell.fill)
          doc.rect(left, top, w, heights[r]!, 'F')
        }
        font(cell)
        doc.setTextColor(cell.color ?? '#000000')
        const right = table.align[c] === 'right' && span(row, c) === 1
        wrapped[r]![c]!.forEach((line, k) => {
          const baseline = top + padY + k * lineH + size * PT * 0.8
          doc.text(line, right ? left + w - pad : left + pad, baseline, right ? { align: 'right' } : undefined)
        })
        left += w
      })
      top += heights[r]!
      doc.setDrawColor(r === 0 ? '#000000' : '#999999')
      doc.setLineWidth(r === 0 ? 0.4 : 0.2)
      doc.line(x, top, x + width, top)
    })
    doc.setTextColor('#000000')
    return top + 4
  }
}

/** A chart's key under it: a line sample per series (dashed for the reference) and its label; its height. */
function drawChartKey(doc: jsPDF, key: ChartKey, x: number, y: number, width: number): number {
  doc.setFont('helvetica', 'normal')
  doc.setFontSize(10)
  let [cx, cy] = [x, y + 4]
  for (const item of key) {
    const label = pdfText(item.label)
    const w = 10 + doc.getTextWidth(label) + 6
    if (cx > x && cx + w > x + width) [cx, cy] = [x, cy + 5.5]
    doc.setDrawColor(item.color)
    doc.setLineWidth(item.dashed ? 0.5 : 0.7)
    doc.setLineDashPattern(item.dashed ? [1.6, 1.2] : [], 0)
    doc.line(cx, cy - 1.2, cx + 8, cy - 1.2)
    doc.setLineDashPattern([], 0)
    doc.setTextColor('#000000')
    doc.text(label, cx + 10, cy)
    cx += w
  }
  doc.setLineWidth(0.2)
  return cy + 2 - y
}

const KEY_ROOM = 8

/** Charts side by side under what is already on the page, scaled to the room left, each with its key. */
async function drawCharts(doc: jsPDF, s: CapturedSlide, x: number, y: number, width: number, maxY: number): Promise<number> {
  const charts = s.charts ?? []
  if (!charts.length) return y
  const perRow = Math.min(3, charts.length)
  const rows = Math.ceil(charts.length / perRow)
  const cellW = width / perRow
  const cellH = (maxY - y) / rows
  for (let k = 0; k < charts.length; k++) {
    const c = charts[k]!
    const cx = x + (k % perRow) * cellW
    const cy = y + Math.floor(k / perRow) * cellH
    doc.setFont('helvetica', 'bold')
    doc.setFontSize(10)
    const title = doc.splitTextToSize(pdfText(s.chartTitles?.[k] ?? ''), cellW - 4) as string[]
    doc.text(title, cx, cy + 3.5)
    const top = cy + 2 + title.length * 4.2
    // At most 0.4 mm per pixel: a single chart does not swell to the whole page.
    const scale = Math.min((cellW - 4) / c.width, (cellH - (top - cy) - (c.key.length ? KEY_ROOM : 0)) / c.height, 0.4)
    await doc.svg(c.svg, { x: cx, y: top, width: c.width * scale, height: c.height * scale })
    if (c.key.length) drawChartKey(doc, c.key, cx, top + c.height * scale + 1, cellW - 4)
  }
  return maxY
}

/** One A4 landscape page per slide; the document carries its title, subject and language (Swedish). */
export async function deckToPdf(slides: CapturedSlide[], footer: string, info: DeckInfo): Promise<jsPDF> {
  const doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: true })
  // jsPDF writes these as UTF-16: the metadata keep the characters the page fonts cannot show.
  doc.setProperties({ title: info.title, subject: info.subject, creator: 'Lägesbild', author: 'Lägesbild' })
  doc.setLanguage('sv')
  // The catalogue's /Lang is not shown by pdfinfo; the XMP packet (pdfinfo -meta) says it again, with the title.
  doc.addMetadata(xmpPacket(info), true)
  // Viewers show the title rather than the file name.
  doc.viewerPreferences({ DisplayDocTitle: true })
  for (const [i, s] of slides.entries()) {
    if (i > 0) doc.addPage()
    doc.setTextColor('#000000')
    doc.setFont('helvetica', 'bold')
    doc.setFontSize(22)
    const title = doc.splitTextToSize(pdfText(s.title), PAGE.w - 2 * PAGE.margin) as string[]
    doc.text(title, PAGE.margin, PAGE.margin + 8)
    const top = Math.max(TOP, PAGE.margin + 8 + title.length * 22 * PT * 1.15)
    let textX = PAGE.margin
    let textWidth = PAGE.w - 2 * PAGE.margin
    if (s.image) {
      // The map keeps its aspect ratio inside the left 2/3 of the page.
      // A title on two lines leaves less height; the map then prints smaller (and sharper).
      const scale = Math.min(MAP_BOX.w / s.image.width, (MAP_BOX.h - (top - TOP)) / s.image.height)
      doc.addImage(s.image.dataUrl, 'PNG', PAGE.margin, top, s.image.width * scale, s.image.height * scale, undefined, 'FAST')
      textX = PAGE.margin + MAP_BOX.w + 6
      textWidth = PAGE.w - textX - PAGE.margin
    }
    let y = top + 4
    if (s.legend) {
      doc.setFont('helvetica', 'bold')
      doc.setFontSize(11)
      const head = doc.splitTextToSize(pdfText(s.legend.title), textWidth) as string[]
      doc.text(head, textX, y)
      y += head.length * 5 + 1
      doc.setFont('helvetica', 'normal')
      doc.setFontSize(10)
      for (const item of s.legend.items) {
        if (item.color) {
          doc.setFillColor(item.color)
          doc.rect(textX, y - 3.5, 5, 4, 'F')
        } else hatch(doc, textX, y - 3.5, 5, 4)
        const label = doc.splitTextToSize(pdfText(item.label), textWidth - 8) as string[]
        doc.text(label, textX + 7, y)
        y += label.length * 4.5 + 1.5
      }
      y += 3
    }
    const paragraphs = (lines: string[], size: number) => {
      doc.setFont('helvetica', 'normal')
      doc.setFontSize(size)
      for (const line of lines) {
        const wrapped = doc.splitTextToSize(pdfText(line), textWidth) as string[]
        doc.text(wrapped, textX, y)
        y += wrapped.length * size * 0.46 + 2
      }
    }
    const dense = Boolean(s.image || s.table || s.charts)
    paragraphs(s.lines, s.image ? 9 : dense ? 12 : 14)
    const bottom = PAGE.h - PAGE.margin - 4 - (s.after?.length ?? 0) * 8
    if (s.table) y = drawTable(doc, s.table, textX, y, textWidth, s.charts ? Math.min(bottom, y + (bottom - y) * 0.45) : bottom)
    if (s.charts) y = await drawCharts(doc, s, textX, y + 2, textWidth, bottom)
    if (s.after) paragraphs(s.after, 9)
    // svg2pdf leaves its own font and colour behind: the footer sets its own.
    doc.setFont('helvetica', 'normal')
    doc.setFontSize(8)
    doc.setTextColor('#444444')
    doc.text(pdfText(`${footer} · bild ${i + 1} av ${slides.length}`), PAGE.margin, PAGE.h - 6)
    doc.setTextColor('#000000')
  }
  return doc
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Dublin Core title, description and language (Swedish) as an XMP packet. */
export function xmpPacket(info: DeckInfo): string {
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.title)}</rdf:li></rdf:Alt></dc:title>`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.subject)}</rdf:li></rdf:Alt></dc:description>`,
    '<dc:language><rdf:Bag><rdf:li>sv</rdf:li></rdf:Bag></dc:language>',
    '<xmp:CreatorTool>Lägesbild</xmp:CreatorTool>',
    '</rdf:Description></rdf:RDF></x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n')
}

/** A hidden value's swatch as the map draws it: diagonal dark stripes on light grey. */
function hatch(doc: jsPDF, x: number, y: number, w: number, h: number) {
  doc.setFillColor('#d7d7d7')
  doc.rect(x, y, w, h, 'F')
  doc.setDrawColor('#5a5a5a')
  doc.setLineWidth(0.35)
  // Strokes from bottom left to top right, clipped by hand to the swatch.
  for (let k = -h; k < w; k += 1.4) {
    const [x0, y0] = k < 0 ? [x, y + h + k] : [x + k, y + h]
    const run = Math.min(x + w - x0, y0 - y)
    doc.line(x0, y0, x0 + run, y0 - run)
  }
  doc.setLineWidth(0.2)
}

/** A map view as one PNG: the map, its title, legend and notes beside it, at the canvas's resolution. */
export async function mapToPng(s: CapturedSlide): Promise<Blob> {
  if (!s.image) throw new Error('mapToPng: the slide has no map')
  const img = new Image()
  img.src = s.image.dataUrl
  await img.decode()
  const side = Math.round(img.width * 0.42)
  const scale = img.width / 1000
  const canvas = document.createElement('canvas')
  canvas.width = img.width + side
  canvas.height = img.height + Math.round(70 * scale)
  const ctx = canvas.getContext('2d')!
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, canvas.width, canvas.height)
  ctx.fillStyle = '#000000'
  ctx.font = `bold ${Math.round(30 * scale)}px sans-serif`
  ctx.fillText(s.title, 16 * scale, 44 * scale)
  const top = Math.round(70 * scale)
  ctx.drawImage(img, 0, top)
  let y = top + 30 * scale
  const x = img.width + 20 * scale
  const wrap = (text: string, size: number, width: number, dx = 0) => {
    ctx.font = `${size}px sans-serif`
    let line = ''
    for (const w of text.split(' ')) {
      if (line && ctx.measureText(`${line} ${w}`).width > width) {
        ctx.fillText(line, x + dx, y)
        y += size * 1.3
        line = w
      } else line = line ? `${line} ${w}` : w
    }
    if (line) {
      ctx.fillText(line, x + dx, y)
      y += size * 1.3
    }
  }
  if (s.legend) {
    ctx.fillStyle = '#000000'
    wrap(s.legend.title, Math.round(20 * scale), side - 40 * scale)
    y += 6 * scale
    for (const item of s.legend.items) {
      if (item.color) {
        ctx.fillStyle = item.color
        ctx.fillRect(x, y - 16 * scale, 26 * scale, 20 * scale)
      } else hatchSwatch(ctx, x, y - 16 * scale, 26 * scale, 20 * scale, s.image.pixelRatio)
      ctx.fillStyle = '#000000'
      wrap(item.label, Math.round(17 * scale), side - 80 * scale, 34 * scale)
      y += 6 * scale
    }
  }
  y += 10 * scale
  ctx.fillStyle = '#222222'
  for (const line of s.lines) {
    wrap(line, Math.round(15 * scale), side - 40 * scale)
    y += 8 * scale
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'))
}

/**
 * A hidden value's swatch in the PNG, hatched like the map it explains: the map's own 8 px pattern
 * (components/map/style.ts), at the pixel ratio the map was drawn at.
 */
function hatchSwatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, pixelRatio: number) {
  const tile = hatchImage()
  const small = document.createElement('canvas')
  small.width = tile.width
  small.height = tile.height
  small.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(tile.data), tile.width, tile.height), 0, 0)
  const pattern = ctx.createPattern(small, 'repeat')!
  pattern.setTransform(new DOMMatrix().translate(x, y).scale(pixelRatio))
  ctx.save()
  // Crisp stripes, as MapLibre draws them, not a blur of grey.
  ctx.imageSmoothingEnabled = false
  ctx.fillStyle = pattern
  ctx.fillRect(x, y, w, h)
  ctx.strokeStyle = '#00000033'
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1)
  ctx.restore()
}

/** Hands a file to the browser as a download. */
export function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
