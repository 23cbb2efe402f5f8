import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Served by the API process under /console/ (src/http/static-console.ts reads dist/web).
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  logLevel: 'warn',
});
