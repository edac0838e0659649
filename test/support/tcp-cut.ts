import * as net from 'node:net';
import { freePort } from './processes';

/**
 * A TCP relay to a server that a test can cut (refusing new connections and breaking open ones,
 * as a network partition or a stopped server would) and restore on the same port.
 */
export type TcpCut = { port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> };

export async function tcpRelay(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpCut> {
  const port = await freePort();
  const open = new Set<net.Socket>();
  let server: net.Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          open.add(s);
          s.on('close', () => open.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const cut = async () => {
    const closing = server;
    server = null;
    for (const s of open) s.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await listen();
  return { port, cut, restore: listen, close: cut };
}
