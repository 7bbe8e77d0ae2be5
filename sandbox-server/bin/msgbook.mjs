#!/usr/bin/env node
// The `msgbook` command: builds what is missing or stale (the first start builds, a later one is ready at once),
// then runs the bundled CLI. See sandbox-server/src/cli/main.ts for the commands.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { ensureBuilt } = await import(pathToFileURL(path.join(root, 'scripts', 'build.mjs')).href);
await ensureBuilt({ web: process.argv[2] === 'start' });
const { main } = await import(pathToFileURL(path.join(root, 'sandbox-server', 'dist', 'msgbook.js')).href);
await main(process.argv.slice(2));
