import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { renderHookOnce } from '../helpers/render-hook'
import { ImportStatus } from '../../client/src/features/imports/ImportStatus'
import { useImportPage } from '../../client/src/features/imports/useImportPage'
import { paths } from '../../client/src/lib/api'
import { ApiError } from '../../client/src/lib/apiError'

function model(cache: Record<string, unknown>) {
  return renderHookOnce(() => useImportPage(), cache)
}

describe('the import page view model', () => {
  it('offers count indicators for incident categories and every layer but the grid for boundaries', () => {
    const m = model({
      [paths.indicators()]: [
        { id: 'ran', unit: 'count' },
        { id: 'trygghet', unit: 'percent' },
      ],
      [paths.layers()]: [
        { id: 'stadsomrade', kind: 'admin' },
        { id: 'hex', kind: 'grid' },
      ],
      '/api/imports': [{ id: 1, kind: 'seed' }],
    })
    expect(m.countIndicators.map((i) => i.id)).toEqual(['ran'])
    expect(m.boundaryLayers.map((l) => l.id)).toEqual(['stadsomrade'])
    expect(m.log?.map((l) => l.id)).toEqual([1])
    expect(m.logError).toBeNull()
  })

  it('has nothing to offer before the lists arrive', () => {
    const m = model({})
    expect(m.countIndicators).toEqual([])
    expect(m.boundaryLayers).toEqual([])
    expect(m.log).toBeNull()
  })
})

describe('an import’s status', () => {
  it('lists a refused file’s problems by row and field', () => {
    const error = new ApiError(422, 'Filen har fel', [{ row: 3, field: 'value', message: 'inte ett tal' }, { message: 'saknar kolumnen period' }])
    const html = renderToStaticMarkup(<ImportStatus upload={{ isPending: false, fraction: 0, error }} />)
    expect(html).toContain('data-testid="import-error"')
    expect(html).toContain('<strong>Filen har fel</strong>')
    // Cells carry their column's name for phones (data-label); the text is what is checked.
    const cells = html.replace(/ data-label="[^"]*"/g, '')
    expect(cells).toMatch(/<td class="num">3<\/td><td>value<\/td><td>inte ett tal<\/td>/)
    expect(cells).toMatch(/<td class="num">–<\/td><td>–<\/td><td>saknar kolumnen period<\/td>/)
  })

  it('shows the progress while sending, then that the server is reading', () => {
    expect(renderToStaticMarkup(<ImportStatus upload={{ isPending: true, fraction: 0.5, error: null }} />)).toContain('Skickar filen… 50 %')
    expect(renderToStaticMarkup(<ImportStatus upload={{ isPending: true, fraction: null, error: null }} />)).toContain('Läser och summerar filen…')
  })
})
