import { defineConfig, loadEnv } from "vite";
    server: {
      port: Number(envVars.VITE_APP_PORT || 3000),
        hostname: "https://excalidraw.com",
