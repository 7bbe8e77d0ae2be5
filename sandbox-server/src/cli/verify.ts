// `msgbook verify`: the content check CI runs (design.md §1): every chapter loads and every snippet meets its
// declared `expect` on the chosen target; every exercise's solution passes, starter fails, and wrong submissions
// fail the checks they name. Exit code 0 when all is well, 1 otherwise.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Target } from '@msgbook/protocol';
import { BrokerHost } from '../brokers/host';
import { ChapterStore } from '../content/chapters';
import { ExerciseStore } from '../grading/exercises';
import { verifyExercises } from '../verify/exercises';
import { verifySnippets } from '../verify/snippets';
import { REPO_ROOT } from '../config';

export async function runVerify(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      content: { type: 'string' },
      chapter: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const target = Target.parse(values.target ?? process.env.MSGBOOK_TARGET ?? 'embedded');
  const root = values.content ? path.resolve(values.content) : REPO_ROOT;
  // --only snippets|exercises picks a kind, --only NN-slug (or --chapter NN-slug) a chapter; both combine.
  const kind = values.only === 'snippets' || values.only === 'exercises' ? values.only : undefined;
  const only = values.chapter ?? (kind ? undefined : values.only);
  const host = target === 'embedded' ? new BrokerHost() : undefined;
  await host?.start();
  try {
    const snippets =
      kind === 'exercises'
        ? { verdicts: [], problems: [] }
        : await verifySnippets(new ChapterStore(path.join(root, 'chapters')), {
            target,
            host,
            only,
            onVerdict(v) {
              const name = `${v.chapter}/${v.snippet}`;
              if (v.skipped) return console.log(`- ${name}  (skipped: ${v.skipped})`);
              console.log(
                `${v.ok ? '✓' : '✗'} ${name}  (${(v.durationMs / 1000).toFixed(1)} s)${v.ok ? '' : `: ${v.why}`}`,
              );
              if (!v.ok) console.log(indent(lastLines(v.output, 15)));
            },
          });
    const exercises =
      kind === 'snippets'
        ? { verdicts: [], problems: [] }
        : await verifyExercises(new ExerciseStore(root), {
            target,
            host,
            only,
            onVerdict: (v) =>
              console.log(`${v.ok ? '✓' : '✗'} ${v.exercise}: ${v.what}${v.ok ? '' : `: ${v.why}`}`),
          });
    const problems = [...snippets.problems, ...exercises.problems];
    for (const p of problems) console.log(`✗ ${p.path}: ${p.message}`);
    const bad = (xs: { ok: boolean }[]) => xs.filter((x) => !x.ok).length;
    const ran = snippets.verdicts.filter((v) => !v.skipped).length;
    console.log(
      `\nverify (${target}): ${ran - bad(snippets.verdicts)}/${ran} snippets meet their expect; ` +
        `${exercises.verdicts.length - bad(exercises.verdicts)}/${exercises.verdicts.length} exercise checks hold` +
        (problems.length ? `; ${problems.length} content problems` : ''),
    );
    process.exitCode = bad(snippets.verdicts) + bad(exercises.verdicts) + problems.length ? 1 : 0;
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
