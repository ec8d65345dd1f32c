import { parseArgs } from 'node:util';
import { isRole, roles } from '#shared/domain/caller.ts';
import { localConfig } from './config.ts';
import { createLocalIdentity, loadOrCreateSigningKey } from './identity.ts';
import { signingKeyFile } from './stack.ts';
import { LocalUserDirectory, userDirectoryFile } from './user-directory.ts';

const usage = `Usage: npm run --silent token -- <role>[,<role>...] <userId> [--ttl seconds] [--email address]
Prints a token the local gateway accepts, and records the user's address (by default
<userId>@users.marketplace.localhost) for the mail they are sent. Roles: ${roles.join(', ')}.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { ttl: { type: 'string', default: String(12 * 3600) }, email: { type: 'string' } },
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
const identity = await createLocalIdentity(
  await loadOrCreateSigningKey(signingKeyFile(localConfig.dataDir)),
  new LocalUserDirectory(userDirectoryFile(localConfig.dataDir)),
);
console.log(
  await identity.issueToken({
    userId,
    roles: requested.filter(isRole),
    ttlSeconds,
    ...(values.email ? { email: values.email } : {}),
  }),
);
