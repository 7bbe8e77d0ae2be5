// Builds the web app into web/dist with relative URLs, so the sandbox server can serve it from `/`.
// `vite dev` proxies the API and the websocket to a running `npm start` (MSGBOOK_URL, default port 4400).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.MSGBOOK_URL ?? 'http://127.0.0.1:4400';

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    // only the lazily loaded editor chunk passes 500 kB (168 KiB gzip); the page itself loads ~43 KiB gzip
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': server,
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
});
