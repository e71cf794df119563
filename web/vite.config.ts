import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** First path segments the API owns: in `npm run dev` Vite forwards them to the server (add one when a module adds a prefix). */
const API_PREFIXES = ['users', 'articles', 'collections', 'comments', 'follows', 'feed', 'tags', 'search', 'oauth2', 'api', 'docs', 'healthz', 'readyz', 'metrics'];
const apiTarget = process.env.WEBOOK_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/: the server caches those for a year.
    assetsDir: 'assets',
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries(API_PREFIXES.map((p) => [`/${p}`, { target: apiTarget, changeOrigin: false }])),
  },
});
