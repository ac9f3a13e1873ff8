import type { FrameworkRefs } from '../contracts/index.js';
import { dataCatalog, defaultDetectors } from '../data/index.js';
import { rules as scanRules } from '../scan/index.js';
import { emptyRefs, type FrameworkId, frameworkIds, frameworks } from './controls.js';
import { mappings as findingMappings, type Mapping } from './mapping-data.js';
import { policyRuleMappings } from './policy-rule-mappings.js';

/** The drift engine's rule ids (it has no catalog of its own). */
export const driftRuleIds = ['drift.column', 'drift.dataset', 'drift.multivariate'] as const;

export interface ProductRule {
  readonly id: string;
  readonly engine: 'scan' | 'data' | 'drift';
  readonly category: string;
}

let catalog: Map<string, ProductRule> | undefined;

function productCatalog(): Map<string, ProductRule> {
  if (!catalog) {
    catalog = new Map();
    for (const [id, info] of Object.entries(scanRules))
      catalog.set(id, { id, engine: 'scan', category: info.category });
    for (const [id, info] of Object.entries(dataCatalog(defaultDetectors)))
      catalog.set(id, { id, engine: 'data', category: info.category });
    for (const id of driftRuleIds) catalog.set(id, { id, engine: 'drift', category: 'drift' });
  }
  return catalog;
}

/** Every rule id the engines report, with the category their catalogs give it. */
export function productRules(): ProductRule[] {
  return [...productCatalog().values()];
}

export const allMappings: readonly Mapping[] = [...findingMappings, ...policyRuleMappings];

function matches(selector: string, ruleId: string): boolean {
  const category = /^(scan|data):(.+)$/.exec(selector);
  if (category) {
    const rule = productCatalog().get(ruleId);
    return rule !== undefined && rule.engine === category[1] && rule.category === category[2];
  }
  if (selector.endsWith('.*')) return ruleId.startsWith(selector.slice(0, -1));
  return selector === ruleId;
}

/** The mappings that cover a rule id. */
export function mappingsFor(ruleId: string): Mapping[] {
  return allMappings.filter((mapping) => mapping.rules.some((selector) => matches(selector, ruleId)));
}

/** The controls a rule id maps to, merged over all its mappings, in catalog order. */
export function frameworksFor(ruleId: string, override?: Partial<FrameworkRefs>): FrameworkRefs {
  const found = new Map<FrameworkId, Set<string>>(frameworkIds.map((id) => [id, new Set()]));
  for (const mapping of mappingsFor(ruleId)) {
    for (const id of frameworkIds) for (const control of mapping.frameworks[id] ?? []) found.get(id)!.add(control);
  }
  const refs = emptyRefs();
  for (const id of frameworkIds) {
    const chosen = override?.[id] ?? [...found.get(id)!];
    refs[id] = Object.keys(frameworks[id].controls).filter((control) => chosen.includes(control));
  }
  return refs;
}
