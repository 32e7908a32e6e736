import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The server (jingzhun serve) serves dist/ and the API on one origin; in development, vite
// forwards /api to a running server.
export default defineConfig({
  plugins: [vue()],
  // vue-i18n compiles messages without eval (new Function), which the server's CSP forbids.
  define: { __INTLIFY_JIT_COMPILATION__: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  test: { environment: 'jsdom' },
});
