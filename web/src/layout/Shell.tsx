import { type MouseEvent, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { UserMenu } from './UserMenu.js';

const sections = [
  { to: '/models', label: 'Models' },
  { to: '/decisions', label: 'Policy decisions' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/audit', label: 'Audit trail' },
] as const;

/** Every signed-in page: a skip link, the top navigation, the user menu and the page itself. */
export function Shell() {
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);

  // After navigating, keyboard and screen-reader users continue from the new page's content.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);

  // The hash holds the route, so the skip link moves focus itself instead of changing the hash.
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    main.current?.focus();
  };

  return (
    <div className="app">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link by convention; the hash holds the route. */}
      <a className="skip-link" href="#main" onClick={skip}>
        Skip to main content
      </a>
      <header className="topbar">
        <Link to="/models" className="brand" aria-label="mlsecops home">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          mlsecops
        </Link>
        <nav aria-label="Main" className="mainnav">
          <ul>
            {sections.map((section) => (
              <li key={section.to}>
                <NavLink to={section.to}>{section.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <UserMenu />
      </header>
      <main id="main" ref={main} tabIndex={-1} className="content">
        <Outlet />
      </main>
    </div>
  );
}

/** Sets the document title for the page on screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · mlsecops`;
  }, [title]);
}
