// The CommentApi over GitHub's REST API (issue comments: a pull request is an issue) and GraphQL (minimizeComment),
// with @octokit/core and its pagination plugin. Retries 5xx answers, network failures and rate limits with backoff
// (the sleep is injectable so tests do not wait); every other failure becomes one HostError that says what to fix.
// The token goes into the Authorization header and nowhere else: no message, log or error carries it.
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import type { CommentApi, HostedComment } from './commentApi.js';
import { HostError } from './commentApi.js';

export interface GithubTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  /** REST base, e.g. https://api.github.com or https://ghe.example.com/api/v3 (GraphQL is derived from it). */
  apiUrl: string;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Waits this long; tests pass a function that records and returns at once. */
  sleep: (ms: number) => Promise<void>;
  /** A rate limit that resets later than this is reported, not waited for. */
  maxWaitMs: number;
  /** Current time, for x-ratelimit-reset. */
  now: () => number;
  /** Told before each retry (the CLI prints it to stderr). */
  onRetry?: (message: string) => void;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 3,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  maxWaitMs: 120_000,
  now: () => Date.now(),
};

interface HttpFailure {
  status: number;
  message: string;
  headers: Record<string, string | undefined>;
  /** No answer at all (octokit reports it as a 500 without a response). */
  unreachable: boolean;
}

/** Octokit's RequestError, read by shape (status, response headers) so no internal package is imported. */
function asHttpFailure(e: unknown): HttpFailure | undefined {
  const err = e as { status?: unknown; message?: unknown; response?: { headers?: Record<string, string | undefined>; data?: unknown } };
  if (typeof err?.status !== 'number') return undefined;
  const data = err.response?.data as { message?: unknown; errors?: Array<{ message?: string } | string> } | undefined;
  const detail = [typeof data?.message === 'string' ? data.message : String(err.message ?? ''), ...(data?.errors ?? []).map((x) => (typeof x === 'string' ? x : x.message ?? ''))].filter(Boolean).join('; ');
  return { status: err.status, message: detail, headers: err.response?.headers ?? {}, unreachable: !err.response };
}

const isRateLimited = (f: HttpFailure) =>
  f.status === 429 || ((f.status === 403 || f.status === 429) && (f.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(f.message)));

/** How long to wait before the next attempt, or undefined when this failure is not worth retrying. */
function backoffMs(f: HttpFailure, attempt: number, policy: RetryPolicy): number | undefined {
  const exponential = 1000 * 2 ** attempt;
  if (isRateLimited(f)) {
    const retryAfter = Number(f.headers['retry-after']);
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
    const reset = Number(f.headers['x-ratelimit-reset']);
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - policy.now());
    return exponential * 30; // secondary limits without headers: GitHub asks for at least a minute
  }
  if (f.status >= 500) return exponential;
  return undefined;
}

/** The message for a failure that retrying does not fix; `action` says what the bot was doing. */
export function describeFailure(f: HttpFailure, action: string, target: GithubTarget): string {
  const where = `${target.owner}/${target.repo}#${target.pullNumber}`;
  if (f.unreachable) return `Could not reach the GitHub API at ${target.apiUrl} to ${action} (${f.message}); it retried with backoff. Check --api-url / GITHUB_API_URL and the network.`;
  const said = f.message ? ` (GitHub said: ${f.message})` : '';
  if (f.status === 401) return `GitHub rejected the token while trying to ${action} (401)${said}: check that GITHUB_TOKEN holds a valid, unexpired token.`;
  if (f.status === 403 && isRateLimited(f)) return `GitHub's rate limit stopped the bot while trying to ${action} (${f.status})${said}; it resets at ${resetTime(f)}. Run the job again later.`;
  if (f.status === 403) {
    const fork = /not accessible by integration/i.test(f.message)
      ? ' A pull request from a fork gets a read-only GITHUB_TOKEN under the pull_request event: the comment cannot be written from there (see the README on pull_request_target).'
      : '';
    return `The token may not ${action} on ${where} (403)${said}: it needs the pull-requests: write permission (workflow: permissions: pull-requests: write; a fine-grained token: Pull requests read and write).${fork}`;
  }
  if (f.status === 404) return `GitHub found no ${where} while trying to ${action} (404)${said}: check --repo and --pr (or GITHUB_REPOSITORY and the event), --api-url for GitHub Enterprise, and that the token can see the repository.`;
  if (f.status === 422) return `GitHub refused to ${action} (422 validation failed)${said}.`;
  if (f.status >= 500) return `GitHub kept failing while the bot tried to ${action} (${f.status})${said}; it retried with backoff. Run the job again later.`;
  return `GitHub answered ${f.status} while the bot tried to ${action}${said}.`;
}

function resetTime(f: HttpFailure): string {
  const reset = Number(f.headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : 'a later time';
}

interface RestComment {
  id: number;
  node_id: string;
  body?: string | null;
  html_url: string;
}

const toComment = (c: RestComment): HostedComment => ({ id: c.id, nodeId: c.node_id, body: c.body ?? '', url: c.html_url });

export function githubCommentApi(target: GithubTarget, token: string, policy: RetryPolicy = defaultRetryPolicy): CommentApi {
  const Client = Octokit.plugin(paginateRest);
  const quiet = () => undefined;
  const octokit = new Client({ auth: token, baseUrl: target.apiUrl.replace(/\/+$/, ''), log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options);
      } catch (e) {
        const f = asHttpFailure(e);
        const wait = f && attempt < policy.retries ? backoffMs(f, attempt, policy) : undefined;
        if (!f || wait === undefined || wait > policy.maxWaitMs) throw e;
        policy.onRetry?.(`${f.unreachable ? 'GitHub did not answer' : `GitHub answered ${f.status}${isRateLimited(f) ? ' (rate limit)' : ''}`}; retrying in ${Math.ceil(wait / 1000)} s`);
        await policy.sleep(wait);
      }
    }
  });
  const { owner, repo, pullNumber } = target;
  const call = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      const f = asHttpFailure(e);
      if (f) throw new HostError(describeFailure(f, action, target));
      const graphqlErrors = (e as { errors?: Array<{ type?: string; message?: string }> }).errors;
      if (Array.isArray(graphqlErrors)) {
        const forbidden = graphqlErrors.some((x) => x.type === 'FORBIDDEN');
        throw new HostError(`GitHub refused to ${action}: ${graphqlErrors.map((x) => x.message).join('; ')}${forbidden ? ' (the token needs the pull-requests: write permission)' : ''}.`);
      }
      throw e;
    }
  };
  return {
    list: () =>
      call('list the pull request comments', async () => {
        const all = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: pullNumber, per_page: 100 });
        return (all as RestComment[]).map(toComment);
      }),
    create: (body) =>
      call('create a pull request comment', async () => toComment((await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: pullNumber, body })).data as RestComment)),
    update: (id, body) =>
      call('update the pull request comment', async () => toComment((await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id, body })).data as RestComment)),
    remove: (id) =>
      call('delete the old pull request comment', async () => {
        await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id });
      }),
    hide: (comment) =>
      call('hide the old pull request comment', async () => {
        await octokit.graphql('mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }', { id: comment.nodeId });
      }),
  };
}
