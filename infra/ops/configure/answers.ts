import type { Readable, Writable } from 'node:stream';

/** The operator pressed Ctrl-C at a prompt. */
export class Interrupted extends Error {
  constructor() {
    super('Interrupted');
    this.name = 'Interrupted';
  }
}

/** Where answers come from: a terminal, where they are typed unseen, or a pipe, one line each. */
export interface Answers {
  /** The answer to `question`, trimmed; empty when none was given. */
  ask(question: string): Promise<string>;
}

/** A terminal's input: raw mode turns its echo (and its line editing) off. */
type TerminalInput = Readable & { readonly isTTY: true; setRawMode(raw: boolean): unknown };

const isTerminal = (input: Readable): input is TerminalInput =>
  (input as { isTTY?: boolean }).isTTY === true &&
  typeof (input as { setRawMode?: unknown }).setRawMode === 'function';

const enter = new Set(['\r', '\n']);
const ctrlC = '\u0003';
const ctrlD = '\u0004';
const erase = new Set(['\u007f', '\b']);

/**
 * Reads one answer from a terminal in raw mode, so what is typed or pasted is never echoed (as
 * `sudo` or `ssh` ask for passwords). The question goes to `prompts`, never the answer.
 */
function askUnseen(input: TerminalInput, prompts: Writable, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (settle: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompts.write('\n');
      settle();
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (enter.has(char) || (char === ctrlD && answer === '')) return finish(() => resolve(answer.trim()));
        if (char === ctrlC) return finish(() => reject(new Interrupted()));
        if (erase.has(char)) answer = answer.slice(0, -1);
        // Other control characters (arrow keys' escapes) are no part of a key.
        else if (char >= ' ') answer += char;
      }
    };
    // Echo off before the question shows: whatever is typed once it shows stays unseen.
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
    prompts.write(question);
  });
}

/** The lines of a piped input, read whole at the first question: the answers in the questions' order. */
function pipedLines(input: Readable): () => Promise<string[]> {
  let lines: Promise<string[]> | undefined;
  return () => {
    lines ??= (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
    })();
    return lines;
  };
}

/**
 * The operator's answers: typed unseen at a terminal (questions on `prompts`), or, when `input` is
 * piped, its lines in the questions' order, with no question shown. Never from the command line,
 * where values would stay in the shell's history and show in the process list.
 */
export function answersFrom(input: Readable, prompts: Writable): Answers {
  if (isTerminal(input)) return { ask: (question) => askUnseen(input, prompts, question) };
  const lines = pipedLines(input);
  let next = 0;
  return {
    async ask() {
      const line = (await lines())[next] ?? '';
      next += 1;
      return line.trim();
    },
  };
}
