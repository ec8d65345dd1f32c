import { httpHandler } from '#shared/http/handler.ts';
import { systemRoutes } from '../routes/system.ts';
// Generated from the route table by `npm run openapi` (test/unit/openapi.test.ts keeps it in step), so
// that no cold start converts every route's schemas.
import document from './openapi.json' with { type: 'json' };

export const handler = httpHandler(systemRoutes.openApi, async () => ({ status: 200, body: document }));
