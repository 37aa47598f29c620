/**
 * Export of a presentation, composed in the browser (the server needs no browser): the deck as one PDF
 * (vector text; maps as high-resolution images beside a vector legend) and a single map view as PNG.
 */
import { jsPDF } from 'jspdf'

export interface CapturedSlide {
  title: string
  /** A map slide's drawn map (PNG data URL) and its pixel size. */
  image?: { dataUrl: string; width: number; height: number }
  legend?: { title: string; items: Array<{ color: string | null; label: string }> }
  /** Text under the legend (source, period, disclosure) or the slide's own text. */
  lines: string[]
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

/** One A4 landscape page per slide. */
export function deckToPdf(slides: CapturedSlide[], footer: string): jsPDF {
  const doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: true })
  slides.forEach((s, i) => {
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
    doc.setFont('helvetica', 'normal')
    doc.setFontSize(s.image ? 9 : 14)
    for (const line of s.lines) {
      const wrapped = doc.splitTextToSize(pdfText(line), textWidth) as string[]
      doc.text(wrapped, textX, y)
      y += wrapped.length * (s.image ? 4.2 : 6.5) + 2
    }
    doc.setFontSize(8)
    doc.setTextColor('#444444')
    doc.text(pdfText(`${footer} · bild ${i + 1} av ${slides.length}`), PAGE.margin, PAGE.h - 6)
    doc.setTextColor('#000000')
  })
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
