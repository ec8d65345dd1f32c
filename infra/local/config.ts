import { resolve } from 'node:path';
import { parseOrigins } from '#shared/http/cors.ts';

/** Settings of the local stack, from the environment; see the README's configuration table. */
export const localConfig = {
  port: Number(process.env.PORT ?? 3000),
  dynamoDbPort: Number(process.env.DYNAMODB_PORT ?? 8000),
  dataDir: resolve(process.env.MARKETPLACE_DATA_DIR ?? '.data'),
  tableName: process.env.TABLE_NAME ?? 'marketplace',
  corsAllowOrigins: parseOrigins(process.env.CORS_ALLOW_ORIGINS ?? '*'),
};
