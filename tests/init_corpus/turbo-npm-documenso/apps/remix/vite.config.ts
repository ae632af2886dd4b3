import { defineConfig, normalizePath } from 'vite';
  base: process.env.NEXT_PUBLIC_BASE_PATH ? process.env.NEXT_PUBLIC_BASE_PATH.replace(/\/$/, '') : '/',
  server: {
    port: parseInt(process.env.PORT || '3000', 10),
