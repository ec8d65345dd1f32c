import { Writable } from 'node:stream';

/** A stream to hand a CLI as its output, and the text written to it so far. */
export function capturedOutput() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}
