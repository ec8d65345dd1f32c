import { buildOpenApi } from '#shared/http/openapi.ts';
import { routeList } from '../routes.ts';

/** The API's OpenAPI document, from the route table: what `npm run openapi` writes to functions/system/openapi.json. */
export const openApiDocument = () => buildOpenApi(routeList, { title: 'Marketplace API', version: '0.1.0' });

/** The document as the file holds it. */
export const openApiFileContent = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
