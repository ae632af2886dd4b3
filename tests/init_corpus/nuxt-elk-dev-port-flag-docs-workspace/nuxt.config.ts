import { isCI, isDevelopment, isTest, isWindows } from 'std-env'

export default defineNuxtConfig({
  appConfig: {
    storage: {
      driver: process.env.NUXT_STORAGE_DRIVER ?? (isCI ? 'cloudflare' : 'fs'),
    },
  },
  runtimeConfig: {
    storage: {
      fsBase: 'node_modules/.cache/app',
    },
  },
})
