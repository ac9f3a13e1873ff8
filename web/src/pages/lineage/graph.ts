import type { Lineage, VersionStatus } from '../../api/types.js';

/** A node of the lineage graph: a model version, a dataset (by digest) or training code (by commit). */
export interface LineageNode {
  readonly id: string;
  readonly kind: 'version' | 'dataset' | 'code';
  readonly label: string;
  readonly detail: string;
  readonly model?: string;
  readonly version?: number;
  readonly status?: VersionStatus;
}

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
}

export interface VersionLineage {
  readonly model: string;
  readonly version: number;
  readonly status: VersionStatus;
  readonly lineage: Lineage | undefined;
}

export const versionId = (model: string, version: number) => `v:${model}@${version}`;

/** The graph of versions, their inputs and their parent versions (which may be other models). */
export function buildGraph(versions: readonly VersionLineage[]): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const edge = (from: string, to: string) => edges.set(`${from}->${to}`, { from, to });
  for (const entry of versions) {
    const id = versionId(entry.model, entry.version);
    nodes.set(id, {
      id,
      kind: 'version',
      label: `${entry.model} v${entry.version}`,
      detail: entry.status,
      model: entry.model,
      version: entry.version,
      status: entry.status,
    });
  }
  for (const entry of versions) {
    const to = versionId(entry.model, entry.version);
    for (const dataset of entry.lineage?.datasets ?? []) {
      const id = `d:${dataset.sha256}`;
      if (!nodes.has(id))
        nodes.set(id, { id, kind: 'dataset', label: dataset.name, detail: `sha256 ${dataset.sha256.slice(0, 12)}` });
      edge(id, to);
    }
    for (const code of entry.lineage?.code ?? []) {
      const id = `c:${code.uri}@${code.commit}`;
      const short = code.uri.replace(/^[a-z+]+:\/\//, '').replace(/\.git$/, '');
      if (!nodes.has(id))
        nodes.set(id, { id, kind: 'code', label: short, detail: `commit ${code.commit.slice(0, 10)}` });
      edge(id, to);
    }
    for (const parent of entry.lineage?.parents ?? []) {
      const id = versionId(parent.model, parent.version);
      if (!nodes.has(id))
        nodes.set(id, {
          id,
          kind: 'version',
          label: `${parent.model} v${parent.version}`,
          detail: 'not loaded',
          model: parent.model,
          version: parent.version,
        });
      edge(id, to);
    }
  }
  // Versions with no recorded lineage would float unconnected; the page lists them instead.
  const linked = new Set([...edges.values()].flatMap((entry) => [entry.from, entry.to]));
  return { nodes: [...nodes.values()].filter((node) => linked.has(node.id)), edges: [...edges.values()] };
}

export interface Placed extends LineageNode {
  readonly x: number;
  readonly y: number;
}

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 52;
const LAYER_GAP = 90;
const ROW_GAP = 18;

/**
 * A layered left-to-right layout: versions by their longest chain of parents, inputs one layer
 * before the first version that uses them, then two sweeps ordering each layer by the average
 * position of its neighbours (the barycentre heuristic), which removes most edge crossings.
 */
export function layout(graph: LineageGraph): { nodes: Placed[]; width: number; height: number } {
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const { from, to } of graph.edges) {
    incoming.set(to, [...(incoming.get(to) ?? []), from]);
    outgoing.set(from, [...(outgoing.get(from) ?? []), to]);
  }
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const layer = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 1; // a cycle in bad data: cut it rather than recurse forever
    seen.add(id);
    const parents = (incoming.get(id) ?? []).filter((from) => byId.get(from)?.kind === 'version');
    const value = parents.length ? 1 + Math.max(...parents.map((from) => depth(from, seen))) : 1;
    layer.set(id, value);
    return value;
  };
  for (const node of graph.nodes) if (node.kind === 'version') depth(node.id, new Set());
  for (const node of graph.nodes) {
    if (node.kind === 'version') continue;
    const targets = (outgoing.get(node.id) ?? []).map((to) => layer.get(to) ?? 1);
    layer.set(node.id, targets.length ? Math.min(...targets) - 1 : 0);
  }
  const shift = Math.min(0, ...layer.values());
  const layers: string[][] = [];
  for (const node of graph.nodes) {
    const index = (layer.get(node.id) ?? 0) - shift;
    const ids = layers[index] ?? [];
    ids.push(node.id);
    layers[index] = ids;
  }
  const filled = layers.filter((ids) => ids?.length);
  const position = new Map<string, number>();
  const place = (ids: readonly string[]) => {
    for (const [index, id] of ids.entries()) position.set(id, index);
  };
  for (const ids of filled) place(ids);
  const order = (ids: string[], neighbours: Map<string, string[]>) => {
    const centre = (id: string) => {
      const around = (neighbours.get(id) ?? []).map((other) => position.get(other) ?? 0);
      return around.length ? around.reduce((sum, value) => sum + value, 0) / around.length : (position.get(id) ?? 0);
    };
    ids.sort((a, b) => centre(a) - centre(b));
    place(ids);
  };
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const ids of filled.slice(1)) order(ids, incoming);
    for (const ids of [...filled].reverse().slice(1)) order(ids, outgoing);
  }
  const tallest = Math.max(1, ...filled.map((ids) => ids.length));
  const height = tallest * (NODE_HEIGHT + ROW_GAP) + ROW_GAP;
  const nodes: Placed[] = [];
  filled.forEach((ids, column) => {
    const offset = (height - ids.length * (NODE_HEIGHT + ROW_GAP)) / 2;
    ids.forEach((id, row) => {
      const node = byId.get(id);
      if (node)
        nodes.push({
          ...node,
          x: 16 + column * (NODE_WIDTH + LAYER_GAP),
          y: offset + row * (NODE_HEIGHT + ROW_GAP) + ROW_GAP / 2,
        });
    });
  });
  return { nodes, width: 32 + filled.length * (NODE_WIDTH + LAYER_GAP) - LAYER_GAP, height };
}
