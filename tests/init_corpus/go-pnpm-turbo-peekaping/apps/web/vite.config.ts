import { defineConfig, loadEnv } from "vite";
    server: {
