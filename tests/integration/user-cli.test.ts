/** `npm run user:add`: the command that makes the first admin, run as a process against a database copy. */
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DEMO_ACCOUNTS } from '../../db/demo-accounts'
import { verifyPassword } from '../../server/features/auth/passwords'
import { testEngines } from '../helpers/engines'

const run = promisify(execFile)

async function userAdd(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', resolve('server/cli/user-add.ts'), ...args], { env: { ...process.env, ...env } })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe.each(testEngines())('user:add on $name', (engine) => {
  it('creates an admin and a local account, refuses bad arguments by name, and logs every creation', async () => {
    const copy = await engine.copyForProcess()
    try {
      const admin = await userAdd(copy.env, ['--admin', '--email', 'Chef@Stad.se', '--password', 'ett-långt-lösenord', '--name', 'Chefen'])
      expect(admin.code, admin.stderr).toBe(0)
      expect(admin.stdout).toMatch(/Konto skapat: chef@stad\.se \(admin\)/)
      const local = await userAdd(copy.env, ['--email', 'sv@stad.se', '--password', 'ett-långt-lösenord', '--role', 'local', '--stadsomrade', 'Sydväst', '--organisation', 'polisen'])
      expect(local.code, local.stderr).toBe(0)
      expect(local.stdout).toMatch(/Konto skapat: sv@stad\.se \(local, Sydväst, polisen\)/)
      const bad = await userAdd(copy.env, ['--email', 'inte-en-adress', '--password', 'kort', '--role', 'boss', '--organisation', 'kommunen'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/--email/)
      expect(bad.stderr).toMatch(/--password/)
      expect(bad.stderr).toMatch(/--role/)
      expect(bad.stderr).toMatch(/--organisation/)
      const noArea = await userAdd(copy.env, ['--email', 'x@stad.se', '--password', 'ett-långt-lösenord', '--role', 'local', '--stadsomrade', 'Atlantis'])
      expect(noArea.code).toBe(1)
      expect(noArea.stderr).toMatch(/Okänt stadsområde: Atlantis/)

      const db = await copy.open()
      try {
        const chef = await db.kysely.selectFrom('users').selectAll().where('email', '=', 'chef@stad.se').executeTakeFirstOrThrow()
        expect(chef).toMatchObject({ role: 'admin', name: 'Chefen', stadsomrade_code: null, organisation: null, disabled: false })
        expect(chef.password_hash).toMatch(/^scrypt\$/)
        expect(await verifyPassword('ett-långt-lösenord', chef.password_hash)).toBe(true)
        expect(await verifyPassword('fel', chef.password_hash)).toBe(false)
        const sv = await db.kysely.selectFrom('users').select(['role', 'stadsomrade_code', 'organisation']).where('email', '=', 'sv@stad.se').executeTakeFirstOrThrow()
        expect(sv.role).toBe('local')
        expect(sv.stadsomrade_code).not.toBeNull()
        expect(sv.organisation).toBe('polisen')
        expect(await db.kysely.selectFrom('users').select('id').where('email', '=', 'x@stad.se').executeTakeFirst()).toBeUndefined()
        const log = await db.kysely.selectFrom('audit_log').select(['user_email', 'summary']).where('entity', '=', 'user').where('action', '=', 'create').execute()
        expect(log.filter((l) => l.user_email === 'kommandoraden').map((l) => l.summary)).toEqual([
          'Konto chef@stad.se (admin) skapat',
          'Konto sv@stad.se (local) skapat',
        ])
      } finally {
        await db.close()
      }
    } finally {
      await copy.remove()
    }
  }, 240_000) // four processes, each booting its own database

  it('ends the demo accounts when it makes an admin, audited in the same write; a local account leaves them', async () => {
    const copy = await engine.copyForProcess()
    const demoDisabled = async () => {
      const db = await copy.open()
      try {
        const rows = await db.kysely.selectFrom('users').select(['email', 'disabled']).where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email)).execute()
        expect(rows.length).toBe(DEMO_ACCOUNTS.length)
        return rows.map((r) => r.disabled)
      } finally {
        await db.close()
      }
    }
    try {
      // The copy holds the demo set and its accounts, as after a first `npm start`.
      expect(await demoDisabled()).toEqual(DEMO_ACCOUNTS.map(() => false))
      const local = await userAdd(copy.env, ['--email', 'sv@stad.se', '--password', 'ett-långt-lösenord', '--role', 'local', '--stadsomrade', 'Sydväst'])
      expect(local.code, local.stderr).toBe(0)
      expect(await demoDisabled()).toEqual(DEMO_ACCOUNTS.map(() => false))
      const admin = await userAdd(copy.env, ['--admin', '--email', 'chef@stad.se', '--password', 'ett-långt-lösenord'])
      expect(admin.code, admin.stderr).toBe(0)
      expect(admin.stdout).toMatch(/Demokontona är avstängda: .*admin@demo\.lagesbild\.se/)
      expect(await demoDisabled()).toEqual(DEMO_ACCOUNTS.map(() => true))
      const db = await copy.open()
      try {
        const log = await db.kysely.selectFrom('audit_log').select(['user_email', 'action', 'summary']).where('summary', 'like', 'Demokontot %').execute()
        expect(log.map((l) => [l.user_email, l.action, l.summary]).sort()).toEqual(
          DEMO_ACCOUNTS.map((a) => ['kommandoraden', 'update', `Demokontot ${a.email} avstängt: administratören chef@stad.se skapad med npm run user:add`]).sort(),
        )
      } finally {
        await db.close()
      }
    } finally {
      await copy.remove()
    }
  }, 240_000)
})
