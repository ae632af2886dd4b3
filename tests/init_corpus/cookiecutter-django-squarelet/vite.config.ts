import { defineConfig } from "vite";
  server: {
    port: 4200, // must be a port other than 5173
    host: true,
