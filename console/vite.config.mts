import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the orchestrator at /console from dist/console (built by `npm run build`).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  build: { outDir: '../dist/console', emptyOutDir: true, sourcemap: false },
  logLevel: 'warn',
});
