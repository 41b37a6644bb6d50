// Puts the rendered body on the pull request according to --behavior, finding the bot's earlier comments by their
// hidden marker. `update` writes nothing when the body is unchanged, so re-running a job does not notify anyone.
import type { CommentApi, HostedComment } from './commentApi.js';

export type Behavior = 'update' | 'new' | 'delete-and-new' | 'hide-and-new';

export interface SyncResult {
  /** What was done, one line per API write (or "unchanged"). */
  actions: string[];
  /** The comment that now carries the body, when there is one. */
  comment?: HostedComment;
}

/**
 * `body` undefined means nothing to report: no new comment, and no stale proposal left in view either: `update`
 * edits the marked comment to `emptyBody`, `delete-and-new` and `hide-and-new` delete or hide the marked comments.
 */
export async function syncComment(api: CommentApi, marker: string, body: string | undefined, behavior: Behavior, emptyBody: string): Promise<SyncResult> {
  const mine = (await api.list()).filter((c) => c.body.includes(marker));
  const latest = mine.at(-1);
  const actions: string[] = [];
  if (body === undefined && behavior === 'update' && latest) {
    if (latest.body === emptyBody) return { actions: [`unchanged: ${latest.url}`], comment: latest };
    const comment = await api.update(latest.id, emptyBody);
    return { actions: [`updated ${comment.url} (nothing to report any more)`], comment };
  }
  if (body !== undefined && behavior !== 'new' && latest && latest.body === body) return { actions: [`unchanged: ${latest.url}`], comment: latest };
  if (body !== undefined && behavior === 'update' && latest) {
    const comment = await api.update(latest.id, body);
    return { actions: [`updated ${comment.url}`], comment };
  }
  for (const c of behavior === 'delete-and-new' || behavior === 'hide-and-new' ? mine : []) {
    if (behavior === 'delete-and-new') await api.remove(c.id);
    else await api.hide(c);
    actions.push(`${behavior === 'delete-and-new' ? 'deleted' : 'hid'} ${c.url}`);
  }
  if (body === undefined) return { actions: [...actions, 'nothing to report: no new comment'] };
  const comment = await api.create(body);
  actions.push(`created ${comment.url}`);
  return { actions, comment };
}

/** Wraps an API so that it only reads: every write is described instead of made (`--dry-run`). */
export function dryRunApi(read: CommentApi | undefined, log: (line: string) => void): CommentApi {
  const pretend = (id: number, body: string): HostedComment => ({ id, nodeId: '', body, url: id ? `comment ${id}` : 'a new comment' });
  return {
    list: async () => {
      if (!read) {
        log('would list the pull request comments (no token: assuming there are none)');
        return [];
      }
      const all = await read.list();
      log(`listed ${all.length} pull request comment${all.length === 1 ? '' : 's'}`);
      return all;
    },
    create: async (body) => {
      log(`would create a comment (${body.length} characters)`);
      return pretend(0, body);
    },
    update: async (id, body) => {
      log(`would update comment ${id} (${body.length} characters)`);
      return pretend(id, body);
    },
    remove: async (id) => log(`would delete comment ${id}`),
    hide: async (c) => log(`would hide comment ${c.id} (GraphQL minimizeComment, OUTDATED)`),
  };
}
