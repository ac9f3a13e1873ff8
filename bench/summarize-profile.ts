// npx tsx bench/summarize-profile.ts <file.cpuprofile> [top]: self time per function, highest first.
// Under tsx, --cpu-prof also writes a profile of its loader thread (*.1.NNN.cpuprofile); take the main one (*.0.NNN).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repoRoot } from './lib/data.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [path, topArg] = process.argv.slice(2);
const limit = Number(topArg ?? 25);
if (!path || !Number.isInteger(limit)) throw new Error('usage: summarize-profile.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const nameOf = new Map(profile.nodes.map((node) => [node.id, label(node)]));
const selfUs = new Map<string, number>();
let totalUs = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  const name = nameOf.get(id) ?? '?';
  selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
  totalUs += delta;
});
console.log(`total sampled: ${(totalUs / 1000).toFixed(0)} ms`);
const top = [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, limit);
for (const [name, us] of top) {
  console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${name}`);
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.startsWith('file://') ? relative(repoRoot, new URL(url).pathname) : url;
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}
