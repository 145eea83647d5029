// The bundled test-only `canon` (see extra-main.ts).
import { extraMain } from './extra-main';

process.exitCode = await extraMain(process.argv.slice(2));
