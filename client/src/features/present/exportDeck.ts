/**
 * Export of a presentation, composed in the browser (the server needs no browser): the deck as one PDF
 * (vector text; maps as high-resolution images beside a vector legend) and a single map view as PNG.
 */
import { jsPDF } from 'jspdf'
import 'svg2pdf.js'

export interface CapturedSlide {
  title: string
  /** A map slide's drawn map (PNG data URL) and its pixel size. */
  image?: { dataUrl: string; width: number; height: number }
  legend?: { title: string; items: Array<{ color: string | null; label: string }> }
  /** Text under the legend (source, period, disclosure) or the slide's own text. */
  lines: string[]
  /** A table (key figures, measures), drawn as vector text. */
  table?: { head: string[]; rows: string[][] }
  /** Charts (follow-up), drawn as vector graphics with svg2pdf. */
  charts?: Array<{ svg: SVGSVGElement; width: number; height: number }>
  chartTitles?: string[]
  /** Text that comes after the table or charts (method notes). */
  after?: string[]
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
  [/[\u00a0\u202f\u2009]/g, ' '],
]
export function pdfText(s: string): string {
  let out = s
  for (const [re, to] of REPLACEMENTS) out = out.replace(re, to)
  return out.replace(/[^\u0000-\u00ff]/g, '?')
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

/** A table in vector text: columns as wide as their longest cell allows, wrapped, a rule under each row. */
function drawTable(doc: jsPDF, table: NonNullable<CapturedSlide['table']>, x: number, y: number, width: number, maxY: number): number {
  const cols = table.head.length
  // Shrink the type until the table fits the page (long tables on one slide stay one page).
  for (let size = 11; ; size -= 1) {
    doc.setFontSize(size)
    const longest = table.head.map((h, c) => Math.max(doc.getTextWidth(pdfText(h)), ...table.rows.map((r) => doc.getTextWidth(pdfText(r[c] ?? '')))))
    const total = longest.reduce((a, b) => a + b, 0) || 1
    // Every column gets at least an even share's third, the rest by need.
    const widths = longest.map((w) => width / cols / 3 + (w / total) * (width - width / 3))
    const lineH = size * 0.42
    const wrap = (row: string[]) => row.map((cell, c) => doc.splitTextToSize(pdfText(cell ?? ''), widths[c]! - 2) as string[])
    const heights = [table.head, ...table.rows].map((r) => Math.max(...wrap(r).map((l) => l.length)) * lineH + 2)
    if (y + heights.reduce((a, b) => a + b, 0) > maxY && size > 6) continue
    let cy = y
    ;[table.head, ...table.rows].forEach((row, r) => {
      doc.setFont('helvetica', r === 0 ? 'bold' : 'normal')
      let cx = x
      wrap(row).forEach((lines, c) => {
        if (r > 0 && c === 0) doc.setFont('helvetica', 'bold')
        doc.text(lines, cx, cy + lineH)
        if (r > 0 && c === 0) doc.setFont('helvetica', 'normal')
        cx += widths[c]!
      })
      cy += heights[r]!
      doc.setDrawColor(r === 0 ? '#000000' : '#999999')
      doc.line(x, cy - 0.8, x + width, cy - 0.8)
    })
    return cy + 2
  }
}

/** Charts side by side under what is already on the page, scaled to the room left. */
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
    doc.setFontSize(9)
    doc.text(doc.splitTextToSize(pdfText(s.chartTitles?.[k] ?? ''), cellW - 4) as string[], cx, cy + 3.5)
    // At most 0.4 mm per pixel: a single chart does not swell to the whole page.
    const scale = Math.min((cellW - 4) / c.width, (cellH - 10) / c.height, 0.4)
    await doc.svg(c.svg, { x: cx, y: cy + 6, width: c.width * scale, height: c.height * scale })
  }
  return maxY
}

/** One A4 landscape page per slide. */
export async function deckToPdf(slides: CapturedSlide[], footer: string): Promise<jsPDF> {
  const doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: true })
  for (const [i, s] of slides.entries()) {
    if (i > 0) doc.addPage()
    doc.setFont('helvetica', 'bold')
    doc.setFontSize(22)
    doc.text(pdfText(s.title), PAGE.margin, PAGE.margin + 8, { maxWidth: PAGE.w - 2 * PAGE.margin })
    const top = PAGE.margin + 18
    let textX = PAGE.margin
    let textWidth = PAGE.w - 2 * PAGE.margin
    if (s.image) {
      // The map keeps its aspect ratio inside the left 2/3 of the page.
      const boxW = 190
      const boxH = PAGE.h - top - PAGE.margin - 8
      const scale = Math.min(boxW / s.image.width, boxH / s.image.height)
      doc.addImage(s.image.dataUrl, 'PNG', PAGE.margin, top, s.image.width * scale, s.image.height * scale, undefined, 'FAST')
      textX = PAGE.margin + boxW + 6
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
        } else {
          // A hidden value's hatch: grey with diagonal strokes.
          doc.setFillColor('#d0d0d0')
          doc.rect(textX, y - 3.5, 5, 4, 'F')
          doc.setDrawColor('#555555')
          for (let k = 0; k < 3; k++) doc.line(textX + k * 2, y + 0.5, textX + k * 2 + 3, y - 3.5)
        }
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
    if (s.after) paragraphs(s.after, 8)
    doc.setFontSize(8)
    doc.setTextColor('#444444')
    doc.text(pdfText(`${footer} · bild ${i + 1} av ${slides.length}`), PAGE.margin, PAGE.h - 6)
    doc.setTextColor('#000000')
  }
  return doc
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
      ctx.fillStyle = item.color ?? '#d0d0d0'
      ctx.fillRect(x, y - 16 * scale, 26 * scale, 20 * scale)
      ctx.fillStyle = '#000000'
      wrap(item.label, Math.round(17 * scale), side - 80 * scale, 34 * scale)
      y += 6 * scale
    }
  }
  y += 10 * scale
  ctx.fillStyle = '#222222'
  for (const line of s.lines) wrap(line, Math.round(15 * scale), side - 40 * scale)
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'))
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
