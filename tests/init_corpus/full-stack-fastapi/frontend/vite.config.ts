import { defineConfig } from "vite"
