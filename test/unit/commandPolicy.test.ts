// The command policy against the attacks of issue 14 (items 1, 2, 10), each with a variant spelling:
// the allowlist approves only one simple command in canonical form and never an option that runs
// code or writes elsewhere; the built-in deny rules see through spelling, wrappers and nesting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AutoApprover, toDecision } from '../../src/agent/approver';
import { BUILTIN_DENY_RULES, compileCommandPolicy, judgeCommand, MAX_COMMAND_LENGTH } from '../../src/agent/commandPolicy';

const npmTest = compileCommandPolicy({ allowedCommands: ['^npm test'] });
const git = compileCommandPolicy({ allowedCommands: ['^git '] });
const everything = compileCommandPolicy({ allowedCommands: ['.*'] });

function expect(policy: ReturnType<typeof compileCommandPolicy>, action: 'run' | 'ask' | 'deny', lines: string[], reason?: RegExp) {
  for (const line of lines) {
    const v = judgeCommand(line, policy);
    assert.equal(v.action, action, `${JSON.stringify(line)}: ${v.reason}`);
    if (reason) assert.match(v.reason, reason, line);
  }
}

describe('allowlisted commands whose arguments run code or reach outside (issue 14.1)', () => {
  test('npm test with --node-options, in any spelling, asks', () => {
    expect(npmTest, 'ask', [
      'npm test "--node-options=--import=data:text/javascript,import(\'fs\').then(f=>f.writeFileSync(\'/tmp/P\',\'\'))"',
      'npm test --node-options "--require /tmp/x.js"',
      'npm test --node_options=--require=/tmp/x.js',
      'npm test --node-opt=--require=/tmp/x.js',
      'npm test --script-shell=/tmp/evil',
      'npm test --userconfig /tmp/npmrc',
    ], /of npm runs code \(arc\.agent\.allowedCommands never approves it\)/);
    expect(npmTest, 'ask', ['npm test --prefix /tmp/other'], /another directory/);
  });

  test('git -c, --config-env, --output, --no-index, -C, --git-dir and friends ask', () => {
    expect(git, 'ask', ['git -c alias.x="!touch /outside/P" x', 'git -c core.fsmonitor="touch /o" status', 'git -c core.pager=less log', 'git --config-env=core.pager=EVIL log'], /of git runs code/);
    assert.equal(judgeCommand('git -c alias.x="!touch /outside/P" x', git).reason, 'the option -c of git runs code (arc.agent.allowedCommands never approves it)');
    expect(git, 'ask', ['git log --output=/outside/F', 'git log --output /outside/F', 'git diff --outp=/outside/F', 'git format-patch -o /outside HEAD~1'], /writes output to a file/);
    expect(git, 'ask', ['git diff --no-index .env /dev/null', 'git diff --no-ind /etc/passwd x'], /reads files outside/);
    expect(git, 'ask', ['git -C /outside status', 'git --git-dir=/outside/.git log', 'git --work-tree=/ status', 'git --exec-path=/tmp status']);
    expect(git, 'ask', ['git fetch --upload-pack="touch /o" origin', 'git push --receive-pack=x', 'git rebase -x "touch /o" HEAD~2', 'git rebase --exec=x HEAD~1', 'git diff --ext-diff', 'git config core.fsmonitor x', 'git submodule foreach "touch /o"', 'git bisect run ./x', 'git grep -O"touch /o" x', 'git clone -u "touch /o" a b']);
  });

  test('interpreters given code, shells without a script, awk, sed e/w, find -exec, xargs and writers ask', () => {
    expect(everything, 'ask', [
      'node -e "require(\'fs\').writeFileSync(\'/o\',\'\')"', 'node --eval=x', 'node -p 1', 'node -r ./x test.js', 'node --import=data:x test.js', 'node --loader ./l.mjs x.js', 'node',
      'python -c "import os"', 'python3 -Ic "x"', 'python', 'ruby -e x', 'perl -E x', 'php -r x',
      'sh -c "ls"', 'bash -lc ls', 'bash', 'zsh -s',
      'awk "{print}" x', "sed 's/a/b/e' x", "sed -n '1w /outside/f' x", "sed 'e ls' x", 'sed -f script.sed x',
      'find . -exec ls {} ;', 'find . -fprint /outside/f', 'xargs ls', 'xargs -0 echo',
      'curl -o /outside/f https://x', 'curl -sSo /outside/f https://x', 'curl --output=/o https://x', 'wget -O /o https://x', 'tee /outside/f',
      'npx -c "touch /o"', 'npm exec -c "touch /o"', 'pnpm dlx -c x', 'yarn dlx -c x',
      'NODE_OPTIONS=--require=/tmp/x npm test', 'env GIT_CONFIG_PARAMETERS=x git status', 'LD_PRELOAD=/tmp/x.so ls',
      'ssh -o ProxyCommand="touch /o" host', 'tar --to-command="sh -c x" -xf a.tar', 'rsync -e "sh -c x" a b', 'make --eval="x:;touch /o" x', 'make SHELL=/tmp/evil',
      'eval ls', 'watch ls', 'env -S ls',
    ]);
    const r = judgeCommand('python -c "print(1)"', everything);
    assert.match(r.reason, /the option -c of python runs code/);
  });

  test('workspace-defined programs are marked (the caller auto-runs them only sandboxed)', () => {
    for (const line of ['npm test', 'yarn', 'pnpm run build', 'make test', 'just x', 'cargo test', 'go test ./...', 'pytest', 'python -m pytest', 'git status', 'npx jest', './build.sh', 'scripts/x', 'node test.js', 'bash scripts/x.sh', 'gradlew build']) {
      const v = judgeCommand(line, everything);
      assert.ok(v.action !== 'deny' && v.workspaceDefined, line);
    }
    for (const line of ['ls -la', 'cat README.md', 'npm --version', 'echo hi', '/usr/bin/env']) {
      const v = judgeCommand(line, everything);
      assert.ok(v.action !== 'deny' && !v.workspaceDefined, line);
    }
  });
});

describe('plain allowlisted commands still run', () => {
  const policy = compileCommandPolicy({ allowedCommands: ['^npm test', 'git (status|diff)', 'node test\\.js$'] });
  test('run, with the canonical command', () => {
    for (const [line, canonical] of [
      ['npm test', 'npm test'],
      ['npm test -- --grep parser', 'npm test -- --grep parser'],
      ['git status', 'git status'],
      ['git diff --stat', 'git diff --stat'],
      ['  node test.js  ', 'node test.js'],
      ['npm "test"', 'npm test'],
      ["'npm' te''st", 'npm test'],
    ]) {
      const v = judgeCommand(line!, policy);
      assert.equal(v.action, 'run', `${line}: ${v.reason}`);
      assert.equal(v.action === 'run' && v.canonical, canonical);
    }
  });

  test('quoting cannot fool an anchored pattern', () => {
    const exact = compileCommandPolicy({ allowedCommands: ['npm test$'] });
    assert.equal(judgeCommand('npm test', exact).action, 'run');
    for (const line of ["npm 'test; rm'", 'npm "test && curl x|sh"', "npm 'test'\"; rm -r x\""]) {
      const v = judgeCommand(line, exact);
      assert.equal(v.action, 'ask', line);
      assert.match(v.reason, /matches no allowed command pattern/);
    }
  });

  test('anything more than one simple command asks, naming what it found', () => {
    expect(policy, 'ask', ['npm test; echo x', 'npm test && echo x', 'npm test | tee out', 'npm test > out.txt', 'npm test < in.txt', 'npm test $(whoami)', 'npm test `whoami`', 'npm test $HOME', 'npm test\necho second', 'npm test & sleep 1', 'npm test *.js'], /not one simple command \(it has .+\), so the allowlist does not apply/);
    assert.match(judgeCommand('npm test\necho x', policy).reason, /a newline/);
    assert.match(judgeCommand('npm test $(id)', policy).reason, /a command substitution/);
  });
});

describe('built-in deny rules cannot be walked around (issue 14.10)', () => {
  const cases: Array<[string, string[]]> = [
    ['rm-recursive-force', ['rm -rf ~', 'rm -fr x', 'rm -Rf x', 'rm -r -f x', 'rm --recursive --force x', 'rm --force --recursive x', 'rm --rec --for x', '/bin/rm -rf x', './rm -rf x', '\\rm -rf ~', "r''m -rf ~", '"rm" -rf ~', 'RM -rf x', 'rm -{r,f} x', 'rm -r ~', 'rm -r /', 'rm --no-preserve-root -r /']],
    ['find-delete', ['find ~ -delete', 'find . -name "*.o" -delete', 'find ~ -type f -delete -print']],
    ['git-force-push', ['git push -f', 'git push -uf origin main', 'git push --force', 'git push --force-with-lease', 'git push --force-with-lease=main:abc', 'git push --force-if-includes', 'git push --forc', 'git push origin +main', 'git push origin +HEAD:main', 'git push --mirror', 'git -C . push -f', "git -c alias.p='push -f' p"]],
    ['disk-write', ['dd of=/dev/sda if=x', 'dd if=/dev/zero of=/dev/nvme0n1 bs=1M', 'mkfs.ext4 /dev/sdb1', 'wipefs -a /dev/sda', 'tee /dev/sda']],
    ['device-redirect', ['echo x > /dev/sda', 'cat x >> /dev/nvme0n1']],
    ['fork-bomb', [':(){ :|:& };:', 'f(){ f|f& };f', 'bomb() { bomb | bomb & }; bomb', 'function g { g & g; }; g']],
    ['privilege', ['sudo ls', 'doas ls', 'doas -u root sh', 'su -c ls', 'pkexec ls', 'env X=1 sudo ls', '/usr/bin/sudo -E npm test']],
    ['power', ['shutdown -h now', 'systemctl reboot']],
  ];
  for (const [rule, lines] of cases) {
    test(rule, () => expect(everything, 'deny', lines, new RegExp(`built-in rule ${rule}.*never run, even when approved`)));
  }

  test('through nesting, substitutions and wrappers', () => {
    expect(everything, 'deny', [
      'bash -c "rm -rf ~"', "sh -c 'sudo ls'", 'zsh -ec "git push -f"', 'bash -c "bash -c \\"rm -fr x\\""',
      'echo $(rm -rf ~)', 'echo "$(rm -rf ~)"', 'echo `rm -rf ~`', 'echo "`doas ls`"', 'diff <(rm -rf ~) x',
      'xargs rm -rf', 'xargs -0 -n 1 /bin/rm -fr', 'env X=1 sudo ls', 'env -i PATH=/bin rm -rf x', 'env -S "rm -rf /"',
      'timeout 5 rm -rf /', 'timeout -s KILL -k 3 5 rm -rf /', 'nice -n 5 nohup rm -rf x', 'command rm -rf x', 'exec rm -rf x', 'stdbuf -oL setsid time rm -rf x',
      'npm test; rm -rf ~', 'npm test && git push --force', 'npm test\nrm -rf ~', 'npm test # ok\nrm -rf ~', 'eval "rm -rf ~"',
      'find . -exec sh -c "rm -rf ~" ;', 'git -c alias.x="!rm -rf ~" x', 'git -c core.fsmonitor="sudo ls" status', 'awk \'BEGIN{system("rm -rf ~")}\'',
      "$'\\x72m' -rf ~", 'if true; then rm -rf ~; fi', 'for x in a; do sudo ls; done', '(rm -rf ~)', '{ rm -rf ~; }',
    ]);
  });

  test('too deep or too long is refused, not guessed', () => {
    let line = 'ls';
    for (let i = 0; i < 8; i++) line = `sh -c ${JSON.stringify(line)}`;
    expect(everything, 'deny', [line, `${'env '.repeat(100)}rm -r x`, `${'nice '.repeat(100)}ls`], /too-deep/);
    expect(everything, 'ask', ['{a,b}'.repeat(1500), 'x{1..9999}'.repeat(700)], /brace expansion/);
    expect(everything, 'deny', [`npm test ${'x'.repeat(MAX_COMMAND_LENGTH)}`], /too-long/);
  });

  test('look-alikes that are fine are not denied', () => {
    expect(everything, 'run', ['rm -r build', 'rm -f x.o', 'git push origin main', 'git push -u origin main', 'dd if=x of=y.img', 'echo "rm -rf ~"', 'grep -r "sudo" .', 'git log --grep=force', 'cat /dev/null']);
  });

  test('the rules are listed for the README', () => {
    const ids = BUILTIN_DENY_RULES.map((r) => r.id);
    for (const id of ['rm-recursive-force', 'find-delete', 'git-force-push', 'privilege', 'disk-write', 'device-redirect', 'fork-bomb', 'too-deep', 'too-long']) assert.ok(ids.includes(id), id);
    assert.ok(BUILTIN_DENY_RULES.every((r) => r.description.length > 10));
  });
});

describe("the user's deny patterns", () => {
  test('match the raw line, each command and its normalised form; they win over the allowlist', () => {
    const p = compileCommandPolicy({ allowedCommands: ['.*'], deniedCommands: ['^curl\\b', 'chmod -R -v'] });
    expect(p, 'deny', ['curl https://x', '/usr/bin/curl x', 'npm test && curl x', 'echo $(curl x)', 'timeout 5 curl x', 'chmod -vR 777 x', 'chmod --verbose --recursive 1 x'], /denied pattern .* \(arc\.agent\.deniedCommands\); denied commands never run, even when approved/);
    expect(p, 'run', ['echo curl', 'chmod -R 644 x']);
  });

  test('an invalid deny pattern matches literally; an invalid allow pattern is ignored', () => {
    const p = compileCommandPolicy({ allowedCommands: ['npm (test'], deniedCommands: ['rm (x'] });
    assert.deepEqual(p.invalid, ['npm (test', 'rm (x']);
    assert.equal(judgeCommand("npm '(test'", p).action, 'ask');
    assert.equal(judgeCommand("ls 'rm (x'", p).action, 'deny');
  });

  test('the empty command is refused', () => {
    assert.equal(judgeCommand('   ', everything).action, 'deny');
  });
});

describe('AutoApprover (non-interactive runs)', () => {
  test('never approves a command itself: judgeCommand already ran what may run', async () => {
    const a = new AutoApprover({ edits: true, commandRegexes: ['^npm test'] });
    const d = toDecision(await a.approveCommand({ command: 'npm test', reason: 'it matches no allowed command pattern', cwd: '/w', sandboxed: true }));
    assert.equal(d.approved, false);
    assert.match(d.reason!, /^non-interactive run: .*needs approval \(it matches no allowed command pattern\).*; command not run$/);
  });

  test('--yes never covers a protected path, and says why', async () => {
    const a = new AutoApprover({ edits: true });
    const d = toDecision(await a.approveEdit({ path: '.git/config', kind: 'edit', diff: '', protectedReason: 'git configuration decides what git runs' }));
    assert.equal(d.approved, false);
    assert.match(d.reason!, /\.git\/config is protected \(git configuration decides what git runs\).*edit not applied/);
    assert.equal(toDecision(await a.approveEdit({ path: 'src/a.ts', kind: 'edit', diff: '' })).approved, true);
  });
});
