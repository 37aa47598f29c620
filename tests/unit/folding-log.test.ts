import { afterEach, describe, expect, it, vi } from 'vitest'
import { foldingLog } from '../../server/http/log'
import { databaseUnavailable } from '../../server/http/errors.middleware'

describe('foldingLog', () => {
  afterEach(() => vi.useRealTimers())

  it('writes the first of identical messages, counts the rest and sums them up when the window closes', () => {
    vi.useFakeTimers()
    const lines: unknown[][] = []
    const log = foldingLog((...a) => lines.push(a), 1_000)
    for (let i = 0; i < 4_600; i++) log('db:refused', 'refused', i)
    log('other', 'something else')
    expect(lines).toEqual([['refused', 0], ['something else']])
    vi.advanceTimersByTime(1_000)
    expect(lines).toEqual([['refused', 0], ['something else'], ['[log] 4599 likadana till på 1 s: db:refused']])
    // A new window starts with the message itself again.
    log('db:refused', 'refused', 'again')
    expect(lines.at(-1)).toEqual(['refused', 'again'])
  })
})

describe('databaseUnavailable', () => {
  it('knows the driver’s and the server’s ways of saying the database is away', () => {
    const yes = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect'), {}),
    ]
    const no = [new Error('boom'), Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), Object.assign(new Error('dup'), { code: '23505' }), null, 'text']
    for (const e of yes) expect(databaseUnavailable(e), String(e)).toBe(true)
    for (const e of no) expect(databaseUnavailable(e), String(e)).toBe(false)
  })
})
