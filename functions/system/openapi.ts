import { httpHandler } from '#shared/http/handler.ts';
import { buildOpenApi } from '#shared/http/openapi.ts';
import { routeList, routes } from '../routes.ts';

/** Built at the first request rather than at init: it builds every schema of the route table. */
let document: ReturnType<typeof buildOpenApi> | undefined;

export const handler = httpHandler(routes.openApi, async () => {
  document ??= buildOpenApi(routeList, { title: 'Marketplace API', version: '0.1.0' });
  return { status: 200, body: document };
});
