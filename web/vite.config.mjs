// The portal: built by `npm run build` into dist/web and served by the API at /app/ (src/portal/).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/app/',
  // React's automatic JSX runtime through Vite's own oxc transform (no plugin needed).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // No inlined data: URLs, so the Content-Security-Policy can stay 'self' only.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
    // The portal, and GraphiQL (served at /graphiql) with its Monaco workers.
    rollupOptions: {
      // GraphiQL's dependencies mark modules "use client" (for React Server Components; irrelevant here).
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        portal: fileURLToPath(new URL('index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
    },
  },
  server: { port: 5173, proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/auth': 'http://127.0.0.1:4000' } },
});
