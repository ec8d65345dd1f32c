import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiFileContent } from '#functions/routes/openapi-document.ts';

// Writes the OpenAPI document GET /openapi.json serves; a unit test fails while it differs from the route table's.
const file = join(import.meta.dirname, '..', '..', 'functions', 'system', 'openapi.json');
writeFileSync(file, openApiFileContent());
console.log(`Wrote ${file}`);
