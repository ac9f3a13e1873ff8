export type { GatewayConfig, RateLimit } from './config.js';
export { GatewayConfigError, gatewayConfigSchema, loadGatewayConfig, parseGatewayConfig } from './config.js';
export type { GatewayDeps } from './gateway.js';
export { createGateway, jsonDepth } from './gateway.js';
export type { Buckets, Decision } from './limits.js';
export { MemoryBuckets, RedisBuckets } from './limits.js';
export type { PromptHit } from './prompt-rules.js';
export { normalise, promptHits, requestText } from './prompt-rules.js';
