import { BrandingProvider, type BrandingSettings } from './providers/branding';
