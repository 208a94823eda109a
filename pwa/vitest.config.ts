// Component tests for the PWA: the rules as pure functions and their rendering, in happy-dom.
import preact from '@preact/preset-vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [preact()],
  test: {
    name: 'pwa',
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['./src/test-setup.ts'],
  },
});
