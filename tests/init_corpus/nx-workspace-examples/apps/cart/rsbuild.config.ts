import { defineConfig } from '@rsbuild/core';
  server: {
    port: 4201,
      url: {
