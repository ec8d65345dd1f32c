import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.health, async () => ({ status: 200, body: { status: 'ok' } }));
