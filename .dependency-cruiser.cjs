/**
 * The layering rules (DEVELOPERS.md), checked by `npm run lint:deps` in CI. A rule here is a promise
 * about the code's shape: keep it green by moving code, not by loosening the rule.
 */
const IO_CORE_MODULES = '^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|dgram|tls|cluster)$'
const IO_PACKAGES = '^(kysely|pg|@electric-sql/|express)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'server-feature-to-feature',
      comment: 'Server features do not import each other: share through server/core, server/spatial, server/disclosure, server/statistics or db/, or let app.ts hand a function over.',
      severity: 'error',
      from: { path: '^server/features/([^/]+)/' },
      to: { path: '^server/features/([^/]+)/', pathNot: '^server/features/$1/' },
    },
    {
      name: 'pure-core-no-io',
      comment: 'server/core, server/spatial, server/statistics and server/disclosure are pure: no database, no HTTP, no files.',
      severity: 'error',
      from: { path: '^server/(core|spatial|statistics|disclosure)/' },
      to: { path: ['^server/(features|http|cli)/', '^server/(app|main|boot|config)\\.ts$', '^db/', IO_CORE_MODULES, IO_PACKAGES] },
    },
    {
      name: 'db-never-reaches-up',
      comment: 'db/ is the bottom layer: it never imports the server, the client or geodata.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(server|client|geodata)/' },
    },
    {
      name: 'geodata-not-into-features',
      comment: 'geodata/ loads data through db/ and the pure core, not through server features.',
      severity: 'error',
      from: { path: '^geodata/' },
      to: { path: '^server/(features|http)/' },
    },
    {
      name: 'client-only-types-from-server',
      comment: 'The client imports only types from the server (import type …): no server code in the bundle.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|db|geodata)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-feature-to-feature',
      comment: 'Client features do not import each other: shared pieces live in client/src/lib or client/src/components.',
      severity: 'error',
      from: { path: '^client/src/features/([^/]+)/' },
      to: { path: '^client/src/features/([^/]+)/', pathNot: '^client/src/features/$1/' },
    },
    {
      name: 'client-shared-stays-below-features',
      comment: 'client/src/lib and client/src/components are shared by features: they never import a feature or the app shell.',
      severity: 'error',
      from: { path: '^client/src/(lib|components)/' },
      to: { path: '^client/src/(features|app)/' },
    },
    {
      name: 'client-lib-no-ui-components',
      comment: 'client/src/lib is non-UI: components build on it, not the other way round.',
      severity: 'error',
      from: { path: '^client/src/lib/' },
      to: { path: '^client/src/components/' },
    },
    {
      name: 'client-features-not-into-app',
      comment: 'Only the app shell composes features; a feature never imports it.',
      severity: 'error',
      from: { path: '^client/src/features/' },
      to: { path: '^client/src/app/' },
    },
    {
      name: 'runtime-not-on-dev-dependencies',
      comment: 'npm ci --omit=dev && npm run build && npm start must work: what the server, the build (vite.config.ts) and the client bundle import at run time is a dependency, not a devDependency. Type-only imports are erased and may use @types.',
      severity: 'error',
      from: { path: ['^(server|db|geodata|client)/', '^vite\\.config\\.ts$'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-cycles',
      comment: 'Import cycles make the layers meaningless.',
      severity: 'error',
      from: { path: '^(server|db|geodata|client)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.tmp|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
}
