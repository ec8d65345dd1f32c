import { parseArgs } from 'node:util';
import { isRole, roles } from '#shared/domain/caller.ts';
import { localConfig } from './config.ts';
import { createLocalIdentity, loadOrCreateSigningKey } from './identity.ts';
import { signingKeyFile } from './stack.ts';

const usage = `Usage: npm run --silent token -- <role>[,<role>...] <userId> [--ttl seconds]
Prints a token the local gateway accepts. Roles: ${roles.join(', ')}.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { ttl: { type: 'string', default: String(12 * 3600) } },
});
const [roleList, userId] = positionals;
const requested = roleList?.split(',') ?? [];
const ttlSeconds = Number(values.ttl);

if (
  !userId ||
  requested.length === 0 ||
  !requested.every(isRole) ||
  !Number.isInteger(ttlSeconds) ||
  ttlSeconds <= 0
) {
  console.error(usage);
  process.exit(2);
}
const identity = await createLocalIdentity(await loadOrCreateSigningKey(signingKeyFile(localConfig.dataDir)));
console.log(await identity.issueToken({ userId, roles: requested.filter(isRole), ttlSeconds }));
