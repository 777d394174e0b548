import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a local port that a test can cut: `cut()` drops every open connection and
 * refuses new ones, as a database host that went away; `restore()` lets connections through again.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  private frozen = false;

  private constructor(
    private readonly targetPort: number,
    public port: number,
  ) {}

  /** Listens on a free port (`port`) and forwards to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, 0);
    await proxy.listen();
    return proxy;
  }

  get cutOff(): boolean {
    return this.server === null;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // A reset on one side ends both; the error itself is the point, not a test failure.
        socket.on('error', () => (socket === client ? upstream : client).destroy());
      }
      // Forwarded by hand, so that `freeze` can drop what passes without closing anything.
      client.on('data', (data) => this.frozen || upstream.write(data));
      upstream.on('data', (data) => this.frozen || client.write(data));
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) this.port = address.port;
        resolve();
      });
    });
  }

  /** Drops every connection (both ends see a reset) and refuses new ones until `restore()`. */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    await closed;
  }

  /** Open connections go silent: nothing passes either way and nothing is closed, as in a network partition. */
  freeze(): void {
    this.frozen = true;
  }

  /** Accepts connections again, on the same port. */
  async restore(): Promise<void> {
    if (this.server) return;
    await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
