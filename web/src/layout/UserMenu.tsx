import { useEffect, useId, useRef, useState } from 'react';
import { useSession } from '../auth/session.js';
import { ThemePicker } from './ThemePicker.js';

/** Who am I: the principal, its role bindings and permissions, the theme, and signing out. */
export function UserMenu() {
  const { me, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const roles = me.bindings.map(
    (binding) => `${binding.role} on ${binding.scope === '*' ? 'all models' : binding.scope}`,
  );
  return (
    <div className="usermenu" ref={root}>
      <button
        ref={button}
        type="button"
        className="usermenu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {me.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="usermenu-name">{me.name}</span>
        <span className="sr-only">: account menu</span>
      </button>
      <div id={panelId} className="usermenu-panel" hidden={!open}>
        <p className="usermenu-who">
          Signed in as <strong>{me.name}</strong> <span className="muted">({me.kind})</span>
        </p>
        <h2 className="usermenu-heading">Roles</h2>
        {roles.length ? (
          <ul className="plain-list">
            {roles.map((role) => (
              <li key={role}>{role}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">No roles: ask an administrator for access.</p>
        )}
        <h2 className="usermenu-heading">May do on every model</h2>
        <p className="usermenu-permissions">{me.permissions.length ? me.permissions.join(', ') : 'nothing'}</p>
        <ThemePicker />
        <button type="button" className="button button-block" onClick={() => signOut('You signed out.')}>
          Sign out
        </button>
      </div>
    </div>
  );
}
