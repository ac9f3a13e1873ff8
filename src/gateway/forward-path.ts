/**
 * The part of a request's path the gateway forwards: what follows `/{model}/`, exactly as the caller
 * sent it (still percent-encoded, so the model server decodes it once, as it would a direct call).
 *
 * Refused (undefined): a path with a `.` or `..` segment, in any encoding (`%2e%2e`, `..%2f`, a
 * backslash), and a path whose percent-encoding is malformed. The model's upstream address is a base
 * path on a model server that often serves other models too (`/v2/models/{name}/…`), and a server that
 * resolves dot segments would take `/ranker/../other/infer` to a model the caller's key may not call.
 *
 * `routeUrl` is the route as registered, with any prefix (`/gateway/:model/*` when mounted), which
 * says how many segments come before the forwarded part.
 */
export function forwardedPath(url: string, routeUrl: string): string | undefined {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const skip = routeUrl.split('/').indexOf(':model') + 1;
  const rest = path.split('/').slice(skip).join('/');
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  for (const segment of decoded.split(/[/\\]/)) if (segment === '.' || segment === '..') return undefined;
  return rest;
}
