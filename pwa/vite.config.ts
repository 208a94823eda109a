// The staff PWA: Vite root is pwa/, output is the worker's static assets (wrangler.toml [assets] directory).
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
export const OUT_DIR = fileURLToPath(new URL('../dist/pwa', import.meta.url));

export default defineConfig({
  root,
  publicDir: 'public',
  build: { outDir: OUT_DIR, emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { host: '127.0.0.1', port: 8795, proxy: { '/api': { target: 'http://127.0.0.1:8794', ws: true } } },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // The app registers the worker itself (lib/use-sw-update.ts) so it can offer an update prompt.
      injectRegister: false,
      registerType: 'prompt',
      // With Vite 8 the service worker must be built as a classic script, or it fails to register.
      injectManifest: { rollupFormat: 'iife', globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'] },
      manifest: {
        name: 'ClubChat',
        short_name: 'ClubChat',
        description: 'WhatsApp inbox for gym sales teams',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0b7a5f',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
    }),
  ],
});
