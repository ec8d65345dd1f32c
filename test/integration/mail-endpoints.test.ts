import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authorize, accessDenied } from '#infra/local/aws/authorization.ts';
import { startCognitoEndpoint } from '#infra/local/aws/cognito-endpoint.ts';
import type { LocalEndpoint } from '#infra/local/aws/json-protocol.ts';
import { localSesArn, localUserPoolArn } from '#infra/local/aws/resource-kinds.ts';
import { startSesEndpoint } from '#infra/local/aws/ses-endpoint.ts';
import { MailSink } from '#infra/local/mail-sink.ts';
import { LocalUserDirectory } from '#infra/local/user-directory.ts';
import { SesMailer } from '#shared/notifications/mailer.ts';
import { UserDirectory } from '#shared/notifications/user-directory.ts';

const notifier = 'NotifierFunction';
const sender = 'orders@shop.example';
const allowed = new Set([
  `ses:SendEmail ${localSesArn('identity', 'shop.example')}`,
  `ses:SendEmail ${localSesArn('configuration-set', 'mail')}`,
  `cognito-idp:AdminGetUser ${localUserPoolArn('pool-1')}`,
  `cognito-idp:ListUsersInGroup ${localUserPoolArn('pool-1')}`,
]);
const authorize: Authorize = (accessKeyId, action, resource) => {
  if (accessKeyId !== notifier || !allowed.has(`${action} ${resource}`))
    throw accessDenied(accessKeyId, action, resource);
};

const clientConfig = (endpoint: LocalEndpoint, accessKeyId = notifier) => ({
  endpoint: endpoint.url,
  region: 'us-east-1',
  credentials: { accessKeyId, secretAccessKey: 'local' },
});

let ses: LocalEndpoint;
let cognito: LocalEndpoint;
let sink: MailSink;
const users = new LocalUserDirectory();

beforeAll(async () => {
  sink = new MailSink(join(await mkdtemp(join(tmpdir(), 'mail-')), 'mail'));
  ses = await startSesEndpoint({ authorize, sink });
  cognito = await startCognitoEndpoint({ authorize, users });
  users.register({ userId: 'u-ann', email: 'ann@example.com', roles: ['buyer'] });
  users.register({ userId: 'u-ada', email: 'ada@example.com', roles: ['admin', 'finance'] });
});
afterAll(() => Promise.all([ses.stop(), cognito.stop()]));

const email = { subject: 'Hello', text: 'Plain', html: '<p>Rich</p>' };

describe('the local SES, reached by the real client', () => {
  it('captures what the notifier sends from an address whose domain its role may send from', async () => {
    const mailer = new SesMailer(new SESv2Client(clientConfig(ses)), sender, 'mail');
    const id = await mailer.send('ann@example.com', email);
    const [captured] = await sink.messages();
    expect(captured).toMatchObject({
      id,
      from: sender,
      to: ['ann@example.com'],
      configurationSet: 'mail',
      ...email,
    });
  });

  it('refuses a sender, a configuration set or a caller the role does not allow', async () => {
    const refusals = [
      new SesMailer(new SESv2Client(clientConfig(ses)), 'x@elsewhere.example', 'mail'),
      new SesMailer(new SESv2Client(clientConfig(ses)), sender, 'other'),
      new SesMailer(new SESv2Client(clientConfig(ses, 'OtherFunction')), sender, 'mail'),
    ];
    for (const mailer of refusals) {
      await expect(mailer.send('ann@example.com', email)).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    }
    expect(await sink.messages()).toHaveLength(1);
  });
});

describe('the local Cognito, reached by the real client', () => {
  it("answers a user's address, none for a stranger, and a group's members", async () => {
    const directory = new UserDirectory(new CognitoIdentityProviderClient(clientConfig(cognito)), 'pool-1');
    expect(await directory.emailOf('u-ann')).toBe('ann@example.com');
    expect(await directory.emailOf('u-nobody')).toBeUndefined();
    expect(await directory.membersOf('admin')).toEqual([{ userId: 'u-ada', email: 'ada@example.com' }]);
  });

  it('refuses another pool', async () => {
    const other = new UserDirectory(new CognitoIdentityProviderClient(clientConfig(cognito)), 'pool-2');
    await expect(other.emailOf('u-ann')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
