import { defineConfig, loadEnv } from "vite";
    server: {
      port: Number(envVars.VITE_APP_PORT || 3000),
    // We need to specify the envDir since now there are no
    envDir: "../",
        hostname: "https://excalidraw.com",
