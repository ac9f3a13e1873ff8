import type { Me } from '../api/types.js';

/**
 * What each role grants, as the server's access table defines it (src/registry/access.ts). The
 * dashboard uses it only to hide or disable actions the user may not take; the server decides.
 */
const grants: Readonly<Record<string, readonly string[]>> = {
  reader: ['model:read'],
  publisher: ['model:read', 'model:register'],
  approver: ['model:read', 'model:approve', 'model:promote', 'incident:manage'],
  admin: [
    'model:read',
    'model:register',
    'model:approve',
    'model:promote',
    'model:delete',
    'artifact:read-quarantined',
    'incident:manage',
    'admin',
  ],
};

export type Permission =
  | 'model:read'
  | 'model:register'
  | 'model:approve'
  | 'model:promote'
  | 'model:delete'
  | 'incident:manage'
  | 'admin';

/** Whether a binding's scope covers `model`: `*`, the model itself, or its project `<project>.*`. */
function covers(scope: string, model: string | undefined): boolean {
  if (scope === '*') return true;
  if (model === undefined) return false;
  if (scope.endsWith('.*')) return model.startsWith(scope.slice(0, -1));
  return scope === model;
}

/** Whether the signed-in principal holds `permission` (on `model`, or on every model). */
export function may(me: Me, permission: Permission, model?: string): boolean {
  if (me.permissions.includes(permission)) return true;
  return me.bindings.some((binding) => grants[binding.role]?.includes(permission) && covers(binding.scope, model));
}
