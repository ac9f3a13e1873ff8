/** LLM red-teaming against an OpenAI-compatible endpoint, graded offline by deterministic detectors. */
export type { LlmAssessOptions } from './assess.js';
export { assessLlm, defaultMaxResponseBytes } from './assess.js';
export { ChatError } from './client.js';
export type { JudgeOptions } from './judge.js';
export { defaultSystemPrompt, plantSecrets } from './planted.js';
export { llmProbes } from './probes/index.js';
export { refusalPatterns } from './refusals.js';
export { llmRules } from './rules.js';
export type { TargetConfig } from './target.js';
export { chatCompletionsUrl, configTools, loadTarget, parseHeaders, TargetError } from './target.js';
export type { ToolDefinition } from './tools.js';
export { defaultTools } from './tools.js';
export type { LlmFamily, PlantedSecrets, Probe, ProbeResult, ProbeStatus } from './types.js';
export { llmFamilies } from './types.js';
