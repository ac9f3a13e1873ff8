/** Model assurance: robustness under attack, LLM red-teaming and explanations, as evidence reports. */

// explain
export type { ExplainOptions } from './explain/index.js';
export { assessExplain, explainRules } from './explain/index.js';
// llm
export type { LlmAssessOptions } from './llm/index.js';
export { assessLlm, llmRules } from './llm/index.js';
export { argmax, MAX_MODEL_BYTES, OnnxClassifier } from './onnx-model.js';
// robustness
export type { RobustnessOptions } from './robustness/index.js';
export { assessRobustness, robustnessRules } from './robustness/index.js';
