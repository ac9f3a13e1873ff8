import { createHashRouter, Link, Navigate } from 'react-router';
import { LoginPage } from './auth/LoginPage.js';
import { PageHeader } from './components/Panel.js';
import { RequireSession } from './layout/RequireSession.js';
import { AuditPage } from './pages/audit/AuditPage.js';
import { DecisionsPage, ModelDecisionsPage } from './pages/decisions/DecisionsPage.js';
import { FindingsPage } from './pages/findings/FindingsPage.js';
import { IncidentPage } from './pages/incidents/IncidentPage.js';
import { IncidentsPage } from './pages/incidents/IncidentsPage.js';
import { LineagePage } from './pages/lineage/LineagePage.js';
import { ModelPage } from './pages/models/ModelPage.js';
import { ModelsPage } from './pages/models/ModelsPage.js';
import { VersionPage } from './pages/models/VersionPage.js';

/**
 * Hash routing (`/#/models/…`): the server serves one document at `/`, and no dashboard path can
 * ever collide with an API route. The monitoring page, with its chart library, loads on first use.
 */
export const router = createHashRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireSession />,
    children: [
      { index: true, element: <Navigate to="/models" replace /> },
      { path: 'models', element: <ModelsPage /> },
      { path: 'models/:name', element: <ModelPage /> },
      { path: 'models/:name/versions/:number', element: <VersionPage /> },
      { path: 'models/:name/versions/:number/findings', element: <FindingsPage /> },
      { path: 'models/:name/lineage', element: <LineagePage /> },
      {
        path: 'models/:name/monitoring',
        lazy: async () => ({ Component: (await import('./pages/monitoring/MonitoringPage.js')).MonitoringPage }),
      },
      { path: 'models/:name/decisions', element: <ModelDecisionsPage /> },
      { path: 'decisions', element: <DecisionsPage /> },
      { path: 'incidents', element: <IncidentsPage /> },
      { path: 'incidents/:id', element: <IncidentPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing here. <Link to="/models">Go to the models</Link>.
      </p>
    </>
  );
}
