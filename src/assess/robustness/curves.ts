import type { Report } from '../../contracts/index.js';
import { type AttackName, attackNames } from './suite.js';

/** One point of a robustness curve: accuracy of an attack at a budget (fraction of the feature range). */
export interface CurvePoint {
  readonly attack: AttackName;
  readonly epsilon: number;
  readonly accuracy: number;
}

/** The robustness curves read back from a report's metrics (for tables and charts). */
export function robustnessCurves(report: Report): CurvePoint[] {
  const metrics = report.metrics ?? {};
  const points: CurvePoint[] = [];
  for (let k = 1; metrics[`epsilon${k}`] !== undefined; k++) {
    for (const attack of attackNames) {
      const accuracy = metrics[`${attack}Accuracy${k}`];
      if (accuracy !== undefined) points.push({ attack, epsilon: metrics[`epsilon${k}`]!, accuracy });
    }
  }
  return points;
}
