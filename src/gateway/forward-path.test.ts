import { describe, expect, it } from 'vitest';
import { forwardedPath } from './forward-path.js';

describe('forwardedPath', () => {
  it('keeps what follows the model, as sent, without the query', () => {
    expect(forwardedPath('/ranker/ranker:predict?v=1', '/:model/*')).toBe('ranker:predict');
    expect(forwardedPath('/gateway/ranker/v2/a%20b/c', '/gateway/:model/*')).toBe('v2/a%20b/c');
    expect(forwardedPath('/ranker/', '/:model/*')).toBe('');
    expect(forwardedPath('/ranker/a%2Fb', '/:model/*')).toBe('a%2Fb');
    expect(forwardedPath('/ranker/..data/x.y/...', '/:model/*')).toBe('..data/x.y/...');
  });

  it.each([
    '/ranker/../other/infer',
    '/ranker/x/../../admin',
    '/ranker/./x',
    '/ranker/%2e%2e/other/infer',
    '/ranker/%2E%2E/other',
    '/ranker/..%2fother/infer',
    '/ranker/..%5cother',
    '/ranker/x\\..\\admin',
    '/ranker/%2e%2e%2f%2e%2e%2fadmin',
    '/ranker/..',
    '/ranker/bad%zzencoding',
  ])('refuses %s', (url) => {
    expect(forwardedPath(url, '/:model/*')).toBeUndefined();
  });
});
