import pg from 'pg'

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

let counter = 0

/** Creates a database on the server (empty, or a copy of a template) and returns its URL and a drop function. */
export async function createServerDatabase(adminUrl: string, template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  // The global setup's pid is in the template name; reuse it so its teardown can sweep leftovers.
  const owner = template?.split('_')[2] ?? String(process.pid)
  const name = `lagesbild_test_${owner}_${process.pid}x${counter++}${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`)
  } finally {
    await admin.end()
  }
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      try {
        // pg's pool.end() can resolve before its sockets close: FORCE ends any straggler.
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    },
  }
}
