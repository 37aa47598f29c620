/** Minimal, readable HTML pages of the OGC endpoints (Swedish), for a person who opens /ogc in a browser. */

const esc = (v: unknown) =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export interface Crumb {
  href: string
  label: string
}

export function page(title: string, crumbs: Crumb[], body: string, jsonHref: string): string {
  const nav = crumbs.map((c) => `<a href="${esc(c.href)}">${esc(c.label)}</a>`).join(' › ')
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Lägesbild öppna data</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.5;color:#1b1b1b}
nav{font-size:.9rem;margin-bottom:1rem}a{color:#0b57d0}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin-top:1.5rem}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}table.kv td{overflow-wrap:anywhere}code{overflow-wrap:anywhere}
ul{padding-left:1.2rem}li{margin:.3rem 0}p,li{overflow-wrap:anywhere}
</style></head><body>
<nav>${nav}</nav>
<h1>${esc(title)}</h1>
${body}
<p><a href="${esc(jsonHref)}">Samma sak som JSON</a></p>
</body></html>`
}

export function list(items: Array<{ href: string; label: string; text?: string }>): string {
  return `<ul>${items.map((i) => `<li><a href="${esc(i.href)}">${esc(i.label)}</a>${i.text ? ` – ${esc(i.text)}` : ''}</li>`).join('')}</ul>`
}

export function para(text: string): string {
  return `<p>${esc(text)}</p>`
}

export function code(text: string): string {
  return `<p><code>${esc(text)}</code></p>`
}

/** A table; `kv` (name, value pairs) wraps long names so it fits a phone's width. */
export function table(columns: string[], rows: Array<Array<{ text: unknown; href?: string }>>, kv = false): string {
  const cell = (c: { text: unknown; href?: string }) => {
    const num = typeof c.text === 'number'
    const content = c.href ? `<a href="${esc(c.href)}">${esc(c.text)}</a>` : c.text === null ? '–' : esc(num ? (c.text as number).toLocaleString('sv-SE') : c.text)
    return `<td${num ? ' class="num"' : ''}>${content}</td>`
  }
  return `<div class="scroll"><table${kv ? ' class="kv"' : ''}><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table></div>`
}

export { esc }
