// The agent's shell parser (src/agent/shell/parse.ts, DESIGN §5): words after quote removal, every
// simple command a line runs (at operators, in substitutions and `sh -c` strings), why a line is not
// one simple command, and a canonical form the allowlist cannot be fooled by.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeCommand, analyzeShell, quoteWord } from '../../src/agent/shell/parse';
import { flagsOf, innerCommands, normalisedForm } from '../../src/agent/shell/normalize';

describe('analyzeCommand', () => {
  test('a simple command: words after quote removal, no complexity, a canonical form', () => {
    assert.deepEqual(analyzeCommand('npm "test"'), { commands: [['npm', 'test']], complexity: [], canonical: 'npm test' });
    assert.deepEqual(analyzeCommand("  git   diff   --stat "), { commands: [['git', 'diff', '--stat']], complexity: [], canonical: 'git diff --stat' });
    assert.equal(analyzeCommand("r''m x").canonical, 'rm x');
    assert.equal(analyzeCommand('\\rm x').canonical, 'rm x');
  });

  test('a word that needs quoting keeps its quotes in the canonical form', () => {
    assert.equal(analyzeCommand("npm 'test; rm'").canonical, "npm 'test; rm'");
    assert.equal(analyzeCommand('npm "test && rm -rf ~"').canonical, "npm 'test && rm -rf ~'");
    assert.equal(analyzeCommand(`echo "it's"`).canonical, `echo 'it'\\''s'`);
    assert.equal(analyzeCommand("echo ''").canonical, "echo ''");
    assert.equal(quoteWord('a b'), "'a b'");
    assert.equal(quoteWord('--grep=x/y.ts'), '--grep=x/y.ts');
  });

  test('operators, redirections, substitutions, variables, globs and newlines are named', () => {
    const cases: Array<[string, RegExp]> = [
      ['npm test; echo x', /the operator ";"/],
      ['npm test && echo x', /the operator "&&"/],
      ['npm test | tee x', /the operator "\|"/],
      ['npm test > out', /a redirection >/],
      ['npm test $(whoami)', /a command substitution \$\( \)/],
      ['npm test `whoami`', /a command substitution `…`/],
      ['npm test $HOME', /a variable \$HOME/],
      ['npm test ${HOME}', /a variable \$\{HOME\}/],
      ['ls *.ts', /a glob \*\.ts/],
      ['ls [ab].ts', /a glob \[ab\]\.ts/],
      ['npm test\necho second', /a newline/],
      ['npm test\recho second', /a carriage return/],
      ['npm test # a comment', /a comment/],
      ['ls ~', /the home directory ~/],
      ['echo {a,b}', /a brace expansion/],
      ['(npm test)', /a subshell/],
      ['diff <(ls) x', /a process substitution/],
      ["echo 'unterminated", /an unterminated quote/],
    ];
    for (const [line, want] of cases) {
      const a = analyzeCommand(line);
      assert.match(a.complexity.join(' | '), want, line);
      assert.equal(a.canonical, undefined, line);
    }
  });

  test('quoted metacharacters are just text', () => {
    for (const line of ["echo 'a;b|c&d$(e)`f`'", 'echo "a;b|c&d"', "grep -e 'x > y' src"]) {
      const a = analyzeCommand(line);
      assert.deepEqual(a.complexity, [], line);
      assert.equal(a.commands.length, 1, line);
    }
  });

  test('every simple command is found: operators, newlines, substitutions, backticks, sh -c', () => {
    const programs = (line: string) => analyzeCommand(line).commands.map((c) => c[0]);
    assert.deepEqual(programs('a; b && c || d | e & f'), ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(programs('a\nb\r\nc'), ['a', 'b', 'c']);
    assert.deepEqual(programs('echo $(rm -rf ~)'), ['rm', 'echo']);
    assert.deepEqual(programs('echo "x `id` y"'), ['id', 'echo']);
    assert.deepEqual(programs('echo "$(a "$(b)")"'), ['b', 'a', 'echo']);
    assert.deepEqual(programs('bash -c "ls; rm -rf ~"'), ['bash', 'ls', 'rm']);
    assert.deepEqual(programs("timeout 5 sh -c 'whoami'"), ['timeout', 'whoami']);
    assert.deepEqual(programs('echo hi # x\nrm -rf ~'), ['echo', 'rm'], 'a comment ends at the newline');
    assert.deepEqual(programs('if true; then { rm x; }; fi'), ['true', 'rm']);
    assert.deepEqual(programs('f(){ f|f& };f'), ['f', 'f', 'f']);
  });

  test('deep nesting is reported, not followed forever', () => {
    let line = 'ls';
    for (let i = 0; i < 8; i++) line = `sh -c ${quoteWord(line)}`;
    assert.equal(analyzeShell(line).tooDeep, true);
    assert.equal(analyzeShell("sh -c 'sh -c ls'").tooDeep, false);
  });

  test('redirection targets and function names are collected for the deny rules', () => {
    const f = analyzeShell('echo x > /dev/sda 2>&1; bomb(){ bomb|bomb& }; bomb');
    assert.deepEqual(f.redirects, ['/dev/sda', '1']);
    assert.deepEqual(f.functions, ['bomb']);
  });

  test('brace expansion gives separate words, as in bash', () => {
    assert.deepEqual(analyzeCommand('rm -{r,f} x').commands, [['rm', '-r', '-f', 'x']]);
    assert.deepEqual(analyzeCommand('r{m,} x').commands, [['rm', 'r', 'x']]);
  });
});

describe('normalisation', () => {
  test('wrappers and assignments are seen through', () => {
    const chain = (line: string) => innerCommands(analyzeCommand(line).commands[0]!).map((c) => c.program);
    assert.deepEqual(chain('env -i X=1 timeout -s KILL 5 nice -n 3 nohup /bin/rm -rf x'), ['env', 'timeout', 'nice', 'nohup', 'rm']);
    assert.deepEqual(chain('X=1 Y=2 command exec stdbuf -oL setsid time -p xargs -0 -n 1 rm'), ['command', 'exec', 'stdbuf', 'setsid', 'time', 'xargs', 'rm']);
    assert.deepEqual(chain('find . -name x -exec rm -f {} ;'), ['find', 'rm']);
    assert.deepEqual(chain("git -c alias.p='push -f' p"), ['git', 'git']);
    assert.deepEqual(innerCommands(['env', 'A=1', 'ls']).at(-1)!.assignments, ['A=1']);
  });

  test('flags in one spelling', () => {
    for (const args of [['-rf'], ['-fr'], ['-Rf'], ['-r', '-f'], ['--recursive', '--force'], ['--rec', '--forc']]) {
      const { flags } = flagsOf('rm', args);
      assert.ok(flags.has('-r') && flags.has('-f'), args.join(' '));
    }
    assert.deepEqual(flagsOf('rm', ['--', '-rf']).operands, ['-rf']);
    assert.equal(normalisedForm(innerCommands(['/bin/RM', '--force', '-R', 'x'])[0]!), 'rm -f -r x');
    assert.equal(normalisedForm(innerCommands(['dd', 'of=/dev/sda', 'if=x'])[0]!), 'dd if=x of=/dev/sda');
  });
});
