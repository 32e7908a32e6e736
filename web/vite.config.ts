import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

// The files worth compressing: text. Images, fonts (woff/woff2 are compressed already) and
// archives are served as they are.
const compressible = /\.(js|mjs|css|html|svg|json|txt|xml|map|ico|ttf)$/;

// Writes a .gz (gzip -9) and a .br (brotli, quality 11) beside every compressible file of the
// build, each only when it is smaller than the file; the server sends one of them to a browser that
// accepts it (docs/serving.md).
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'jingzhun-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
        );
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue;
        const data = readFileSync(file);
        const gz = gzipSync(data, { level: 9 });
        const br = brotliCompressSync(data, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: 11,
            [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
            [zlib.BROTLI_PARAM_SIZE_HINT]: statSync(file).size,
          },
        });
        if (gz.length < data.length) writeFileSync(file + '.gz', gz);
        if (br.length < data.length) writeFileSync(file + '.br', br);
      }
    },
  };
}

// The service worker (dist/sw.js, from sw-template.js): the app shell it keeps for the field page
// offline is every file of this build (index.html, scripts, styles, fonts; no source maps), and its
// cache is named after them, so a new build replaces the old cache. Served from the root (scope /)
// without long caching (static_files.cc), so the browser checks for a new worker on every visit.
function fieldWorker(): Plugin {
  let root = '.';
  return {
    name: 'jingzhun-field-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
    },
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map') && f !== 'index.html' && f !== 'sw.js')
        .sort();
      const precache = ['/index.html', ...files.map((f) => '/' + f)];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 16);
      const template = readFileSync(path.resolve(root, 'sw-template.js'), 'utf8');
      const source = template
        .replace('self.__PRECACHE__', JSON.stringify(precache))
        .replace('self.__VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

// Vendor code in chunks of its own, so a new build of the workbench's pages leaves them cached
// (their hashed names change only when the packages do): Vue and its companions, and ECharts
// (loaded only by pages with charts). Element Plus is left to Rollup's own splitting: only the
// components the pages use, in shared chunks named after them (el-table-column-*.js, ...) — a
// manual chunk for it would keep the whole library (Rollup then keeps every component's
// side-effecting `withInstall` call).
function vendorChunk(id: string): string | undefined {
  const m = id.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (!m) return undefined;
  const pkg = m[1];
  if (pkg === 'echarts' || pkg === 'zrender') return 'echarts';
  if (pkg === 'vue' || pkg.startsWith('@vue/') || pkg === 'vue-router' || pkg === 'pinia' || pkg === 'vue-demi' ||
      pkg === 'vue-i18n' || pkg.startsWith('@intlify/'))
    return 'vue';
  return undefined;
}

// The server (jingzhun serve) serves dist/ and the API on one origin; in development, vite
// forwards /api to a running server.
export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components, the v-loading directive and their styles imported where a template
    // uses them (main.ts imports what scripts use: ElMessage, and components made with h()). Not in
    // unit tests: they install Element Plus whole, and Node cannot import its CSS files.
    ...(process.env.VITEST
      ? []
      : [Components({ resolvers: [ElementPlusResolver({ importStyle: 'css', directives: true })], dts: false })]),
    fieldWorker(),
    precompress(),
  ],
  // vue-i18n compiles messages without eval (new Function), which the server's CSP forbids.
  define: { __INTLIFY_JIT_COMPILATION__: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { output: { manualChunks: vendorChunk } },
  },
  test: { environment: 'jsdom' },
});
