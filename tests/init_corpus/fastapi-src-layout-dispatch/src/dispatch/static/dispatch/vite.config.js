import { defineConfig } from "vite"
  server: {
    port: 8080,
