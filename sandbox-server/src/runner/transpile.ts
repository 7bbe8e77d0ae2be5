// Learner TypeScript → an ES module Node runs, with an inline source map so stack traces name the learner's own
// file and lines (design.md §4). esbuild strips types only; type errors are never fatal here.
import { transform, type Message } from 'esbuild';

export type TranspileResult = { ok: true; code: string } | { ok: false; message: string };

export async function transpile(source: string, fileName: string): Promise<TranspileResult> {
  try {
    const out = await transform(source, {
      loader: 'ts',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: fileName,
      sourcesContent: false,
    });
    return { ok: true, code: out.code };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors) throw err;
    return { ok: false, message: errors.map((e) => formatMessage(e, fileName)).join('\n') };
  }
}

function formatMessage(m: Message, fileName: string): string {
  if (!m.location) return `${fileName}: error: ${m.text}`;
  const { line, column, lineText } = m.location;
  const caret = ' '.repeat(column) + '^';
  return `${fileName}:${line}:${column + 1}: error: ${m.text}\n  ${lineText}\n  ${caret}`;
}
