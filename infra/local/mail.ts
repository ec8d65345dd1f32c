import { parseArgs } from 'node:util';
import { localConfig } from './config.ts';
import { MailSink, mailDirectoryIn } from './mail-sink.ts';

const usage = `Usage: npm run --silent mail -- [--to address] [--last N] [--show]
Lists the mail the local stack sent (newest last); --show prints each message's text too.`;

const { values } = parseArgs({
  options: {
    to: { type: 'string' },
    last: { type: 'string', default: '20' },
    show: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
const last = Number(values.last);
if (values.help || !Number.isInteger(last) || last <= 0) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const sink = new MailSink(mailDirectoryIn(localConfig.dataDir));
const messages = (await sink.messages())
  .filter((mail) => !values.to || mail.to.includes(values.to))
  .slice(-last);
if (messages.length === 0) console.log(`No mail in ${sink.directory} yet.`);
for (const mail of messages) {
  console.log(`${mail.at}  ${mail.to.join(', ')}  ${mail.subject}`);
  if (values.show) console.log(`\n${mail.text ?? '(no text part)'}\n`);
}
