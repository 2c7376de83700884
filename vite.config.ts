import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Libraries change far less often than the app: in chunks of their own, browsers keep them across releases.
const vendorChunks = [
  { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
  {
    name: 'mantine',
    test: /[\\/]node_modules[\\/](@mantine|@floating-ui|@tabler|react-remove-scroll.*)[\\/]/,
    priority: 20,
  },
  { name: 'vendor', test: /[\\/]node_modules[\\/]/, priority: 10 },
];

/**
 * The web UI: index.html at the repository root, sources in src/web, output in dist/web
 * (served by the API server in production). In development, `vite` proxies /api to the server
 * so the session cookie stays same-origin.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    rolldownOptions: { output: { codeSplitting: { groups: vendorChunks } } },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
});
