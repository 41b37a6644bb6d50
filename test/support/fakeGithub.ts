// A GitHub API on 127.0.0.1 for the PR bot's tests: the issue-comment REST endpoints (list with Link-header
// pagination, create, update, delete) and GraphQL minimizeComment, with payloads shaped like GitHub's. Every request
// is recorded; `failures` answers the next requests with canned errors first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  user: { login: string; id: number; node_id: string; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
  author_association: string;
  body: string;
  minimized: boolean;
}

export interface Recorded {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

export interface CannedFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class FakeGithub {
  readonly comments: FakeComment[] = [];
  readonly requests: Recorded[] = [];
  readonly failures: CannedFailure[] = [];
  private server?: Server;
  private nextId = 1_000_000;
  url = '';

  constructor(
    private readonly token: string,
    readonly owner = 'acme',
    readonly repo = 'shop',
    readonly pull = 7,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  /** Adds a comment as if someone had written it earlier. */
  seed(body: string, login = 'someone'): FakeComment {
    const id = this.nextId++;
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, id % 60)).toISOString();
    const c: FakeComment = {
      id,
      node_id: `IC_kwDOA${id.toString(36)}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${this.pull}#issuecomment-${id}`,
      issue_url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${this.pull}`,
      user: { login, id: 41898282, node_id: 'MDM6Qm90NDE4OTgyODI=', type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: now,
      updated_at: now,
      author_association: 'NONE',
      body,
      minimized: false,
    };
    this.comments.push(c);
    return c;
  }

  /** Requests that change something. */
  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const failure = this.failures.shift();
    if (failure) return send(failure.status, failure.body, failure.headers);
    if (req.headers.authorization !== `token ${this.token}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });

    const base = `/repos/${this.owner}/${this.repo}`;
    const list = `${base}/issues/${this.pull}/comments`;
    const one = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(url.pathname);
    const shown = (c: FakeComment) => {
      const { minimized: _hidden, ...rest } = c;
      return rest;
    };
    if (req.method === 'GET' && url.pathname === list) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(this.comments.length / perPage));
      const link = (p: number, rel: string) => `<${this.url}${list}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      return send(200, this.comments.slice((page - 1) * perPage, page * perPage).map(shown), links.length ? { link: links.join(', ') } : {});
    }
    if (req.method === 'POST' && url.pathname === list) {
      if (typeof body?.['body'] !== 'string') return send(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', status: '422' });
      return send(201, shown(this.seed(body['body'], 'github-actions[bot]')));
    }
    if (one && (req.method === 'PATCH' || req.method === 'DELETE')) {
      const i = this.comments.findIndex((c) => c.id === Number(one[1]));
      if (i < 0) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      if (req.method === 'DELETE') {
        this.comments.splice(i, 1);
        res.writeHead(204).end();
        return;
      }
      const c = this.comments[i]!;
      c.body = String(body?.['body'] ?? '');
      c.updated_at = new Date(Date.UTC(2026, 0, 2)).toISOString();
      return send(200, shown(c));
    }
    if (req.method === 'POST' && url.pathname === '/graphql') {
      const id = (body?.['variables'] as { id?: string } | undefined)?.id;
      const c = this.comments.find((x) => x.node_id === id);
      if (!String(body?.['query']).includes('minimizeComment') || !c) {
        return send(200, { data: { minimizeComment: null }, errors: [{ type: 'NOT_FOUND', path: ['minimizeComment'], message: `Could not resolve to a node with the global id of '${id}'` }] });
      }
      c.minimized = true;
      return send(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }
}
