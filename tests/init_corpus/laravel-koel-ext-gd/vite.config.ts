import { defineConfig } from 'vite-plus'
    ...(process.env.VITEST
    server: {
