import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { RenderedEmail } from './render.ts';

/** Sends rendered notifications from the marketplace's verified address, through Amazon SES v2. */
export class SesMailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly sender: string,
    /** The configuration set every message is sent with: its suppression list and event destinations. */
    private readonly configurationSet: string,
  ) {}

  async send(to: string, email: RenderedEmail): Promise<string | undefined> {
    const { MessageId } = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.sender,
        Destination: { ToAddresses: [to] },
        ConfigurationSetName: this.configurationSet,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return MessageId;
  }
}
