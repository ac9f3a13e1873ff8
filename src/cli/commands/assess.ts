import type { Command } from 'commander';
import { registerAssessExplain } from './assess-explain.js';
import { registerAssessLlm } from './assess-llm.js';
import { registerAssessRobustness } from './assess-robustness.js';
import type { Io } from './shared.js';

/** `mlsecops assess`: behaviour tests before promotion, fully offline, reported as evidence. */
export function registerAssess(program: Command, io: Io): void {
  const assess = program
    .command('assess')
    .description('test how a model behaves: robustness under attack, LLM red-teaming, explanations');
  registerAssessRobustness(assess, io);
  registerAssessLlm(assess, io);
  registerAssessExplain(assess, io);
}
