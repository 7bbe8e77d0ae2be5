// The type-checking child of the grader, kept warm: it reads requests (one JSON line each: the learner's files),
// checks them with TypeScript's compiler against the real client libraries' types, and answers one JSON line of
// diagnostics. A child, because the checker blocks for a while and the checks beside it measure time; warm, because
// reusing the parsed lib and library declarations turns seconds into a few hundred milliseconds.
import ts from 'typescript';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../config';

// The files appear to live in a folder of the repository, so `kafkajs` & co. resolve from node_modules.
const dir = path.join(REPO_ROOT, '.msgbook', 'typecheck');
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
};
const host = ts.createCompilerHost(options);
const cache = new Map<string, ts.SourceFile>();
let learner = new Map<string, string>();
const readFile = host.readFile.bind(host);
const fileExists = host.fileExists.bind(host);
const getSourceFile = host.getSourceFile.bind(host);
host.readFile = (f) => learner.get(f) ?? readFile(f);
host.fileExists = (f) => learner.has(f) || fileExists(f);
host.getSourceFile = (f, lang, onError, create) => {
  if (learner.has(f)) return ts.createSourceFile(f, learner.get(f)!, lang, true);
  let sf = cache.get(f);
  if (!sf) {
    sf = getSourceFile(f, lang, onError, create);
    if (sf) cache.set(f, sf);
  }
  return sf;
};
let previous: ts.Program | undefined;

function check(files: { name: string; code: string }[]) {
  learner = new Map(files.map((f) => [path.join(dir, f.name), f.code]));
  const program = ts.createProgram([...learner.keys()], options, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && learner.has(d.file.fileName))
    .map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return {
        file: path.basename(d.file!.fileName),
        line: line + 1,
        column: character + 1,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      };
    });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const req = JSON.parse(line) as { id: number; files: { name: string; code: string }[] };
  let warnings: ReturnType<typeof check>;
  try {
    warnings = check(req.files);
  } catch {
    warnings = [];
  }
  process.stdout.write(JSON.stringify({ id: req.id, warnings }) + '\n');
});
