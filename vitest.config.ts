import { defineConfig } from 'vitest/config'

const DATABASES = 'tests/helpers/global-setup.ts'

export default defineConfig({
  test: {
    // PGlite boots in seconds and each instance holds a few hundred MB: few workers, generous timeouts.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // A project's global setup runs only when its files are in the run: `vitest run --project unit` or
    // `vitest run tests/unit` builds no database and no client.
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.{ts,tsx}'], globalSetup: [DATABASES] } },
      {
        extends: true,
        // A browser story (sign in, paint a map, export a PDF) on a shared 2-core machine: more time, not fewer checks.
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.{ts,tsx}'], globalSetup: [DATABASES, 'tests/helpers/client-setup.ts'], testTimeout: 180_000 },
      },
    ],
  },
})
