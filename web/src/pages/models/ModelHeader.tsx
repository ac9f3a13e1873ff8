import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { modelPath } from '../../api/registry.js';
import { PageHeader } from '../../components/Panel.js';

/** A model's title, breadcrumbs and the links between its pages. */
export function ModelHeader({
  name,
  title,
  extraCrumbs,
}: {
  readonly name: string;
  readonly title?: ReactNode;
  readonly extraCrumbs?: ReactNode;
}) {
  const base = `/${modelPath(name)}`;
  return (
    <>
      <PageHeader
        title={title ?? name}
        crumbs={
          <ol>
            <li>
              <Link to="/models">Models</Link>
            </li>
            {title ? (
              <li>
                <Link to={base}>{name}</Link>
              </li>
            ) : null}
            {extraCrumbs}
          </ol>
        }
      />
      <nav aria-label={`${name} sections`} className="tabs">
        <NavLink to={base} end>
          Versions and aliases
        </NavLink>
        <NavLink to={`${base}/lineage`}>Lineage</NavLink>
        <NavLink to={`${base}/monitoring`}>Drift and gateway signals</NavLink>
        <NavLink to={`${base}/decisions`}>Policy decisions</NavLink>
      </nav>
    </>
  );
}
