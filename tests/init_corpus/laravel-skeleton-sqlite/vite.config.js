import { defineConfig } from 'vite';
    server: {
