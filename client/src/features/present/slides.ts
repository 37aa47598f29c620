/**
 * What a presentation shows: the stored deck's slides, and the slides a meeting pack is made of (built in
 * the browser from the meeting's figures, never stored). Also reads a slide on screen into what the
 * exports draw.
 */
import type { CityMeetingDto, MeetingDto, MeetingHotspots, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { cssColorToHex, mapExportPixelRatio, pdfText, type CapturedSlide, type ChartKey, type TableCell } from './exportDeck'

export type MeasuresSlide = Extract<Slide, { kind: 'measures' }> & {
  /** A meeting's measures: only these (those in the meeting's area). */
  measureIds?: number[]
  emptyText?: string
}

export type PresentSlide =
  | Exclude<Slide, { kind: 'measures' }>
  | MeasuresSlide
  /** Some of the meeting's indicators (a projector holds about six rows). */
  | { kind: 'keyfigures'; title: string; meeting: MeetingDto; indicators: string[] }
  | { kind: 'hotspots'; title: string; meeting: MeetingDto; hotspots: MeetingHotspots }
  /** The city-wide pack: the city's key figures, a layer's areas side by side, problem areas, samverkansformer. */
  | { kind: 'citykeyfigures'; title: string; meeting: CityMeetingDto; indicators: string[] }
  | { kind: 'sidebyside'; title: string; meeting: CityMeetingDto; layer: string; indicators: string[] }
  | { kind: 'problemareas'; title: string; meeting: CityMeetingDto; ids: number[] }
  | { kind: 'samverkansformer'; title: string; meeting: CityMeetingDto }

/** What a drawn map slide writes to the map's data-rendered-key (so exports wait for the right frame). */
export function mapKeyOf(slide: PresentSlide): string | null {
  if (slide.kind === 'map') return `slide|${slide.indicator}|${slide.layer}|${slide.period}|${slide.method}|${slide.classes}`
  if (slide.kind === 'hotspots') return `hotspots|${slide.hotspots.indicator}|${slide.hotspots.layer}|${slide.hotspots.period}|${slide.meeting.area.id}`
  return null
}

/** Resolves when `ok()` holds, checking every frame; rejects after `ms`. */
export function until(ok: () => boolean, ms = 45_000): Promise<void> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (ok()) resolve()
      else if (performance.now() - start > ms) reject(new Error('Bilden ritades inte klart'))
      else requestAnimationFrame(tick)
    }
    tick()
  })
}

const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline'] as const

/**
 * A chart for the PDF: a copy with the style sheet's effect written onto each element (svg2pdf reads
 * attributes, not CSS), screen-reader-only parts dropped, and text the PDF's fonts can show.
 */
function chartForPdf(svg: SVGSVGElement): { svg: SVGSVGElement; width: number; height: number; key: ChartKey } {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const live = [svg, ...svg.querySelectorAll('*')]
  const copies = [copy, ...copy.querySelectorAll('*')]
  live.forEach((el, i) => {
    const style = getComputedStyle(el)
    const target = copies[i]!
    for (const prop of STYLE_PROPS) {
      const v = style.getPropertyValue(prop)
      if (v && v !== 'normal' && v !== 'auto') target.setAttribute(prop, v)
    }
  })
  // The PDF's standard sans-serif; the screen's system font is unknown to it.
  copy.setAttribute('font-family', 'helvetica')
  copy.querySelectorAll('title, desc').forEach((e) => e.remove())
  copy.querySelectorAll('text, tspan').forEach((t) => {
    if (t.childElementCount === 0 && t.textContent) t.textContent = pdfText(t.textContent)
  })
  // The key is HTML beside the SVG on screen: read it so the PDF can draw it too.
  const key = [...(svg.closest('figure')?.querySelectorAll<HTMLElement>('.chart-legend li') ?? [])].map((li) => {
    const sample = getComputedStyle(li.querySelector('.chart-swatch') ?? li)
    return { label: li.innerText.trim(), color: cssColorToHex(sample.borderTopColor) ?? '#000000', dashed: sample.borderTopStyle === 'dashed' }
  })
  return { svg: copy, width: Number(svg.getAttribute('width')) || svg.clientWidth, height: Number(svg.getAttribute('height')) || svg.clientHeight, key }
}

const cellText = (el: Element) => (el as HTMLElement).innerText.replace(/\s*\n\s*/g, ' · ').trim()

/** A cell as the screen shows it: its lines (a count's rate stays on a line of its own), tone colour, fill, weight. */
function cellOf(el: HTMLElement, tableColor: string): TableCell {
  const style = getComputedStyle(el)
  const color = style.color !== tableColor ? cssColorToHex(style.color) : null
  const fill = cssColorToHex(style.backgroundColor)
  // Parts the screen keeps on one line (a count's rate) stay whole in the PDF: their spaces become no-break.
  const unbroken = new Set(
    [...el.querySelectorAll<HTMLElement>('*')]
      .filter((e) => [getComputedStyle(e).whiteSpace, getComputedStyle(e).getPropertyValue('text-wrap-mode')].includes('nowrap'))
      .map((e) => e.innerText.trim()),
  )
  return {
    lines: el.innerText
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => (unbroken.has(l) ? l.replace(/ /g, '\u00a0') : l)),
    ...(color ? { color } : {}),
    ...(fill ? { fill } : {}),
    bold: Number(style.fontWeight) >= 600,
  }
}

/** Draws the map again at a pixel ratio fit for print, reads it, and puts the screen's ratio back. */
async function mapForPrint(): Promise<NonNullable<CapturedSlide['image']>> {
  const map = window.__lagesbildMap!
  const screen = map.getPixelRatio()
  const box = map.getContainer()
  const ratio = mapExportPixelRatio(box.clientWidth, box.clientHeight, screen)
  try {
    if (ratio !== screen) {
      let painted = false
      map.once('idle', () => (painted = true))
      map.setPixelRatio(ratio)
      map.triggerRepaint()
      await until(() => painted, 30_000)
    }
    const canvas = map.getCanvas()
    return { dataUrl: canvas.toDataURL('image/png'), width: canvas.width, height: canvas.height, pixelRatio: ratio }
  } finally {
    if (ratio !== screen) map.setPixelRatio(screen)
  }
}

/** Reads the slide on screen into what the exports draw: the painted map, its legend, tables, charts and texts. */
export async function captureSlide(slide: PresentSlide, index: number): Promise<CapturedSlide> {
  const el = () => document.querySelector<HTMLElement>('[data-testid=slide]')
  await until(() => Boolean(el()?.getAttribute('aria-label')?.startsWith(`Bild ${index + 1} av`)))
  const key = mapKeyOf(slide)
  if (key === null) {
    // Follow-up charts load on their own: wait until none is still loading.
    await until(() => !el()!.querySelector('[data-state=loading]'))
    const out: CapturedSlide = { title: slide.title, lines: [] }
    for (const part of el()!.querySelectorAll<HTMLElement>('.slide-body > *')) {
      if (part.matches('table.slide-table')) {
        const color = getComputedStyle(part).color
        const head = [...part.querySelectorAll('thead th')].map(cellText)
        const rows = [...part.querySelectorAll('tbody tr')]
        // Columns align as on screen (figures to the right), read from a row with a cell in every column.
        const full = rows.find((tr) => tr.children.length === head.length)
        out.table = {
          head,
          rows: rows.map((tr) => [...tr.children].map((td) => cellOf(td as HTMLElement, color))),
          align: [...(full?.children ?? [])].map((td) => (['right', 'end'].includes(getComputedStyle(td).textAlign) ? 'right' : 'left')),
        }
      } else if (part.querySelector('svg.chart-svg')) {
        out.charts = [...part.querySelectorAll<SVGSVGElement>('svg.chart-svg')].map(chartForPdf)
        out.chartTitles = [...part.querySelectorAll('.chart-title')].map((t) => t.textContent ?? '')
      } else {
        const lines = part.innerText.split('\n').map((l) => l.trim()).filter(Boolean)
        if (out.table || out.charts) out.after = [...(out.after ?? []), ...lines]
        else out.lines.push(...lines)
      }
    }
    return out
  }
  await until(() => document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.renderedKey === key)
  const legend = el()!.querySelector('[data-testid=legend]')
  return {
    title: slide.title,
    image: await mapForPrint(),
    legend: legend
      ? {
          title: legend.querySelector('figcaption')?.textContent ?? '',
          items: [...legend.querySelectorAll<HTMLElement>('li')].map((li) => ({ color: li.dataset.kind === 'suppressed' ? null : (li.dataset.color ?? null), label: li.textContent?.trim() ?? '' })),
        }
      : undefined,
    lines: [...el()!.querySelectorAll<HTMLElement>('.slide-meta, .slide-note')].map((e) => e.innerText.trim()).filter(Boolean),
  }
}
