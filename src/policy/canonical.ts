import { createHash } from 'node:crypto';

export { canonicalJson } from '../contracts/index.js';

export function sha256Digest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
