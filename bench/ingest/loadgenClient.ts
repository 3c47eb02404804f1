/** Parent side of the load generator: forks `loadgen.ts` and sends it one command at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadgenReply, LoadgenRequest } from './loadgen.ts';
import { children, REPO_ROOT, TSX_IMPORT } from './stack.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export class LoadgenClient {
  readonly child: ChildProcess;
  private pending: { resolve: (r: LoadgenReply) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    this.child = fork(path.join(HERE, 'loadgen.ts'), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', TSX_IMPORT],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this.child);
    this.child.on('message', (m: LoadgenReply) => {
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (m.kind === 'error') p.reject(new Error(`load generator: ${m.message}`));
      else p.resolve(m);
    });
    this.child.on('exit', (code) => {
      this.pending?.reject(new Error(`load generator exited (${code})`));
      this.pending = null;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  ask<T extends LoadgenReply>(req: LoadgenRequest): Promise<T> {
    if (this.pending) return Promise.reject(new Error('load generator is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve: resolve as (r: LoadgenReply) => void, reject };
      this.child.send(req);
    });
  }
}
