/** Robustness of a classifier under random noise and black-box evasion attacks, as an assessment report. */
export type { RobustnessOptions } from './assess.js';
export { assessRobustness, robustnessDefaults } from './assess.js';
export type { CurvePoint } from './curves.js';
export { robustnessCurves } from './curves.js';
export type { DataSource } from './dataset.js';
export type { EndpointOptions } from './endpoint.js';
export { RobustnessError } from './errors.js';
export { robustnessTable } from './render.js';
export type { RobustnessRuleId } from './rules.js';
export { robustnessRules } from './rules.js';
export type { AttackName } from './suite.js';
export { attackNames, evasionAttacks } from './suite.js';
