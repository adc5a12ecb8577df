// English in other registers: terse, chatty, pasted logs, paths, polite questions. Same rule.
export const lang = 'en';
export const entries = [
  // terse
  ['IA', 's', 'regex ipv4'],
  ['IA', 'p', 'js array dedupe'],
  ['IA', 'c', 'utc now python'],
  ['IE', 'i L5 ts', 'add types'],
  ['IE', 'i L3 py', 'docstring pls'],
  ['IE', 'i L8 js', 'async/await'],
  ['AA', 'p', 'usages of AuthGuard'],
  ['AA', 's', 'tests failing??'],
  ['AE', 'p', 'bump deps'],
  ['RA', 'i L20 go', 'race?'],
  ['RE', 'i L25 py', 'optimize'],
  ['RA', 'i L12 ts', 'complexity?'],
  ['AE', 's', 'fix ci'],
  ['IE', 'i L1 D1 ts', 'fix'],
  ['AA', 's', 'entrypoint?'],

  // chatty
  ['RA', 's L35 py', "ok so I've been staring at this for an hour. the function is supposed to dedupe events by id within a 5 minute window but some duplicates still get through when two arrive in the same millisecond. what am I missing?"],
  ['AA', 's', "hey! I just joined the team and I'm trying to get my bearings. could you give me a tour of how this repo is organized and where the main business logic lives?"],
  ['IA', 'c', "quick sanity check, in Python is a tuple hashable even if it contains a list? I feel like no but want to be sure"],
  ['AE', 's', "so our product manager wants the export button to also support CSV, not just PDF. can you add that? the export code is somewhere under src/export I believe"],
  ['RE', 'i L40 ts', "this works but my reviewer says it's hard to follow and has a subtle bug with empty arrays. could you clean it up and fix that edge case?"],
  ['IE', 'i L6 js', "I always forget the syntax — can you turn this into a switch statement?"],
  ['RA', 's', "thinking about whether to use a message queue or just direct HTTP calls between our two services. traffic is low (10 req/min) but we need to not lose orders if the downstream is down for a few minutes. what would you do and why?"],
  ['AA', 'c', "I'm getting a weird 401 from the API only in staging. can you look at how the auth middleware and the staging config differ from local?"],
  ['IA', 's', "honestly never understood what `export default` vs named exports buys you, can you explain?"],
  ['AE', 's', "we're dropping support for Node 16. please update the engines field, the CI matrix and remove any polyfills we had for it"],

  // pasted logs and traces
  ['AA', 's', `npm ERR! code ERESOLVE
npm ERR! ERESOLVE unable to resolve dependency tree
npm ERR! Found: react@18.2.0
npm ERR! Could not resolve dependency: peer react@"^17.0.0" from react-beautiful-dnd@13.1.1

how do I fix this in our project`],
  ['AA', 'p', `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b1c]

goroutine 1 [running]:
main.(*Server).Start(0x0)
        /app/cmd/server/main.go:57 +0x1c
main.main()
        /app/cmd/server/main.go:23 +0x85`],
  ['RA', 'i L14 go', `why nil pointer here? the struct is selected.

panic: runtime error: invalid memory address or nil pointer dereference
goroutine 1 [running]:
main.(*Server).Start(0x0)
        /app/cmd/server/main.go:57 +0x1c`],
  ['IA', 's', 'what does "error TS2307: Cannot find module \'x\' or its corresponding type declarations" mean in general?'],
  ['AE', 's', `Exception in thread "main" java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory
	at com.acme.App.<clinit>(App.java:12)

add the missing dependency to the build`],
  ['RE', 'i L22 java', `fix it:

java.util.ConcurrentModificationException
	at java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1013)
	at com.acme.Cart.removeExpired(Cart.java:48)`],
  ['IA', 'c', 'what is a segmentation fault, roughly'],
  ['AA', 's', `✖ 14 problems (9 errors, 5 warnings)
where do all these lint errors come from, which files?`],
  ['RA', 's', `This Rust code doesn't compile and I don't get why:

\`\`\`rust
fn longest(a: &str, b: &str) -> &str {
    if a.len() > b.len() { a } else { b }
}
\`\`\`
error[E0106]: missing lifetime specifier`],
  ['IE', 'i L3 D1 rs', `add the lifetime. error[E0106]: missing lifetime specifier`],

  // file paths in the prose
  ['AA', 's', 'what does src/core/scheduler.ts do and who uses it?'],
  ['AE', 'p', 'add a unit test file for lib/parser/tokenize.py covering the string escapes'],
  ['AA', 'c', 'compare config/prod.yaml and config/staging.yaml and tell me the differences'],
  ['AE', 's', 'move helpers/strings.js to utils/strings.js and update every import'],
  ['IA', 'i L1 json', 'what is the "exports" field in this package.json line for?'],
  ['AE', 's', 'in app/models/user.rb add a validation for email uniqueness and a migration for the index'],
  ['AA', 's', 'open ./scripts/deploy.sh and tell me if it is safe to run against prod'],

  // polite questions that are requests, and requests that are questions
  ['IE', 'i L10 ts', 'could you add a guard clause for empty input?'],
  ['IA', 'i L10 ts', 'should there be a guard clause for empty input here?'],
  ['IE', 'i L7 py', 'can you make this a dataclass?'],
  ['IA', 'i L7 py', 'would a dataclass be better here?'],
  ['AE', 's', 'could you please update the docs for the new config options?'],
  ['IA', 'i L5 go', 'how would I add a timeout to this?'],
  ['IE', 'i L5 go', 'add a 5s timeout to this'],
  ['RA', 'i L30 ts', 'how would you restructure this to avoid the re-renders?'],
  ['RE', 'i L30 ts', 'restructure this to avoid the re-renders'],
  ['IA', 'i L4 js', 'why use Object.freeze here?'],
  ['RA', 'i L28 py', 'why is this slower than the naive version? I added caching'],
  ['AA', 'i L1 ts', 'why is this function never called?'],

  // math and algorithms in prose
  ['IA', 'c', 'what is 17 * 23'],
  ['RA', 'c', 'find all integer solutions of x^2 - y^2 = 45'],
  ['IA', 's', 'convert 1011 0110 from binary to hex'],
  ['RA', 's', 'Given n points on a circle, every pair connected by a chord, no three chords concurrent, how many regions? derive the formula'],
  ['RA', 's', 'what is the expected number of comparisons of randomized quicksort on n distinct elements? derive it'],
  ['IA', 's', 'log2(1024)?'],
  ['RE', 'i - py', 'write a function that returns the number of ways to make change for n cents with coins 1, 5, 10, 25 using DP'],
  ['IE', 'i - py', 'write a function that converts celsius to fahrenheit'],
  ['RA', 'c', 'is 2^61 - 1 prime? how would you check it'],
];
