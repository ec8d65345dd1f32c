/** Reading `cdk deploy -c name=value` settings, each checked with an error naming the setting. */
import type { App } from 'aws-cdk-lib';

export function context(app: App, name: string, fallback: string | number | boolean): string {
  return String(app.node.tryGetContext(name) ?? fallback);
}

export function booleanContext(app: App, name: string, fallback: boolean): boolean {
  const value = context(app, name, fallback);
  if (value !== 'true' && value !== 'false')
    throw new Error(`Context ${name} must be true or false, got ${value}`);
  return value === 'true';
}

export function countContext(app: App, name: string, fallback: number, min: number): number {
  const value = Number(context(app, name, fallback));
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `Context ${name} must be a whole number of at least ${min}, got ${context(app, name, fallback)}`,
    );
  }
  return value;
}

export function rangeContext(
  app: App,
  name: string,
  fallback: number,
  min: number,
  max: number,
  unit: string,
): number {
  const text = context(app, name, fallback);
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`Context ${name} must be a whole number of ${unit} from ${min} to ${max}, got ${text}`);
  }
  return value;
}

/** A context value given as text, or undefined when absent or empty (`-c name=` switches it off). */
export function optionalContext(app: App, name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || String(value).trim() === ''
    ? undefined
    : String(value).trim();
}

/** What SES and Cognito accept: printable ASCII before the @, a domain with a dot after it. */
const emailAddress = /^[\x21-\x3f\x41-\x7e]+@[^@\s]+\.[^@\s.]+$/;

export function emailAddressContext(
  app: App,
  name: string,
  what: string,
  example: string,
): string | undefined {
  const value = optionalContext(app, name);
  if (value !== undefined && !emailAddress.test(value)) {
    throw new Error(`Context ${name} must be ${what}, such as ${example}, got ${value}`);
  }
  return value;
}
