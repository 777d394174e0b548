/** Tests run on the real Postgres and Redis; each test file gets its own database and queue prefix. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // jose, cookie (used by Fastify's inject) and content-disposition (used by @fastify/static) are ESM-only; Jest on Node 20 cannot require ESM,
  // so they are transformed like our sources.
  transform: { '^.+\\.ts$': swc, '/node_modules/(jose|cookie|content-disposition)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(jose|cookie|content-disposition)/)'],
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
