// Native-ESM TypeScript under jest: @swc/jest transforms, `.js` suffixes on relative imports are stripped so
// that NodeNext-style imports resolve to the .ts sources. Run with --experimental-vm-modules (see package.json).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'es6' },
  },
];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: ['/node_modules/'],
};

/** @type {import('jest').Config} */
export default {
  // A PGlite start-up is ~1–3 s and these machines are shared: a generous bound, not a speed target.
  testTimeout: 30_000,
  // Jest's default is one worker per core minus one: on a 2-core machine that runs every file in the main process,
  // on one core, with memory (PGlite instances, servers) piling up across files. Two workers use both cores, and a
  // worker whose heap has grown past the limit is replaced between files (PGlite's WASM memory sits outside the heap, so the
  // limit is low: a worker that ran a heavy suite starts afresh).
  maxWorkers: 2,
  workerIdleMemoryLimit: '400MB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
      testPathIgnorePatterns: ['\\.property\\.test\\.ts$', '/test/browser/'],
    },
    {
      ...common,
      displayName: 'properties',
      testMatch: ['<rootDir>/test/**/*.property.test.ts'],
    },
    {
      // The card preview in Debian's Chromium (playwright-core); skipped with a message when it is not installed.
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
    },
  ],
};
