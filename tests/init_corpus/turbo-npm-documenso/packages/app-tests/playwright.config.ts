import { defineConfig, devices } from '@playwright/test';
import dotenv from 'dotenv';
const ENV_FILES = ['.env', '.env.local', `.env.${process.env.NODE_ENV || 'development'}`];
  maxFailures: process.env.CI ? 1 : undefined,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 4 : 1,
    baseURL: process.env.NEXT_PUBLIC_WEBAPP_URL || 'http://localhost:3000',
  //   reuseExistingServer: !process.env.CI,
