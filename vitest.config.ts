import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` talks to a real BuildKit daemon
// (started by scripts/env/up.sh, or the one named by BUILDKIT_HOST) and fails loudly when none is reachable.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    // Opt-in (`npm run coverage`, or `--coverage` on any vitest run): V8 coverage of src/, written to coverage/.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/proto/**'],
      reporter: ['text-summary', 'json-summary', 'json', 'html'],
      reportsDirectory: 'coverage',
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/setup-docker-host.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
