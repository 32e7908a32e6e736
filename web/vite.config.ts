import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The server (jingzhun serve) serves dist/ and the API on one origin; in development, vite
// forwards /api to a running server.
export default defineConfig({
  plugins: [vue()],
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  test: { environment: 'jsdom' },
});
