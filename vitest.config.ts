import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { fuzzSettings } from './test/fuzz/settings.ts';

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
                  // The plugin adds no_handle_cross_request_promise_resolution, which group commit needs
                  // (wrangler.toml): here each message is written on its own; e2e/ingest-burst covers it grouped.
                  INGEST_GROUP_COMMIT: 'off',
                  // Web Push (worker/push/): a test-only P-256 pair; pushes go to the simulator's push service.
                  VAPID_SUBJECT: 'mailto:push-tests@clubchat.example',
                  VAPID_PUBLIC_KEY:
                    'BOs4BtGA8iRi0KemC11Lz3nH3RjLISwGy0bO0n7PTksG9wDuOkSXjzIqfG-iNrF5gEoLUAtuu5ugTjK7N2_8Rnw',
                  VAPID_PRIVATE_KEY: 'av3uEGVqKDhl27_-DG5IZ0TBCQlKHn53ODrSPBZcvSg',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/**/*.test.ts'],
            setupFiles: ['./test/apply-migrations.ts'],
            // The fuzzers' seed and budget, read from FUZZ_SEED / FUZZ_RUNS / FUZZ_SECONDS (test/fuzz/settings.ts).
            provide: fuzzSettings(process.env),
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
