import type { ExpressionProblem } from './cel.js';
import { evidenceShape, shapeAt } from './cel-types.js';

/** One thing wrong with a policy, where it is written. */
export interface PolicyIssue {
  readonly source: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The expression at fault and the part of it the message is about. */
  readonly expression?: { readonly text: string; readonly start: number; readonly end: number };
}

/** Errors of the policy engine, by stable code; a bad policy carries its issues. */
export class PolicyError extends Error {
  constructor(
    readonly code: 'INVALID_POLICY' | 'UNKNOWN_PACK' | 'CONFLICTING_RULES' | 'INVALID_EVIDENCE' | 'UNREADABLE',
    message: string,
    readonly issues: readonly PolicyIssue[] = [],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** `file:line:col: message`, then the expression with a caret under the part at fault. */
export function formatIssue(issue: PolicyIssue): string {
  const head = `${issue.source}:${issue.line}:${issue.column}: ${issue.message}`;
  if (!issue.expression) return head;
  const { text, start, end } = issue.expression;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start);
  const line = text.slice(lineStart, lineEnd);
  const width = Math.max(1, Math.min(end, lineEnd) - start);
  return `${head}\n    ${line}\n    ${' '.repeat(start - lineStart)}^${'~'.repeat(width - 1)}`;
}

export function formatIssues(issues: readonly PolicyIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** A checker message in the words of the evidence: the field that does not exist, and what does. */
export function explainProblem(problem: ExpressionProblem, expression: string): string {
  if (problem.code === 'no_such_key') {
    const field = expression.slice(problem.start, problem.end);
    const receiver = /[A-Za-z_][\w.]*$/.exec(expression.slice(0, Math.max(0, problem.start - 1)))?.[0];
    const shape = receiver ? shapeAt(receiver) : undefined;
    if (receiver && shape?.kind === 'object') {
      const fields = Object.keys(shape.fields);
      const near = closest(field, fields);
      return `no field '${field}' on ${receiver}${near ? ` (did you mean '${near}'?)` : ''}; fields: ${fields.join(', ')}`;
    }
    return `no field '${field}'`;
  }
  if (problem.code === 'unknown_variable') {
    const name = expression.slice(problem.start, problem.end);
    const variables = Object.keys(evidenceShape.fields);
    const near = closest(name, variables);
    return `unknown variable '${name}'${near ? ` (did you mean '${near}'?)` : ''}; variables: ${variables.join(', ')}`;
  }
  return problem.message;
}

/** The candidate within two edits of `word`, if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
