// Keys never reach a command (DESIGN §5). Removing a variable from process.env does not change what
// /proc/<pid>/environ shows — the kernel reads the process's original environment block — so any
// command the agent runs as the same user could read the key there. After reading the key, ARC
// overwrites its value in that block in place (through /proc/self/mem, which a process may always
// write for itself) and checks /proc/self/environ. Inside the sandbox a command cannot see ARC's
// /proc at all (a PID namespace); this covers unsandboxed commands the user approves.
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

export interface HideKeysResult {
  /** Variables whose values were found and overwritten. */
  hidden: string[];
  /** False when a value could still be read from /proc/self/environ afterwards. */
  verified: boolean;
  /** Why it could not be done (other platforms need nothing: their environ is not readable this way). */
  skipped?: string;
}

/** Removes `names` from process.env and overwrites their values in this process's environment block. */
export function hideKeysFromProc(names: readonly string[]): HideKeysResult {
  const present = [...new Set(names)].filter((n) => process.env[n] !== undefined);
  const values = present.map((n) => process.env[n]!).filter((v) => v.length > 0);
  for (const n of present) delete process.env[n];
  if (process.platform !== 'linux') return { hidden: [], verified: true, skipped: `not needed on ${process.platform}` };
  if (present.length === 0) return { hidden: [], verified: true };
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm) ": index 0 is field 3 (state); env_start and env_end are fields 50 and 51.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(f[47]);
    const end = Number(f[48]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start || end - start > 16 * 1024 * 1024) {
      return { hidden: [], verified: false, skipped: 'the environment block could not be located' };
    }
    const fd = openSync('/proc/self/mem', 'r+');
    const hidden: string[] = [];
    try {
      const block = Buffer.alloc(end - start);
      readSync(fd, block, 0, block.length, start);
      for (const name of present) {
        const prefix = Buffer.from(`${name}=`);
        for (let i = 0; i < block.length; ) {
          let j = block.indexOf(0, i);
          if (j < 0) j = block.length;
          if (block.subarray(i, i + prefix.length).equals(prefix) && j - i > prefix.length) {
            const blank = Buffer.alloc(j - i - prefix.length, 0x2a /* '*' */);
            writeSync(fd, blank, 0, blank.length, start + i + prefix.length);
            if (!hidden.includes(name)) hidden.push(name);
          }
          i = j + 1;
        }
      }
    } finally {
      closeSync(fd);
    }
    const now = readFileSync('/proc/self/environ');
    const verified = values.every((v) => !now.includes(Buffer.from(v)));
    return { hidden, verified };
  } catch (e) {
    return { hidden: [], verified: false, skipped: (e as Error).message };
  }
}
