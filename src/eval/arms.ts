// Arms (DESIGN §6.6): the policies an eval compares. An arm names the settings it fixes — a mode
// (`auto`, `instant`, `reasoning`, `agentic`: A²FM's table), `effort:R` (e1's curve), `scale:on|off`
// (SCALE's), `spawn:on|off` (APR's) — joined with `+` (`reasoning+effort:0.5`); whatever an arm does
// not fix comes from the command line's base settings. A comma list runs several arms, and a bare
// value continues the previous arm's last setting: `effort:0.25,0.5,1,2` is four arms.
import { MAX_EFFORT, MIN_EFFORT } from '../core/config/effortRange';
import type { RequestedMode } from '../core/run/events';
import type { RunRequest } from '../core/run/request';

export interface ArmSpec {
  /** Canonical name (`reasoning+effort:0.5`): the arm's id in results.jsonl and summary.json. */
  name: string;
  mode?: RequestedMode;
  effort?: number;
  scale?: 'on' | 'off';
  spawn?: boolean;
}

/** What an arm does not fix: the command line's (or the editor's) settings. */
export interface ArmBase {
  mode: RequestedMode;
  effort: number;
  scale: 'auto' | 'on' | 'off';
  spawn: boolean;
  maxChildren?: number;
}

/** Auto against the three forced modes (A²FM), plus an effort sweep (e1) around auto's r = 1. */
export const DEFAULT_ARMS = 'auto,instant,reasoning,agentic,effort:0.25,0.5,2';
export const MAX_ARMS = 32;

export class ArmSpecError extends Error {}

const MODES: readonly RequestedMode[] = ['auto', 'instant', 'reasoning', 'agentic'];

/** Parses an arms list; throws ArmSpecError with a message for the person who typed it. */
export function parseArms(spec: string): ArmSpec[] {
  const out: ArmSpec[] = [];
  let previous: { parts: string[]; key: string } | undefined;
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (token === '') throw new ArmSpecError(`--arms "${spec}" has an empty entry.`);
    let parts: string[];
    if (!token.includes(':') && !token.includes('+') && !(MODES as readonly string[]).includes(token)) {
      // A bare value: the previous arm again with its last setting changed.
      if (!previous) throw new ArmSpecError(`--arms: "${token}" is not an arm (auto, instant, reasoning, agentic, effort:R, scale:on|off, spawn:on|off, joined with +).`);
      parts = [...previous.parts.slice(0, -1), `${previous.key}:${token}`];
    } else {
      parts = token.split('+').map((p) => p.trim());
    }
    const arm = armOf(parts);
    if (out.some((a) => a.name === arm.name)) throw new ArmSpecError(`--arms names ${arm.name} twice.`);
    out.push(arm);
    const last = parts[parts.length - 1]!;
    previous = { parts, key: last.includes(':') ? last.slice(0, last.indexOf(':')) : 'mode' };
  }
  if (out.length === 0) throw new ArmSpecError('--arms names no arm.');
  if (out.length > MAX_ARMS) throw new ArmSpecError(`--arms names ${out.length} arms; at most ${MAX_ARMS}.`);
  return out;
}

function armOf(parts: string[]): ArmSpec {
  const arm: Omit<ArmSpec, 'name'> = {};
  const names: string[] = [];
  for (const part of parts) {
    const [key, value, extra] = part.split(':');
    const dup = (k: Exclude<keyof ArmSpec, 'name'>) => {
      if (arm[k] !== undefined) throw new ArmSpecError(`--arms: "${parts.join('+')}" sets ${k === 'mode' ? 'the mode' : k} twice.`);
    };
    if (extra !== undefined) throw new ArmSpecError(`--arms: "${part}" has too many colons.`);
    if (value === undefined || key === 'mode') {
      const mode = value ?? key!;
      if (!(MODES as readonly string[]).includes(mode)) throw new ArmSpecError(`--arms: "${part}" is not a mode (auto, instant, reasoning, agentic).`);
      dup('mode');
      arm.mode = mode as RequestedMode;
      names.push(mode);
    } else if (key === 'effort') {
      const r = Number(value);
      if (value.trim() === '' || !Number.isFinite(r) || r < MIN_EFFORT || r > MAX_EFFORT) throw new ArmSpecError(`--arms: effort takes a number from ${MIN_EFFORT} to ${MAX_EFFORT}, not "${value}".`);
      dup('effort');
      arm.effort = r;
      names.push(`effort:${r}`);
    } else if (key === 'scale' || key === 'spawn') {
      if (value !== 'on' && value !== 'off') throw new ArmSpecError(`--arms: ${key} takes on or off, not "${value}".`);
      dup(key);
      if (key === 'scale') arm.scale = value;
      else arm.spawn = value === 'on';
      names.push(`${key}:${value}`);
    } else {
      throw new ArmSpecError(`--arms: "${part}" is not an arm setting (a mode, effort:R, scale:on|off, spawn:on|off).`);
    }
  }
  return { name: names.join('+'), ...arm };
}

/** The arm's settings with the base filling in what it leaves open. */
export function resolveArm(arm: ArmSpec, base: ArmBase): ArmBase {
  return {
    mode: arm.mode ?? base.mode,
    effort: arm.effort ?? base.effort,
    scale: arm.scale ?? base.scale,
    spawn: arm.spawn ?? base.spawn,
    ...(base.maxChildren !== undefined ? { maxChildren: base.maxChildren } : {}),
  };
}

/**
 * The run request one arm makes for one question. A forced mode is the eval's standing choice, not
 * a person's verdict on this query (`modeChosenBy: 'setting'`), so it teaches the router nothing.
 */
export function armRequest(arm: ArmSpec, base: ArmBase, query: string, source: RunRequest['source'] = 'cli'): RunRequest {
  const s = resolveArm(arm, base);
  return {
    query,
    mode: s.mode,
    modeChosenBy: 'setting',
    effort: s.effort,
    source,
    parallel: { spawn: s.spawn, ...(s.maxChildren !== undefined ? { maxChildren: s.maxChildren } : {}) },
    scale: s.scale,
  };
}

/** The settings an arm runs with, as a key without effort: arms equal in it form one effort curve. */
export function curveKey(arm: ArmSpec, base: ArmBase): string {
  const s = resolveArm(arm, base);
  return `${s.mode}|scale:${s.scale}|spawn:${s.spawn ? 'on' : 'off'}`;
}
