import { defineConfig } from 'vitest/config';
export default defineConfig({
  server: {
    allowedHosts: true,
    host: process.env.VITE_DEV_SERVER_HOST ?? '127.0.0.1',
    port: 8010,
