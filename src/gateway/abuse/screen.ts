import type { FastifyBaseLogger } from 'fastify';
import type { ModelConfig } from '../config.js';
import { judge, type Refusal, type RequestFacts } from '../facts.js';
import { AbuseTracker } from './extraction.js';
import { queryVectors } from './features.js';

/**
 * The abuse detectors of model servers, one tracker per model: each request's query instances are
 * added to the caller's history, and the extraction and probing verdicts follow from it. A tracker is
 * kept across configuration reloads unless the model's detector settings changed.
 */
export class QueryScreen {
  private readonly trackers = new Map<
    string,
    { extraction: object; probing: object; settings: string; tracker: AbuseTracker }
  >();

  private trackerFor(model: string, target: ModelConfig): AbuseTracker | undefined {
    const { extraction, probing } = target.detectors;
    if (extraction.mode === 'off' && probing.mode === 'off') return undefined;
    const known = this.trackers.get(model);
    // The same configuration objects until a reload; only then are the settings compared.
    if (known?.extraction === extraction && known.probing === probing) return known.tracker;
    const settings = JSON.stringify([extraction, probing]);
    if (known?.settings === settings) {
      this.trackers.set(model, { ...known, extraction, probing });
      return known.tracker;
    }
    const tracker = new AbuseTracker(
      extraction.mode === 'off' ? undefined : extraction,
      probing.mode === 'off' ? undefined : probing,
    );
    this.trackers.set(model, { extraction, probing, settings, tracker });
    return tracker;
  }

  /** Records the request's queries under the caller and returns a refusal when a blocking detector fires. */
  screen(target: ModelConfig, json: unknown, facts: RequestFacts, log: FastifyBaseLogger): Refusal | undefined {
    const tracker = this.trackerFor(facts.model, target);
    if (!tracker || facts.key === null) return undefined;
    const { detectors } = target;
    let reading: ReturnType<AbuseTracker['observe']>;
    try {
      reading = tracker.observe(facts.key, queryVectors(json).vectors);
    } catch (error) {
      if (!detectors.failOpen) return { status: 503, error: 'DETECTOR_FAILED', message: 'abuse check failed' };
      log.error({ err: error }, 'abuse check failed; passing (fail-open)');
      return undefined;
    }
    facts.scores = {
      queries: reading.queries,
      nearDuplicates: reading.nearDuplicates,
      ...(reading.extractionW === undefined ? {} : { extractionW: Math.round(reading.extractionW * 1e4) / 1e4 }),
    };
    if (reading.extraction && judge(facts, 'extraction', detectors.extraction.mode)) {
      return {
        status: 403,
        error: 'EXTRACTION_SUSPECTED',
        message: `the queries of ${facts.key} look like model extraction; refused`,
      };
    }
    if (reading.probing && judge(facts, 'probing', detectors.probing.mode)) {
      return {
        status: 403,
        error: 'PROBING_SUSPECTED',
        message: `${facts.key} repeats near-identical queries (membership probing); refused`,
      };
    }
    return undefined;
  }
}
