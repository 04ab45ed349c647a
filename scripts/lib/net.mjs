// Local networking helpers: free ports and waiting for a server to answer (127.0.0.1 only).
import net from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now (the OS picks it).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * True when something already listens on 127.0.0.1:port.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portInUse(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/**
 * Polls `url` until it answers with any HTTP status (a 503 from /health still means "up").
 * @param {string} url
 * @param {{ timeoutMs?: number, isAlive?: () => boolean }} [opts] isAlive: stop early when the server died
 * @returns {Promise<Response>}
 */
export async function waitForHttp(url, opts = {}) {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (opts.isAlive && !opts.isAlive()) throw new Error(`server exited before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return res;
    } catch (err) {
      last = err instanceof Error ? (err.cause?.code ?? err.message) : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer in time (${last})`);
}
