import { useId } from 'react';
import { ScrollBox } from '../../components/ScrollBox.js';
import { type LineageGraph as Graph, layout, NODE_HEIGHT, NODE_WIDTH } from './graph.js';

const kindLabel = { version: 'model version', dataset: 'dataset', code: 'training code' } as const;

/** The lineage as an SVG graph; version nodes are links to their pages. */
export function LineageGraph({ graph, focus }: { readonly graph: Graph; readonly focus: string }) {
  const titleId = useId();
  const { nodes, width, height } = layout(graph);
  const at = new Map(nodes.map((node) => [node.id, node]));
  return (
    <ScrollBox label="Lineage graph" className="graph-scroll">
      <svg
        className="lineage-graph"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        aria-labelledby={titleId}
      >
        <title id={titleId}>Lineage graph: inputs on the left, derived versions to the right</title>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="graph-arrow" />
          </marker>
        </defs>
        {graph.edges.map((edge) => {
          const from = at.get(edge.from);
          const to = at.get(edge.to);
          if (!from || !to) return null;
          const x1 = from.x + NODE_WIDTH;
          const y1 = from.y + NODE_HEIGHT / 2;
          const x2 = to.x - 2;
          const y2 = to.y + NODE_HEIGHT / 2;
          const bend = Math.max(30, (x2 - x1) / 2);
          return (
            <path
              key={`${edge.from}->${edge.to}`}
              className="graph-edge"
              d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`}
              markerEnd="url(#arrow)"
            />
          );
        })}
        {nodes.map((node) => {
          const box = (
            <g
              key={node.id}
              className={`graph-node node-${node.kind} ${node.id === focus ? 'node-focus' : ''} ${node.status ? `node-${node.status}` : ''}`}
            >
              <rect x={node.x} y={node.y} width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} />
              <text x={node.x + 12} y={node.y + 21} className="node-label">
                {clip(node.label, 28)}
              </text>
              <text x={node.x + 12} y={node.y + 39} className="node-detail">
                {kindLabel[node.kind]} · {clip(node.detail, 24)}
              </text>
              <title>{`${kindLabel[node.kind]}: ${node.label} (${node.detail})`}</title>
            </g>
          );
          return node.kind === 'version' && node.model ? (
            <a
              key={node.id}
              href={`#/models/${encodeURIComponent(node.model)}/versions/${node.version}`}
              aria-label={`${node.label}, ${node.detail}`}
            >
              {box}
            </a>
          ) : (
            <g key={node.id}>{box}</g>
          );
        })}
      </svg>
    </ScrollBox>
  );
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
