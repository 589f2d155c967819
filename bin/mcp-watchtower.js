#!/usr/bin/env node
/* global process */
// Launcher: runs the TypeScript CLI through tsx (a runtime dependency), so `npx mcp-watchtower`
// works from a checkout and from an installed package alike.
import { tsImport } from 'tsx/esm/api';

const { runCli } = await tsImport('../functions/cli/main.ts', import.meta.url);
process.exitCode = await runCli(process.argv.slice(2));
