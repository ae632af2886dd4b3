import { defineConfig } from 'cypress';
