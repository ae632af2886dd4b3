import { defineConfig } from 'vite';
import viteTsconfigPaths from 'vite-tsconfig-paths';
  server: {
    port: 3000,
    port: 3000,
