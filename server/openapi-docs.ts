type Json = Record<string, any>

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const typeOf = (schema: Json | undefined): string => {
  if (!schema) return ''
  if (schema.enum) return schema.enum.map(String).join(' | ')
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ')
  return [schema.type, schema.format].filter(Boolean).join(', ')
}

/**
 * The API's reference as plain HTML from the OpenAPI document: no scripts and nothing from elsewhere (the
 * CSP allows only this server), readable in any browser and by screen readers.
 */
export function openApiHtml(doc: Json): string {
  const byTag = new Map<string, Array<{ method: string; path: string; op: Json }>>()
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'api'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)!.push({ method: method.toUpperCase(), path, op })
    }
  }
  const sections = [...byTag.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([tag, ops]) => `<section id="${esc(tag)}"><h2>${esc(tag)}</h2>${ops
        .map(({ method, path, op }) => {
          const params = (op.parameters ?? []) as Json[]
          const body = op.requestBody?.content?.['application/json']?.schema as Json | undefined
          const bodyFields = body?.properties ? Object.entries(body.properties as Record<string, Json>) : []
          const required = new Set<string>(body?.required ?? [])
          return `<article class="op" id="${esc(op.operationId)}">
<h3><span class="method m-${method.toLowerCase()}">${method}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}. ${esc(op.description)}</p>
${params.length ? `<table><caption>Parametrar / parameters</caption><thead><tr><th scope="col">Namn</th><th scope="col">Var</th><th scope="col">Typ</th><th scope="col">Krävs</th></tr></thead><tbody>${params.map((p) => `<tr><th scope="row"><code>${esc(p.name)}</code></th><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema))}</td><td>${p.required ? 'ja' : 'nej'}</td></tr>`).join('')}</tbody></table>` : ''}
${bodyFields.length ? `<table><caption>JSON-kropp / body</caption><thead><tr><th scope="col">Fält</th><th scope="col">Typ</th><th scope="col">Krävs</th></tr></thead><tbody>${bodyFields.map(([n, s]) => `<tr><th scope="row"><code>${esc(n)}</code></th><td>${esc(typeOf(s))}</td><td>${required.has(n) ? 'ja' : 'nej'}</td></tr>`).join('')}</tbody></table>` : ''}
</article>`
        })
        .join('\n')}</section>`,
    )
    .join('\n')
  const toc = [...byTag.keys()].sort().map((t) => `<li><a href="#${esc(t)}">${esc(t)}</a></li>`).join('')
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} – dokumentation</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; padding: 1rem; max-width: 60rem; line-height: 1.45; color: #1f2328; }
code { font-size: 0.9em; overflow-wrap: anywhere; }
.op { border-top: 1px solid #d0d7de; padding: 0.4rem 0; }
.op h3 { font-size: 1rem; margin: 0.4rem 0; }
.method { display: inline-block; min-width: 4rem; font-size: 0.8rem; padding: 0.1rem 0.3rem; border-radius: 0.3rem; background: #ddf4ff; text-align: center; }
.m-post, .m-put, .m-patch { background: #fff8c5; } .m-delete { background: #ffebe9; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.3rem 0; display: block; overflow-x: auto; }
caption { text-align: left; font-weight: 600; } th, td { text-align: left; padding: 0.15rem 0.5rem; border-bottom: 1px solid #eaeef2; }
nav ul { columns: 12rem; }
</style></head>
<body><main>
<h1>${esc(doc.info.title)}</h1>
<p>${esc(doc.info.description)}</p>
<p>Maskinläsbart / machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)}). API-nycklar skapas under <a href="/api-nycklar">Mina API-nycklar</a>.</p>
<nav aria-label="Delar / sections"><ul>${toc}</ul></nav>
${sections}
</main></body></html>`
}
