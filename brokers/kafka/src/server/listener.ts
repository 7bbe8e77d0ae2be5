// The TCP listener of one broker instance: binds, tracks every connection, and closes them all on stop so that
// nothing of the instance outlives it.
import { createServer, type Server, type Socket } from 'node:net';
import type { Cluster } from '../state/cluster';
import { Connection } from './connection';

export class Listener {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();

  constructor(cluster: Cluster) {
    this.server = createServer((socket: Socket) => {
      const conn = new Connection(socket, cluster);
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    });
  }

  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        if (addr === null || typeof addr === 'string')
          return reject(new Error('listener has no TCP address'));
        resolve({ host, port: addr.port });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const c of this.connections) c.close();
      this.connections.clear();
    });
  }
}
