import { httpHandler } from '#shared/http/handler.ts';
import { buildOpenApi } from '#shared/http/openapi.ts';
import { routeList, routes } from '../routes.ts';

const document = buildOpenApi(routeList, { title: 'Marketplace API', version: '0.1.0' });

export const handler = httpHandler(routes.openApi, async () => ({ status: 200, body: document }));
