import type { Location } from '../../contracts/index.js';

/** Where a finding is, in words, for the human formats: member and offset, or row, column and span. */
export function describeLocation(location: Location): string {
  return [
    location.member,
    location.offset !== undefined ? `@${location.offset}` : undefined,
    location.row !== undefined ? `row ${location.row}` : undefined,
    location.column !== undefined ? `column ${JSON.stringify(location.column)}` : undefined,
    location.span ? `chars ${location.span[0]}-${location.span[1]}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}
