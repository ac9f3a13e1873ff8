import { CliError } from './errors.js';

/** A registry server the CLI talks to over HTTP, with a bearer token from the environment. */
export class RegistryClient {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
  ) {}

  static fromFlags(flags: { server: string; tokenEnv: string }, env: NodeJS.ProcessEnv): RegistryClient {
    let url: URL;
    try {
      url = new URL(flags.server);
    } catch {
      throw new CliError('BAD_ARGUMENTS', `--server ${flags.server} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError('BAD_ARGUMENTS', `--server must be an http(s) URL, not ${url.protocol}`);
    }
    return new RegistryClient(url.toString().replace(/\/$/, ''), env[flags.tokenEnv] || undefined);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, { ...init, headers, redirect: 'error' });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new CliError(
        'PATH_UNREADABLE',
        `cannot reach ${this.server}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      );
    }
    if (!response.ok) {
      const body = await response.text();
      let message = body;
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? body;
      } catch {}
      throw new CliError(
        'PATH_UNREADABLE',
        `${init.method ?? 'GET'} ${path}: ${response.status} ${message}`.slice(0, 500),
      );
    }
    return response;
  }

  async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }
}
