import { describe, expect, it } from 'vitest'
import { ApiError, errorFrom } from '../../client/src/lib/apiError'
import { fieldOf, showServerErrors } from '../../client/src/lib/forms'
import { fieldLabel } from '../../client/src/lib/labels'

describe('the client’s one error type', () => {
  it('carries the server’s status, message and details', () => {
    const e = errorFrom(400, 'Bad Request', { error: { code: 'validation', message: 'Uppgifterna stämmer inte', details: [{ field: 'title', message: 'för kort' }] } })
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.message, e.details]).toEqual([400, 'Uppgifterna stämmer inte', [{ field: 'title', message: 'för kort' }]])
  })

  it('says in Swedish what the status means when the body is not the server’s error', () => {
    expect(errorFrom(502, 'Bad Gateway', null).message).toBe('Servern kunde inte svara (fel 502). Försök igen om en stund.')
    expect(errorFrom(413, 'Payload Too Large', '<html>').message).toBe('Filen är för stor.')
    expect(errorFrom(502, '', null).details).toEqual([])
  })
})

describe('a field named to the user', () => {
  it('is Swedish, numbered from 1, and never the API’s raw name', () => {
    expect(fieldLabel('followUp.0.target')).toBe('uppföljning 1, mål')
    expect(fieldLabel('title')).toBe('titel')
    expect(fieldLabel('body')).toBeNull()
    expect(fieldLabel('followUp.0.somethingNew')).toBeNull()
  })
})

describe('server errors on form fields', () => {
  it('finds the field a detail lies under, the longest first', () => {
    expect(fieldOf('followUp.0.target', ['followUp.0', 'title'])).toBe('followUp.0')
    expect(fieldOf('title', ['title', 'titles'])).toBe('title')
    expect(fieldOf('geometry', ['name'])).toBeUndefined()
  })

  it('sets each field’s messages on it and returns what no field takes', () => {
    const set: Array<[string, string]> = []
    const error = new ApiError(400, 'Fel', [
      { field: 'title', message: 'för kort' },
      { field: 'title', message: 'otillåtet tecken' },
      { field: 'geometry', message: 'ytan korsar sig själv' },
      { row: 4, message: 'rad 4 saknar datum' },
    ])
    const rest = showServerErrors(error, (field, e) => set.push([field, e.message!]), ['title', 'name'])
    expect(set).toEqual([['title', 'för kort; otillåtet tecken']])
    expect(rest.map((d) => d.message)).toEqual(['ytan korsar sig själv', 'rad 4 saknar datum'])
  })

  it('ignores anything but an ApiError', () => {
    expect(showServerErrors(new Error('x'), () => undefined, ['title'])).toEqual([])
  })
})
