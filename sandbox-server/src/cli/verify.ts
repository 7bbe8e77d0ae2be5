// `msgbook verify`: the content check CI runs (design.md §1). For now: every chapter loads and every snippet meets
// its declared `expect` on the chosen target. Exit code 0 when all is well, 1 otherwise.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Target } from '@msgbook/protocol';
import { BrokerHost } from '../brokers/host';
import { ChapterStore } from '../content/chapters';
import { verifySnippets } from '../verify/snippets';
import { REPO_ROOT } from '../config';

export async function runVerify(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { target: { type: 'string' }, content: { type: 'string' }, chapter: { type: 'string' } },
  });
  const target = Target.parse(values.target ?? process.env.MSGBOOK_TARGET ?? 'embedded');
  const store = new ChapterStore(
    path.join(values.content ? path.resolve(values.content) : REPO_ROOT, 'chapters'),
  );
  const host = target === 'embedded' ? new BrokerHost() : undefined;
  await host?.start();
  try {
    const { verdicts, problems } = await verifySnippets(store, {
      target,
      host,
      only: values.chapter,
      onVerdict(v) {
        const name = `${v.chapter}/${v.snippet}`;
        if (v.skipped) return console.log(`- ${name}  (skipped: ${v.skipped})`);
        console.log(
          `${v.ok ? '✓' : '✗'} ${name}  (${(v.durationMs / 1000).toFixed(1)} s)${v.ok ? '' : `: ${v.why}`}`,
        );
        if (!v.ok) console.log(indent(lastLines(v.output, 15)));
      },
    });
    for (const p of problems) console.log(`✗ ${p.path}: ${p.message}`);
    const failed = verdicts.filter((v) => !v.ok).length + problems.length;
    const ran = verdicts.filter((v) => !v.skipped).length;
    console.log(
      `\nverify (${target}): ${ran - verdicts.filter((v) => !v.ok).length}/${ran} snippets meet their expect` +
        (problems.length ? `, ${problems.length} content problems` : ''),
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    await host?.stop();
  }
}

function lastLines(s: string, n: number): string {
  return s.trimEnd().split('\n').slice(-n).join('\n');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
