import { describe, expect, it } from 'vitest';
import { can, type Principal, scopeCovers } from './access.js';

const principal = (bindings: Principal['bindings']): Principal => ({ id: 1, name: 'p', kind: 'user', bindings });

describe('roles and scopes', () => {
  it('covers every model, one model, or a project of models', () => {
    expect(scopeCovers('*', 'nlp.ranker')).toBe(true);
    expect(scopeCovers('nlp.ranker', 'nlp.ranker')).toBe(true);
    expect(scopeCovers('nlp.*', 'nlp.ranker')).toBe(true);
    expect(scopeCovers('nlp.*', 'nlp.embeddings.v2')).toBe(true);
    expect(scopeCovers('nlp.*', 'nlpx.ranker')).toBe(false);
    expect(scopeCovers('nlp.*', 'nlp')).toBe(false);
    expect(scopeCovers('nlp.*', undefined)).toBe(false);
    expect(scopeCovers('ranker', 'ranker2')).toBe(false);
  });

  it('keeps register, approve, promote and delete apart', () => {
    const publisher = principal([{ scope: 'vision.*', role: 'publisher' }]);
    expect(can(publisher, 'model:register', 'vision.detector')).toBe(true);
    expect(can(publisher, 'model:register', 'nlp.ranker')).toBe(false);
    for (const permission of ['model:approve', 'model:promote', 'model:delete', 'admin'] as const) {
      expect(can(publisher, permission, 'vision.detector')).toBe(false);
    }
    const approver = principal([{ scope: '*', role: 'approver' }]);
    expect(can(approver, 'model:approve', 'x')).toBe(true);
    expect(can(approver, 'model:promote', 'x')).toBe(true);
    expect(can(approver, 'model:register', 'x')).toBe(false);
    expect(can(approver, 'model:delete', 'x')).toBe(false);
    const admin = principal([{ scope: 'vision.*', role: 'admin' }]);
    expect(can(admin, 'model:delete', 'vision.detector')).toBe(true);
    expect(can(admin, 'admin')).toBe(false); // account administration needs the admin role on every model
  });
});
