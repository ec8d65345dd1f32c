import { StripeApiError } from './errors.ts';

const unauthorized = (message: string) =>
  new StripeApiError(401, { type: 'invalid_request_error', message }, false);

/** Checks the secret key, sent as Bearer (the SDK) or as the Basic user name (`curl -u sk_…:`). */
export function authenticate(secretKey: string, authorization: string | undefined): void {
  const [scheme = '', credentials = ''] = (authorization ?? '').split(' ');
  const key =
    scheme.toLowerCase() === 'basic'
      ? Buffer.from(credentials, 'base64').toString().split(':')[0]
      : scheme.toLowerCase() === 'bearer'
        ? credentials
        : undefined;
  if (!key) {
    throw unauthorized(
      'You did not provide an API key. You need to provide your API key in the Authorization header, ' +
        "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (key !== secretKey) {
    throw unauthorized(`Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`);
  }
}
