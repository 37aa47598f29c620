/**
 * Creates an account from the command line (the first admin is made this way):
 *   npm run user:add -- --email E --password P --role admin|analyst|local [--stadsomrade NAME] [--organisation staden|polisen] [--name N]
 *   npm run user:add -- --admin --email E --password P
 */
import { parseArgs } from 'node:util'
import { CLI_ACTOR } from '../../db/audit'
import { DEMO_ACCOUNTS } from '../../db/demo-accounts'
import { DataDirBusyError } from '../../db/data-dir-lock'
import { openDatabase } from '../boot'
import { loadConfig } from '../config'
import { AppError } from '../errors'
import { newUserBody } from '../features/auth/auth.schema'
import { createUser } from '../features/auth/auth.service'

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    admin: { type: 'boolean', default: false },
    stadsomrade: { type: 'string' },
    organisation: { type: 'string' },
    name: { type: 'string', default: '' },
  },
})

const parsed = newUserBody.safeParse({
  email: values.email,
  password: values.password,
  name: values.name,
  role: values.admin ? 'admin' : values.role,
  stadsomrade: values.stadsomrade ?? null,
  organisation: values.organisation ?? null,
})
if (!parsed.success) {
  for (const i of parsed.error.issues) console.error(`--${String(i.path[0] ?? 'argument')}: ${i.message}`)
  console.error('Användning: npm run user:add -- --email E --password P --role admin|analyst|local [--stadsomrade NAMN] [--organisation staden|polisen] [--name NAMN]')
  process.exit(2)
}

// A real account is being made: no demo accounts beside it.
// On an empty database a real installation starts: boundaries and population, no demo set.
const db = await openDatabase({ ...loadConfig(), demo: false }, (m) => console.error(m), { demoAccounts: false }).catch((err: unknown) => {
  // The running server holds the embedded directory: say so, without a stack trace.
  if (!(err instanceof DataDirBusyError)) throw err
  console.error(err.message)
  return process.exit(3)
})
let code = 0
try {
  const demo = await db.kysely.selectFrom('users').select('email').where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email)).where('disabled', '=', false).execute()
  // The first real admin ends the demo accounts (their password is published), in the same transaction.
  const user = await createUser(db.kysely, CLI_ACTOR, parsed.data, { endDemoAccounts: true })
  console.log(`Konto skapat: ${user.email} (${user.role}${user.stadsomrade ? `, ${user.stadsomrade.name}` : ''}${user.organisation ? `, ${user.organisation}` : ''})`)
  if (user.role === 'admin' && demo.length) console.log(`Demokontona är avstängda: ${demo.map((d) => d.email).join(', ')}`)
} catch (err) {
  code = 1
  if (err instanceof AppError) console.error(`${err.message}${err.details.length ? `: ${err.details.map((d) => `${d.field}: ${d.message}`).join('; ')}` : ''}`)
  else console.error(err)
} finally {
  await db.close()
}
process.exit(code)
