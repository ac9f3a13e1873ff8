import { defaultDetectors } from '../detectors/index.js';
import { type Detector, mayMatch } from '../detectors/types.js';
import { applyMasks, type Mask } from './spans.js';

export interface TextRedaction {
  /** The text with every finding replaced by `[ENTITY]`. */
  readonly text: string;
  /** Entities found, in order, one per replaced span. */
  readonly entities: readonly string[];
}

/**
 * Personal data and secrets in one piece of text (a model's answer, a log line) replaced by
 * `[ENTITY]`, with the dataset scanner's detectors and their default threshold.
 */
export function redactText(
  text: string,
  detectors: readonly Detector[] = defaultDetectors,
  minScore = 0.5,
): TextRedaction {
  const masks: Mask[] = [];
  for (const detector of detectors) {
    if (!mayMatch(detector, text)) continue;
    for (const match of detector.detect(text, {})) {
      if (match.score >= minScore) masks.push({ start: match.start, end: match.end, entity: match.entity });
    }
  }
  masks.sort((a, b) => a.start - b.start);
  return { text: applyMasks(text, masks), entities: masks.map((mask) => mask.entity) };
}
