// A terminal for approver tests: answers each y/N question as it is asked, like a person, and keeps
// everything shown so a test can check what the prompt really said.
import { PassThrough } from 'node:stream';

export function terminal(answers: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => {
    shown += c.toString();
    if (/\[y\/N\] $/.test(shown) && answers.length) input.write(`${answers.shift()}\n`);
  });
  return { io: { input, output }, shown: () => shown };
}
