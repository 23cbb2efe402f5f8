import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Served by the API process under /console/ (src/http/static-console.ts reads dist/web); the chat page's
// assets share that folder.
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Two pages: the console, and the debtor's chat page that /p/<token> serves (src/http/routes/chat-routes.ts).
    rollupOptions: { input: { console: join(here, 'index.html'), chat: join(here, 'chat.html') } },
  },
  logLevel: 'warn',
});
