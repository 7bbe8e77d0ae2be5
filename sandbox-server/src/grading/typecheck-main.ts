// The type-checking child of the grader: reads the learner's files as JSON on stdin, checks them with TypeScript's
// compiler against the real client libraries' types, and prints the diagnostics as JSON. A child process, because
// the checker blocks for a second or two and the checks beside it measure time.
import ts from 'typescript';
import path from 'node:path';
import { REPO_ROOT } from '../config';

const input = JSON.parse(
  await new Promise<string>((resolve) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d)).on('end', () => resolve(s));
  }),
) as { files: { name: string; code: string }[] };

// The files appear to live in a folder of the repository, so `kafkajs` & co. resolve from node_modules.
const dir = path.join(REPO_ROOT, '.msgbook', 'typecheck');
const sources = new Map(input.files.map((f) => [path.join(dir, f.name), f.code]));
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  allowImportingTsExtensions: true,
};
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
host.readFile = (f) => sources.get(f) ?? readFile(f);
host.fileExists = (f) => sources.has(f) || fileExists(f);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (f, lang, onError, create) =>
  sources.has(f)
    ? ts.createSourceFile(f, sources.get(f)!, lang, true)
    : getSourceFile(f, lang, onError, create);
const program = ts.createProgram([...sources.keys()], options, host);
const warnings = ts
  .getPreEmitDiagnostics(program)
  .filter((d) => d.file && sources.has(d.file.fileName))
  .map((d) => {
    const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    return {
      file: path.basename(d.file!.fileName),
      line: line + 1,
      column: character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
process.stdout.write(JSON.stringify(warnings));
