import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Three projects, one `npm test`: the worker in workerd, the PWA's components in happy-dom, and the whole app
// in real Chromium against `wrangler dev`. `npm test -- <file>` runs only the project(s) holding that file.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  WHATSAPP_MODE: 'sandbox',
                  META_APP_SECRET: 'test-app-secret',
                  META_VERIFY_TOKEN: 'test-verify-token',
                  PLATFORM_ADMIN_TOKEN: 'test-admin-token',
                  DATA_ENCRYPTION_KEY: 'dGVzdC1kYXRhLWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=',
                  META_TIMEOUT_MS: '300',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/**/*.test.ts'],
            setupFiles: ['./test/apply-migrations.ts'],
            // Several suites share two cores here: a 1.5 s test can take 5 s under that load. Still not a timing test.
            testTimeout: 20_000,
          },
        },
        './pwa/vitest.config.ts',
        './e2e/vitest.config.ts',
      ],
    },
  };
});
