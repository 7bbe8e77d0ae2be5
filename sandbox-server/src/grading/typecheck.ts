// TypeScript's findings on a submission, from the type-checking child (typecheck-main.ts), as warnings for the
// results. Failing to type-check is never a reason to fail grading: it yields no warnings.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { TypeWarning } from '@msgbook/protocol';
import type { LearnerFile } from '../runner/transpile';

function entry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return { file: path.join(path.dirname(here), 'typecheck-main.ts'), execArgv: ['--import', 'tsx'] };
  return { file: path.join(path.dirname(here), 'typecheck.js'), execArgv: [] };
}

export async function typeWarnings(files: LearnerFile[], timeoutMs = 30_000): Promise<TypeWarning[]> {
  const { file, execArgv } = entry();
  const child = spawn(process.execPath, [...execArgv, file], { stdio: ['pipe', 'pipe', 'ignore'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stdin.end(JSON.stringify({ files }));
  await new Promise((r) => child.on('close', r));
  clearTimeout(timer);
  return z.array(TypeWarning).parse(JSON.parse(out));
}
