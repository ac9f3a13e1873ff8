export type { Access, AppDeps } from './app.js';
export { createApp } from './app.js';
