/**
 * The load generator's HTTP/1.1 client: keep-alive connections that each carry one request at a time (no
 * pipelining, as a browser's beacons), requests encoded to bytes before the clock starts, responses read only as far
 * as the status and Content-Length. The benchmark's load generator shares the machine's 2 cores with the pipeline it
 * measures; autocannon and node:http spent 130–160 µs of CPU per request there, this client a fraction of that.
 */
import net from 'node:net';

/** The request bytes of a POST with these headers and body (Content-Length and Host added). */
export function encodeRequest(host: string, path: string, headers: Record<string, string>, body: Buffer): Buffer {
  let head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  head += `Content-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CLOSE = /\r\nconnection:[ \t]*close/i;

/** One keep-alive connection; `request` must not be called again before its promise settles. */
export class RawConnection {
  private readonly socket: net.Socket;
  private readonly connected: Promise<void>;
  private buf: Buffer | null = null;
  private pending: { resolve: (status: number) => void; reject: (err: Error) => void } | null = null;
  /** The server closed (or asked to close) the connection: make a new one. */
  closed = false;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Sends one encoded request; resolves with the response's status code once its whole body has arrived. */
  async request(bytes: Buffer): Promise<number> {
    await this.connected;
    if (this.closed) throw new Error('connection closed');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    const end = this.buf.indexOf(HEAD_END);
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, end);
    const length = CONTENT_LENGTH.exec(head);
    if (!length) return this.fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
    const total = end + 4 + Number(length[1]);
    if (this.buf.length < total) return;
    this.buf = this.buf.length > total ? this.buf.subarray(total) : null;
    if (CLOSE.test(head)) this.close();
    const p = this.pending;
    this.pending = null;
    p?.resolve(Number(head.slice(9, 12)));
  }

  private fail(err: Error): void {
    this.closed = true;
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }
}

/** Connections to one server, at most `max` at once; `request` waits for a free one (as http.Agent's maxSockets). */
export class RawPool {
  private readonly idle: RawConnection[] = [];
  private readonly waiting: ((c: RawConnection) => void)[] = [];
  private open = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly max: number,
  ) {}

  async request(bytes: Buffer): Promise<number> {
    const conn = await this.take();
    try {
      return await conn.request(bytes);
    } finally {
      this.give(conn);
    }
  }

  close(): void {
    for (const c of this.idle.splice(0)) c.close();
  }

  private take(): Promise<RawConnection> {
    const c = this.idle.pop();
    if (c) return Promise.resolve(c);
    if (this.open < this.max) {
      this.open++;
      return Promise.resolve(new RawConnection(this.host, this.port));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(c: RawConnection): void {
    let conn = c;
    if (conn.closed) {
      this.open--;
      if (this.waiting.length === 0) return;
      this.open++;
      conn = new RawConnection(this.host, this.port);
    }
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }
}
