import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config'

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: undefined,
      clientDir: './dist/client',
      basemapStyleUrl: undefined,
      secureCookies: undefined,
      trustProxy: undefined,
      demo: true,
      statementTimeoutMs: 30_000,
      lockTimeoutMs: 5_000,
      shutdownTimeoutMs: 15_000,
      lpAuditBudgetMs: 5_000,
      lpAuditWaitMs: 60_000,
      lpAuditOverlay: true,
    })
  })

  it('holds the overlay in the LP audit unless LP_AUDIT_OVERLAY=false, and refuses anything but true or false', () => {
    expect(loadConfig({}).lpAuditOverlay).toBe(true)
    expect(loadConfig({ LP_AUDIT_OVERLAY: 'true' }).lpAuditOverlay).toBe(true)
    expect(loadConfig({ LP_AUDIT_OVERLAY: 'false' }).lpAuditOverlay).toBe(false)
    expect(() => loadConfig({ LP_AUDIT_OVERLAY: 'ja' })).toThrow(/LP_AUDIT_OVERLAY/)
  })

  it('reads the database timeouts and refuses negative ones', () => {
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '2000', DB_LOCK_TIMEOUT_MS: '0' })).toMatchObject({ statementTimeoutMs: 2000, lockTimeoutMs: 0 })
    expect(() => loadConfig({ DB_LOCK_TIMEOUT_MS: '-1' })).toThrow(/DB_LOCK_TIMEOUT_MS/)
  })

  it('starts without the demo only when DEMO=false, and refuses anything but true or false', () => {
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false)
    expect(loadConfig({ DEMO: 'true' }).demo).toBe(true)
    expect(() => loadConfig({ DEMO: 'nej' })).toThrow(/DEMO/)
  })

  it('reads the cookie and proxy settings', () => {
    expect(loadConfig({ COOKIE_SECURE: 'true', TRUST_PROXY: '1' })).toMatchObject({ secureCookies: true, trustProxy: 1 })
    expect(loadConfig({ COOKIE_SECURE: 'false', TRUST_PROXY: 'loopback' })).toMatchObject({ secureCookies: false, trustProxy: 'loopback' })
    expect(() => loadConfig({ COOKIE_SECURE: 'yes' })).toThrow(/COOKIE_SECURE/)
  })

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://u@h/db', DATA_DIR: '/tmp/x' })
    expect(c).toMatchObject({ port: 9000, databaseUrl: 'postgres://u@h/db', dataDir: '/tmp/x' })
  })

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/)
  })
})
