// Multilingual cue words for the router's named signals. A hashed-word model only knows the words
// its labeled set happens to contain; these lists carry the same few ideas ("why", "the whole
// project", "run it", "rename") across languages and inflections, so an unseen phrasing in an
// unseen language still lights a signal the model has learned a weight for.
//
// Entry syntax: `word` matches the whole word, `stem*` any word starting with the stem, `two words`
// an adjacent pair. Matching folds case and Latin/Cyrillic accents (see features.ts), so `que`
// also matches `qué`. `cjk` entries are substrings looked for in Chinese/Japanese text, where
// there are no spaces to split on.

export interface CueDef {
  /** Signal name (a named feature). */
  readonly name: string;
  /** English label used in the human-readable reason. */
  readonly label: string;
  readonly words: readonly string[];
  readonly cjk?: readonly string[];
}

export const CUES: readonly CueDef[] = [
  {
    name: 'cue_ours',
    label: "refers to 'our' code",
    words: [
      'our', 'ours', 'we', "we're", 'us', 'unser', 'unsere', 'unserem', 'unseren', 'unserer', 'wir', 'notre', 'nos',
      'nous', 'nuestro', 'nuestra', 'nuestros', 'nuestras', 'nosotros', 'tenemos', 'usamos', 'nosso', 'nossa',
      'nossos', 'nossas', 'nos', 'temos', 'usamos', 'наш', 'наша', 'наше', 'наши', 'нашем', 'нашей', 'нашего', 'мы',
      'у нас', 'nostro', 'nostra', 'onze', 'nasz',
    ],
    cjk: ['我们', '我們', '咱们', '本项目', 'うちの', '我々', '私たちの', '弊社'],
  },
  {
    name: 'cue_artifact',
    label: 'names a part of the project (the build, the tests…)',
    words: [
      'the build', 'the tests', 'the test', 'the app', 'the api', 'the server', 'the service', 'the backend',
      'the frontend', 'the logs', 'the ci', 'the pipeline', 'the database', 'the db', 'the schema', 'the docs',
      'the readme', 'the cli', 'the migrations', 'the deployment', 'the bundle', 'the lockfile', 'the monorepo',
      'der build', 'die tests', 'die app', 'die api', 'der server', 'die datenbank', 'die pipeline', 'le build',
      'les tests', "l'appli", "l'api", 'le serveur', 'la base', 'le ci', 'el build', 'los tests', 'las pruebas',
      'la app', 'la api', 'el servidor', 'la base', 'o build', 'os testes', 'o app', 'a api', 'o servidor', 'o banco',
      'сборка', 'сборку', 'тесты', 'приложение', 'сервер', 'база', 'базе', 'пайплайн',
    ],
    cjk: ['构建', '测试失败', '这个服务', '数据库', 'ビルド', 'テストが', 'データベース', 'サーバー'],
  },
  {
    name: 'cue_general',
    label: 'general-knowledge wording',
    words: [
      'in general', 'generally', 'typically', 'usually', 'normally', 'best practice', 'in python', 'in javascript',
      'in typescript', 'in java', 'in go', 'in rust', 'in c', 'in bash', 'in sql', 'in css', 'python', 'javascript',
      'typescript', 'java', 'golang', 'rust', 'kotlin', 'swift', 'ruby', 'php', 'bash', 'regex', 'linux', 'vim',
      'allgemein', 'grundsätzlich', 'généralement', 'general', 'normalmente', 'em geral', 'geralmente', 'обычно',
      'вообще', 'в общем', 'питоне', 'python-е',
    ],
    cjk: ['一般', '通常', '一般的に', '普通'],
  },
  {
    name: 'cue_why',
    label: "'why' question",
    words: [
      'why', 'whys', 'how come', 'warum', 'wieso', 'weshalb', 'weswegen', 'pourquoi', 'por que', 'porque',
      'porqué', 'por quê', 'perche', 'perché', 'почему', 'зачем', 'отчего', 'waarom', 'dlaczego', 'neden',
    ],
    cjk: ['为什么', '为何', '為什麼', '怎么会', '怎么回事', 'なぜ', 'どうして', '何故', '原因'],
  },
  {
    name: 'cue_explain',
    label: "'explain / what does' wording",
    words: [
      'explain', 'explains', 'explanation', 'what does', 'what do', 'whats this', 'meaning', 'means', 'mean',
      'describe', 'summarize', 'summarise', 'summary', 'walk me', 'understand', 'erklär*', 'erklaer*', 'was macht',
      'was bedeutet', 'was tut', 'bedeutet', 'verstehe', 'beschreib*', 'explique*', 'expliquer', 'que fait',
      'signifie', 'comprends', 'comprendre', 'explica*', 'que hace', 'que significa', 'significa', 'entiendo',
      'entender', 'o que faz', 'que faz', 'entendo', 'resum*', 'объясни*', 'объяснить', 'что делает', 'что значит',
      'означает', 'понимаю', 'опиши', 'spiega*', 'uitleg*',
    ],
    cjk: ['解释', '解釋', '说明', '說明', '是什么意思', '什么意思', '做什么', '干什么', '作用', '説明', '意味', '何をして', '教えて', '理解'],
  },
  {
    name: 'cue_lookup',
    label: 'quick lookup wording',
    words: [
      'how do i', 'how to', 'how can i', 'what is', 'whats', 'what are', 'difference between', 'syntax', 'shortcut',
      'keyboard', 'default', 'flag', 'option', 'equivalent', 'wie kann', 'wie mache', 'wie geht', 'was ist',
      'unterschied', 'syntax', 'comment faire', 'comment', "c'est quoi", 'quest-ce', 'difference', 'como hago',
      'como se', 'que es', 'diferencia', 'sintaxe', 'sintaxis', 'como faco', 'como eu', 'o que e', 'diferenca',
      'как сделать', 'как мне', 'что такое', 'разница', 'синтаксис', 'cose', 'come si',
    ],
    cjk: ['怎么', '如何', '什么是', '区别', '區別', '语法', '快捷键', 'どうやって', 'とは', '違い', '書き方', '構文'],
  },
  {
    name: 'cue_workspace',
    label: 'refers to the project beyond the selection',
    words: [
      'project', 'projects', 'repo', 'repository', 'codebase', 'code base', 'workspace', 'monorepo', 'folder',
      'directory', 'directories', 'module', 'modules', 'package', 'packages', 'files', 'other file', 'another file',
      'config', 'configuration', 'readme', 'changelog', 'dockerfile', 'makefile', 'package.json', 'tsconfig',
      'callers', 'caller', 'usages', 'usage', 'references', 'imports', 'imported', 'dependency', 'dependencies',
      'endpoint', 'endpoints', 'migration', 'migrations', 'pipeline', 'projekt*', 'ordner', 'verzeichnis',
      'dateien', 'datei', 'modul*', 'aufrufer', 'projet*', 'dossier', 'repertoire', 'fichiers', 'fichier',
      'appelants', 'proyecto*', 'carpeta', 'directorio', 'archivos', 'archivo', 'modulo*', 'projeto*', 'pasta',
      'arquivos', 'arquivo', 'проект*', 'репозитор*', 'папк*', 'каталог*', 'файл*', 'модул*', 'кодовой базе',
      'progetto', 'cartella',
    ],
    cjk: ['项目', '專案', '仓库', '代码库', '整个', '文件夹', '目录', '所有文件', '其他文件', '模块', '配置文件',
      'プロジェクト', 'リポジトリ', 'ディレクトリ', 'フォルダ', 'ファイル', 'モジュール', 'コードベース', '全体', '設定ファイル'],
  },
  {
    name: 'cue_scope_all',
    label: "'everywhere / all of them' scope",
    words: [
      'everywhere', 'across', 'all', 'every', 'entire', 'whole', 'throughout', 'globally', 'each', 'überall',
      'ueberall', 'alle', 'allen', 'gesamte*', 'ganze*', 'jede*', 'partout', 'tous', 'toutes', 'chaque', 'entier',
      'todos', 'todas', 'cada', 'entero', 'inteiro', 'em todo', 'везде', 'повсюду', 'все', 'всех', 'всём', 'каждый',
      'каждом', 'весь', 'tutti', 'ovunque',
    ],
    cjk: ['所有', '全部', '每个', '到处', '整个', 'すべて', '全て', '全体', 'あらゆる'],
  },
  {
    name: 'cue_find',
    label: "'find / where is' wording",
    words: [
      'where', 'find', 'locate', 'search', 'grep', 'which file', 'which files', 'look up', 'look for',
      'wo', 'finde', 'finden', 'suche', 'suchen', 'welche datei', 'ou', 'trouve', 'trouver', 'cherche', 'chercher',
      'donde', 'busca', 'buscar', 'encuentra', 'encontrar', 'onde', 'encontre', 'procure', 'procurar', 'где', 'найди',
      'найти', 'поиск', 'ищи', 'dove', 'trova', 'anywhere', 'elsewhere', 'somewhere', 'where else', 'used', 'called',
      'calls', 'declared', 'declares', 'defined', 'defines', 'implements', 'implementations', 'referenced', 'verwendet',
      'aufgerufen', 'definiert', 'appelé*', 'appele*', 'défini*', 'usad*', 'llamad*', 'definid*',
      'chamad*', 'используется', 'вызывается', 'вызывает', 'определен*', 'используют',
    ],
    cjk: ['哪里', '哪儿', '在哪', '哪个文件', '查找', '搜索', '找到', '找出', '找一下', '调用', '用到', '定义', '引用', 'どこ', '探して', '検索', '見つけ', '定義', '呼ばれ', '使われ', '呼び出'],
  },
  {
    name: 'cue_run',
    label: 'asks to run something',
    words: [
      'run', 'rerun', 'execute', 'build', 'compile', 'install', 'npm', 'yarn', 'pnpm', 'pytest', 'cargo', 'make',
      'gradle', 'mvn', 'docker', 'terminal', 'shell', 'ci', 'lint', 'linter', 'deploy', 'start the', 'ausführ*',
      'ausfuehr*', 'führe', 'fuehre', 'starte', 'baue', 'kompilier*', 'installier*', 'lance', 'lancer', 'execute*',
      'exécute*', 'compile*', 'installe*', 'ejecuta*', 'corre', 'correr', 'compila*', 'instala*', 'rode', 'rodar',
      'roda', 'execut*', 'запусти*', 'выполни*', 'собери', 'скомпилир*', 'установи*', 'esegui',
    ],
    cjk: ['运行', '執行', '执行', '跑一下', '编译', '安装', '构建', '実行', 'ビルド', 'インストール', 'コンパイル', '走らせ'],
  },
  {
    name: 'cue_git',
    label: 'version-control reference',
    words: [
      'git', 'commit', 'commits', 'branch', 'branches', 'merge conflict', 'rebase', 'pr', 'pull request', 'diff', 'blame',
      'staged', 'stash', 'history', 'last commit', 'changelog', 'tag', 'release', 'коммит*', 'ветк*', 'changed',
      'geändert', 'changé', 'cambió', 'cambiado', 'mudou', 'mudaram', 'изменилось', 'изменил*', 'менялись',
    ],
    cjk: ['提交', '分支', 'コミット', 'ブランチ', '差分', '改了什么', '变更', '変わった', '変更された'],
  },
  {
    name: 'cue_deps',
    label: 'dependency / package wording',
    words: [
      'dependency', 'dependencies', 'upgrade', 'bump', 'version', 'versions', 'libraries', 'lockfile',
      'package-lock', 'requirements.txt', 'pip', 'gemfile', 'go.mod', 'abhängigkeit*', 'abhaengigkeit*',
      'dépendance*', 'dependance*', 'dependencia*', 'dependência*', 'зависимост*', 'библиотек*',
    ],
    cjk: ['依赖', '升级', '依存', 'ライブラリ', 'アップグレード'],
  },
  {
    name: 'cue_reasoning',
    label: 'asks for step-by-step analysis',
    words: [
      'step by step', 'prove', 'proof', 'derive', 'derivation', 'reason', 'reasoning', 'analyze', 'analyse',
      'analysis', 'trace', 'walk through', 'figure out', 'deduce', 'invariant', 'invariants', 'correctness',
      'correct', 'edge case', 'edge cases', 'counterexample', 'formally', 'calculate', 'compute', 'estimate',
      'puzzle', 'solve', 'think', 'carefully', 'subtle', 'tricky', 'schritt für', 'schritt fuer', 'beweis*',
      'analysier*', 'herleit*', 'berechne*', 'randfall', 'randfälle', 'étape par', 'etape par', 'prouve*',
      'démontre*', 'demontre*', 'analyse*', 'calcule*', 'paso a', 'demuestra*', 'analiza*', 'calcula*',
      'passo a', 'prova*', 'analise*', 'пошагово', 'шаг за', 'докажи*', 'доказ*', 'проанализир*', 'анализ*',
      'вычисли*', 'рассчитай', 'dimostra*',
    ],
    cjk: ['一步一步', '逐步', '证明', '證明', '分析', '推导', '计算', '边界情况', 'ステップ', '証明', '分析', '計算', '導出', '考えて'],
  },
  {
    name: 'cue_algo',
    label: 'algorithm / complexity wording',
    words: [
      'complexity', 'big-o', 'big o', 'algorithm', 'algorithms', 'asymptotic', 'recursion', 'recursive',
      'recurrence', 'dynamic programming', 'dp', 'graph', 'optimal', 'np-hard', 'amortized', 'worst case',
      'worst-case', 'terminate', 'terminates', 'termination', 'overflow', 'precision', 'probability',
      'komplexität', 'komplexitat', 'laufzeit', 'algorithmus', 'complexité', 'complexite', 'algorithme',
      'complejidad', 'algoritmo', 'complexidade', 'сложность', 'сложности', 'алгоритм*', 'рекурси*',
    ],
    cjk: ['复杂度', '複雜度', '算法', '演算法', '递归', '計算量', 'アルゴリズム', '再帰', '最悪'],
  },
  {
    name: 'cue_concurrency',
    label: 'concurrency wording',
    words: [
      'race', 'race condition', 'deadlock', 'deadlocks', 'thread-safe', 'threadsafe', 'thread', 'threads',
      'mutex', 'lock', 'locks', 'atomic', 'concurrent', 'concurrency', 'parallel', 'goroutine', 'goroutines',
      'async', 'await', 'promise', 'promises', 'event loop', 'livelock', 'nebenläufig*', 'verklemm*', 'interblocage',
      'concurrence', 'concurrencia', 'concorrência', 'concorrencia', 'гонк*', 'взаимоблокиров*', 'потокобезопас*',
      'дедлок', 'поток*',
    ],
    cjk: ['死锁', '竞态', '并发', '线程', 'スレッド', 'デッドロック', '競合', '並行'],
  },
  {
    name: 'cue_perf',
    label: 'performance wording',
    words: [
      'slow', 'slower', 'faster', 'performance', 'perf', 'optimize', 'optimise', 'speed', 'latency', 'memory',
      'leak', 'bottleneck', 'efficient', 'cache', 'langsam', 'schneller', 'speicherleck', 'lent', 'lente', 'rapide',
      'fuite', 'lento', 'lenta', 'rapido', 'fuga', 'vazamento', 'медленн*', 'быстрее', 'утечк*', 'производительн*',
    ],
    cjk: ['性能', '太慢', '很慢', '内存泄漏', '优化', '遅い', 'パフォーマンス', 'メモリリーク', '高速化', '最適化'],
  },
  {
    name: 'cue_compare',
    label: 'comparison / trade-off wording',
    words: [
      'compare', 'comparison', 'versus', 'vs', 'trade-off', 'tradeoff', 'tradeoffs', 'pros', 'cons', 'better',
      'should i', 'which is', 'alternatives', 'vergleich*', 'besser', 'comparer', 'meilleur', 'comparar', 'mejor',
      'melhor', 'сравни*', 'лучше',
    ],
    cjk: ['比较', '对比', '哪个更好', '优缺点', '比較', 'どちら', 'メリット'],
  },
  {
    name: 'cue_design',
    label: 'design / architecture wording',
    words: [
      'design', 'architecture', 'architect', 'schema', 'model', 'approach', 'strategy', 'pattern', 'structure',
      'plan', 'scalable', 'entwurf', 'entwirf', 'architektur', 'conception', 'concevoir', 'conçois', 'diseña',
      'diseño', 'arquitectura', 'arquitetura', 'projete', 'архитектур*', 'спроектируй', 'дизайн',
    ],
    cjk: ['设计', '架构', '設計', 'アーキテクチャ', 'スキーマ'],
  },
  {
    name: 'cue_bug',
    label: 'bug / failure wording',
    words: [
      'bug', 'bugs', 'error', 'errors', 'exception', 'crash', 'crashes', 'crashing', 'fail', 'fails', 'failing',
      'failed', 'failure', 'broken', 'wrong', 'incorrect', 'issue', 'problem', 'undefined', 'null', 'nan',
      'segfault', 'panic', 'hangs', 'stuck', 'flaky', 'doesnt', "doesn't", 'not working', 'fehler', 'absturz',
      'stürzt', 'kaputt', 'funktioniert nicht', 'erreur', 'plante', 'échoue', 'echoue', 'marche pas', 'fonctionne pas',
      'falla', 'fallo', 'funciona', 'erro', 'falha', 'quebrado', 'ошибк*', 'падает', 'баг', 'сломал*', 'не работает',
    ],
    cjk: ['报错', '错误', '錯誤', '异常', '崩溃', '失败', 'バグ', 'エラー', '例外', '落ちる', '失敗', '動かない'],
  },
  {
    name: 'cue_fix',
    label: "'fix it' request",
    words: [
      'fix', 'fixes', 'repair', 'resolve', 'patch', 'correct this', 'behebe*', 'beheb*', 'repariere*', 'korrigier*',
      'fixe', 'corrige*', 'répare*', 'repare*', 'arregla*', 'corrija*', 'conserta*', 'conserte*', 'исправ*',
      'почини*', 'correggi',
    ],
    cjk: ['修复', '修正', '修一下', '改一下', '修好', '直して', '修正して', '治して'],
  },
  {
    name: 'cue_edit_small',
    label: 'small local edit (rename / add / remove)',
    words: [
      'rename', 'add', 'remove', 'delete', 'replace', 'change', 'swap', 'inline', 'extract', 'wrap', 'sort',
      'format', 'reformat', 'indent', 'simplify', 'clean', 'cleanup', 'tidy', 'use', 'make', 'turn', 'move',
      'insert', 'append', 'umbenenn*', 'benenne', 'füge', 'fuege', 'hinzufüg*', 'entferne*', 'lösche*', 'loesche*',
      'ersetze*', 'ändere*', 'aendere*', 'vereinfach*', 'renomme*', 'ajoute*', 'supprime*', 'enlève', 'enleve',
      'remplace*', 'change*', 'simplifie*', 'renombra*', 'añade', 'anade', 'agrega*', 'elimina*', 'borra*',
      'reemplaza*', 'cambia*', 'simplifica*', 'renomeie', 'renomear', 'adicione', 'adiciona*', 'remova', 'remove',
      'substitua', 'substitui*', 'mude', 'troque', 'simplifique', 'переименуй*', 'добавь*', 'удали*', 'замени*',
      'измени*', 'упрости*', 'убери', 'вынеси', 'aggiungi', 'rinomina', 'rimuovi',
    ],
    cjk: ['重命名', '改名', '添加', '加上', '加一个', '删除', '删掉', '去掉', '替换', '改成', '改为', '简化', '名前を変', '追加', '削除', '置き換', '変更', '消して', 'リネーム'],
  },
  {
    name: 'cue_write',
    label: "'write / implement' wording",
    words: [
      'write', 'implement', 'create', 'generate', 'scaffold', 'build me', 'refactor', 'rewrite', 'port to',
      'migrate', 'schreib*', 'implementier*', 'erstell*', 'generier*', 'refaktor*', 'écris', 'ecris', 'écrire',
      'implémente*', 'implemente*', 'crée', 'cree', 'génère', 'genere', 'refactor*', 'réécris', 'escribe',
      'escribir', 'crea', 'crear', 'genera', 'refactoriza*', 'reescribe', 'escreva', 'escrever', 'crie', 'criar',
      'gere', 'refatore', 'refatorar', 'reescreva', 'напиши', 'написать', 'реализуй', 'создай', 'сгенерируй',
      'отрефактори*', 'перепиши', 'scrivi',
    ],
    cjk: ['写一个', '写个', '帮我写', '实现', '实现一个', '生成', '创建', '重构', '重写', '書いて', '実装', '作成', '生成', 'リファクタ', '作って'],
  },
  {
    name: 'cue_convert',
    label: 'convert / translate wording',
    words: [
      'convert', 'translate', 'transform', 'port to', 'porting', 'to typescript', 'to python', 'to async', 'konvertier*',
      'umwandeln', 'wandle', 'übersetz*', 'uebersetz*', 'convertis', 'convertir', 'traduis', 'traduire',
      'transforme', 'convierte', 'traduce', 'traducir', 'converta', 'converter', 'traduza', 'traduzir',
      'преобразуй', 'конвертируй', 'переведи', 'перевести', 'converti', 'traduci',
    ],
    cjk: ['转换', '转成', '转为', '翻译', '改写成', '変換', '翻訳', '書き換え'],
  },
  {
    name: 'cue_doc',
    label: 'docs / comments wording',
    words: [
      'docstring', 'docstrings', 'jsdoc', 'javadoc', 'comment', 'comments', 'document', 'documentation', 'docs',
      'annotate', 'annotations', 'type hints', 'typehints', 'kommentar*', 'dokumentier*', 'commentaire*',
      'documente*', 'comentario*', 'comentário*', 'documenta*', 'комментари*', 'документир*', 'документаци*',
    ],
    cjk: ['注释', '文档', 'コメント', 'ドキュメント', '型ヒント'],
  },
  {
    name: 'cue_test',
    label: 'tests wording',
    words: [
      'test', 'tests', 'unit test', 'unit tests', 'spec', 'specs', 'coverage', 'jest', 'mocha', 'vitest',
      'junit', 'pytest', 'testen', 'testfall', 'testfälle', 'teste', 'testes', 'prueba', 'pruebas', 'tesztek',
      'тест', 'тесты', 'тестов', 'тестами',
    ],
    cjk: ['测试', '單元測試', '单元测试', 'テスト'],
  },
  {
    name: 'cue_deictic',
    label: "points at the selection ('this')",
    words: [
      'this', 'these', 'here', 'selected', 'selection', 'above', 'below', 'highlighted', 'this line', 'snippet',
      'dies', 'diese', 'dieser', 'dieses', 'diesen', 'hier', 'markierte*', 'ce', 'cet', 'cette', 'ces', 'ici',
      'ceci', 'sélection*', 'selection*', 'este', 'esta', 'esto', 'estos', 'aqui', 'aquí', 'isso', 'isto',
      'essa', 'esse', 'это', 'этот', 'эта', 'эти', 'этой', 'этом', 'здесь', 'выделенн*', 'questo', 'questa',
    ],
    cjk: ['这个', '这段', '这里', '此处', '選択', 'この', 'これ', 'ここ', '这行'],
  },
  {
    name: 'cue_example',
    label: "'show me an example' wording",
    words: [
      'example', 'examples', 'snippet', 'show me', 'sample', 'demo', 'illustrate', 'beispiel', 'zeig mir',
      'exemple', 'montre-moi', 'montre', 'ejemplo', 'muéstrame', 'muestrame', 'exemplo', 'mostre', 'пример',
      'покажи', 'esempio',
    ],
    cjk: ['例子', '示例', '举例', '例を', 'サンプル', '見せて'],
  },
];

/** Function words carry no evidence by themselves and would only soak up class priors; they are
 * not hashed as single words (pairs and cues still see them). */
export const STOPWORDS: readonly string[] = [
  'a', 'an', 'the', 'to', 'of', 'in', 'on', 'for', 'and', 'or', 'with', 'at', 'by', 'from', 'as', 'be', 'it', 'its',
  'i', 'me', 'my', 'you', 'your', 'is', 'are', 'am', 'was', 'so', 'if', 'but', 'then', 'that',
  'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'und', 'oder', 'mit', 'zu', 'von', 'im',
  'in', 'auf', 'für', 'ist', 'es', 'ich', 'du', 'mir', 'mich',
  'le', 'la', 'les', 'un', 'une', 'des', 'du', 'de', 'et', 'ou', 'en', 'dans', 'pour', 'avec', 'sur', 'au', 'aux',
  'je', 'tu', 'il', 'me', 'moi', "l'", "d'",
  'el', 'los', 'las', 'una', 'unos', 'y', 'o', 'del', 'al', 'con', 'por', 'para', 'en', 'mi', 'yo', 'lo',
  'os', 'as', 'um', 'uma', 'e', 'do', 'da', 'dos', 'das', 'no', 'na', 'nos', 'nas', 'em', 'com', 'pra', 'eu',
  'и', 'в', 'на', 'с', 'по', 'к', 'у', 'о', 'из', 'за', 'для', 'а', 'но', 'я', 'мне', 'меня', 'ты',
  'il', 'lo', 'gli', 'di', 'che',
];

/** First words that make a sentence a question (checked on the first word or after a filler). */
export const QUESTION_STARTERS: readonly string[] = [
  'what', 'whats', 'why', 'how', 'where', 'when', 'which', 'who', 'whose', 'is', 'are', 'does', 'do', 'did',
  'can', 'could', 'should', 'would', 'will', 'was', 'were', 'has', 'have', 'any', 'wie', 'warum', 'wieso',
  'wo', 'welche', 'welcher', 'welches', 'wann', 'kann', 'kannst', 'könnte', 'koennte', 'sollte', 'pourquoi', 'comment', 'que', 'quoi', 'ou', 'quel', 'quelle', 'quels', 'quelles', 'est-ce',
  'peut-on', 'puis-je', 'cual', 'cuando', 'como', 'donde', 'quien', 'puedo', 'qual', 'quais', 'quando',
  'onde', 'quem', 'posso', 'почему', 'как', 'что', 'где', 'какой', 'какая', 'какие',
  'зачем', 'когда', 'можно', 'есть', 'ли', 'чем', 'perche', 'cosa', 'dove', 'quale',
];

/** Verbs that open an imperative (the first word, or the word after a filler like "please"). */
export const IMPERATIVE_STARTERS: readonly string[] = [
  'fix', 'add', 'rename', 'remove', 'delete', 'refactor', 'convert', 'write', 'create', 'implement', 'make',
  'update', 'change', 'explain', 'find', 'run', 'show', 'list', 'generate', 'move', 'extract', 'replace',
  'optimize', 'optimise', 'simplify', 'clean', 'sort', 'format', 'translate', 'document', 'use', 'wrap', 'split',
  'merge', 'check', 'tell', 'give', 'help', 'describe', 'summarize', 'search', 'locate', 'install', 'upgrade',
  'bump', 'migrate', 'rewrite', 'port', 'insert', 'append', 'inline', 'turn', 'swap', 'prove', 'compute',
  'calculate', 'analyze', 'analyse', 'debug', 'review', 'compare', 'design', 'trace', 'commit', 'build',
  'compile', 'deploy', 'set', 'put', 'drop', 'rewrite', 'port', 'scaffold', 'annotate', 'type', 'return',
  'füge', 'fuege', 'ändere', 'aendere', 'benenne', 'entferne', 'lösche', 'loesche', 'schreibe', 'schreib',
  'erstelle', 'erkläre', 'erklaere', 'erklär', 'finde', 'korrigiere', 'behebe', 'repariere', 'mach', 'mache',
  'zeige', 'zeig', 'konvertiere', 'wandle', 'refaktoriere', 'ersetze', 'führe', 'fuehre', 'starte',
  'implementiere', 'aktualisiere', 'optimiere', 'verschiebe', 'vereinfache', 'übersetze', 'berechne', 'beweise',
  'analysiere', 'suche', 'ajoute', 'corrige', 'renomme', 'supprime', 'écris', 'ecris', 'crée', 'cree',
  'explique', 'trouve', 'remplace', 'convertis', 'transforme', 'lance', 'exécute', 'execute', 'montre', 'fais',
  'optimise', 'mets', 'implémente', 'implemente', 'refactorise', 'déplace', 'deplace', 'simplifie', 'génère',
  'genere', 'traduis', 'calcule', 'prouve', 'analyse', 'cherche', 'añade', 'anade', 'agrega', 'arregla',
  'renombra', 'elimina', 'borra', 'escribe', 'crea', 'explica', 'encuentra', 'busca', 'reemplaza', 'convierte',
  'ejecuta', 'muestra', 'haz', 'optimiza', 'implementa', 'refactoriza', 'mueve', 'simplifica', 'genera',
  'traduce', 'actualiza', 'cambia', 'pon', 'calcula', 'demuestra', 'analiza', 'adicione', 'adiciona', 'corrija',
  'conserte', 'renomeie', 'remova', 'apague', 'escreva', 'crie', 'explique', 'encontre', 'procure', 'substitua',
  'converta', 'rode', 'mostre', 'faça', 'faca', 'otimize', 'implemente', 'refatore', 'mova', 'simplifique',
  'gere', 'traduza', 'atualize', 'mude', 'coloque', 'исправь', 'добавь', 'переименуй', 'удали', 'напиши',
  'создай', 'объясни', 'найди', 'замени', 'преобразуй', 'конвертируй', 'запусти', 'выполни', 'покажи', 'сделай',
  'оптимизируй', 'реализуй', 'отрефактори', 'перемести', 'упрости', 'сгенерируй', 'переведи', 'обнови',
  'измени', 'вычисли', 'докажи', 'проанализируй', 'убери', 'вынеси', 'почини', 'aggiungi', 'correggi', 'scrivi',
  'spiega', 'trova', 'rinomina', 'rimuovi',
];

/** Polite request openers: a request in question form ("can you add …?") is still a request. */
export const POLITE_WORDS: readonly string[] = [
  'please', 'pls', 'plz', 'can you', 'could you', 'would you', 'will you', 'can u', 'kindly', 'bitte',
  'kannst du', 'könntest du', 'koenntest du', 'können sie', 'svp', 'stp', "s'il", 'peux-tu', 'pourrais-tu',
  'pouvez-vous', 'pourriez-vous', 'por favor', 'puedes', 'podrías', 'podrias', 'podes', 'pode', 'você pode',
  'voce pode', 'poderia', 'пожалуйста', 'можешь', 'можете', 'не мог', 'per favore', 'puoi',
];
export const POLITE_CJK: readonly string[] = ['请', '請', '帮我', '幫我', '麻烦', 'ください', 'お願い', 'してくれ', 'もらえ'];

/** Words skipped when looking for the first real word ("please fix", "ok so why …"). */
export const FILLERS: readonly string[] = [
  'please', 'pls', 'plz', 'hey', 'hi', 'hello', 'ok', 'okay', 'so', 'now', 'also', 'and', 'then', 'quick',
  'quickly', 'just', 'bitte', 'hallo', 'also', 'jetzt', 'bon', 'alors', 'salut', 'oye', 'hola', 'ahora', 'oi',
  'ola', 'agora', 'пожалуйста', 'ну', 'так', 'привет', 'теперь', 'ciao',
];

/** Sentence-final particles that make Chinese and Japanese text a question. */
export const CJK_QUESTION_ENDINGS: readonly string[] = ['吗', '呢', '么', '嗎', 'か', 'の', 'かな', 'ですか', 'ますか'];
export const CJK_QUESTION_WORDS: readonly string[] = ['为什么', '怎么', '什么', '哪', '如何', '是否', '能不能', 'なぜ', 'どう', '何', 'どこ', 'どれ', 'いつ'];
