// What the local servers of verify share: listening on 127.0.0.1 with a random port, tracking requests in
// flight, and closing without cutting a request (a transaction half applied, above all) short.
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  port: number;
  /** Register a request's work so close() waits for it. */
  track(work: Promise<void>): void;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: http.Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const inflight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    track(work) {
      inflight.add(work);
      void work.finally(() => inflight.delete(work));
    },
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        while (inflight.size) await Promise.allSettled([...inflight]);
        server.closeAllConnections();
        await closed;
      })()),
  };
}

/** The whole request body. */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
