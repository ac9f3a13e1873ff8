import { Link } from 'react-router';
import { modelPath } from '../../api/registry.js';
import type { Annotations } from '../../api/types.js';
import { Tag } from '../../components/Badges.js';
import { Fact, Facts } from '../../components/Facts.js';
import { Panel } from '../../components/Panel.js';
import { ScrollBox } from '../../components/ScrollBox.js';
import { Empty } from '../../components/Status.js';

/** What the version says about itself: tags, model card, lineage and metadata (shown as text, never as HTML). */
export function AnnotationsPanel({ name, annotations }: { readonly name: string; readonly annotations: Annotations }) {
  const { tags = [], modelCard, lineage, metadata = {} } = annotations;
  const lineageCount =
    (lineage?.datasets?.length ?? 0) + (lineage?.code?.length ?? 0) + (lineage?.parents?.length ?? 0);
  const empty = tags.length === 0 && !modelCard && lineageCount === 0 && Object.keys(metadata).length === 0;
  return (
    <Panel title="Annotations">
      {empty ? (
        <Empty title="No annotations">
          <p>
            Add tags, a model card and lineage with <code>PATCH /api/v1/models/{name}/versions/:number</code>.
          </p>
        </Empty>
      ) : (
        <Facts>
          <Fact label="Tags" className="cluster">
            {tags.length ? tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : <span className="muted">none</span>}
          </Fact>
          <Fact label="Lineage">
            {lineageCount ? (
              <>
                {lineage?.datasets?.length ?? 0} datasets, {lineage?.code?.length ?? 0} code commits,{' '}
                {lineage?.parents?.length ?? 0} parent models ·{' '}
                <Link to={`/${modelPath(name, '/lineage')}`}>Show the graph</Link>
              </>
            ) : (
              <span className="muted">none recorded</span>
            )}
          </Fact>
          {Object.entries(metadata).map(([key, value]) => (
            <Fact key={key} label={key} className="break">
              {String(value)}
            </Fact>
          ))}
          <Fact label="Model card">
            {modelCard ? (
              <ScrollBox label="Model card" className="model-card">
                <pre>{modelCard}</pre>
              </ScrollBox>
            ) : (
              <span className="muted">none</span>
            )}
          </Fact>
        </Facts>
      )}
    </Panel>
  );
}
