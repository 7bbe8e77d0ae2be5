// TypeScript's findings on a submission, as warnings for the results, from a warm type-checking child
// (typecheck-main.ts) that the grader keeps for its lifetime. Failing to type-check is never a reason to fail
// grading: it yields no warnings.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { TypeWarning } from '@msgbook/protocol';
import { childEntry } from '../config';
import type { LearnerFile } from '../runner/transpile';

const Reply = z.object({ id: z.number(), warnings: z.array(TypeWarning) });

export class TypeChecker {
  private child?: ChildProcess;
  private nextId = 1;
  private pending = new Map<number, (w: TypeWarning[]) => void>();

  private start(): ChildProcess {
    if (this.child && this.child.exitCode === null) return this.child;
    const { file, execArgv } = childEntry(new URL('./typecheck-main.ts', import.meta.url), 'typecheck');
    const child = spawn(process.execPath, [...execArgv, file], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const reply = Reply.safeParse(JSON.parse(line));
      if (!reply.success) return;
      this.pending.get(reply.data.id)?.(reply.data.warnings);
      this.pending.delete(reply.data.id);
    });
    child.on('exit', () => {
      for (const resolve of this.pending.values()) resolve([]);
      this.pending.clear();
    });
    this.child = child;
    return child;
  }

  check(files: LearnerFile[], timeoutMs = 30_000): Promise<TypeWarning[]> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve([]);
      }, timeoutMs);
      this.pending.set(id, (w) => {
        clearTimeout(timer);
        resolve(w);
      });
      child.stdin!.write(JSON.stringify({ id, files }) + '\n');
    });
  }

  stop(): void {
    this.child?.kill();
  }
}
