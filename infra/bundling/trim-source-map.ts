/** `node --import tsx infra/bundling/trim-source-map.ts <index.mjs.map>`: run after each function's bundling. */
import { trimSourceMapFile } from './source-maps.ts';

const [path] = process.argv.slice(2);
if (!path) throw new Error('Usage: trim-source-map.ts <source map file>');
await trimSourceMapFile(path);
