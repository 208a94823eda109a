// Browser tests: real Chromium (Debian's, never a downloaded one) at 360 x 740 against `wrangler dev`.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./e2e/global-setup.ts'],
    // One worker, one browser: the tests share the seeded demo company and run in file order.
    fileParallelism: false,
    // After the worker and component projects, not alongside them: wrangler dev and chromium need the cores.
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a state, not for a time: its 1 s default failed a push test on a busy CI machine.
    expect: { poll: { timeout: 20_000 } },
  },
});
