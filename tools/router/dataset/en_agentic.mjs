// English, agentic: must look at or act on the workspace beyond the selection.
import { variants } from './dsl.mjs';

export const lang = 'en';
export const entries = [
  // ---- answers that need the workspace
  ['AA', 's', 'where is the database connection configured?'],
  ['AA', 'p', 'which files import lodash?'],
  ['AA', 's', 'what does this project do?'],
  ['AA', 's', 'how is authentication implemented in this repo'],
  ['AA', 'p', 'find all usages of parseConfig'],
  ['AA', 's', 'why are the tests failing?'],
  ['AA', 'c', 'what changed in the last commit'],
  ['AA', 'i L1 ts', 'who calls this function?'],
  ['AA', 'p L1 java', 'is `UserService.delete` used anywhere?'],
  ['AA', 's', 'run the tests and tell me what fails'],
  ['AA', 's', 'what version of react are we on'],
  ['AA', 'p', 'list all TODOs in the codebase'],
  ['AA', 's', 'does the build pass right now?'],
  ['AA', 's', 'trace a request from the /login route all the way to the database'],
  ['AA', 'i L1 D1 ts', "why can't it resolve this import? the file exists I think"],
  ['AA', 's', "what's the entry point of this app"],
  ['AA', 'p', 'summarize the architecture of the src/ folder'],
  ['AA', 's', `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (src/services/user.ts:42:17)
    at async handler (src/routes/profile.ts:18:5)
what's going on?`],
  ['AA', 's', 'how many REST endpoints does the API expose?'],
  ['AA', 'c', 'are there circular dependencies between our modules?'],
  ['AA', 's', 'where do we set the CORS headers'],
  ['AA', 'p', 'which tests cover the billing module?'],
  ['AA', 's', 'is there already a helper for retrying HTTP calls somewhere in the project?'],
  ['AA', 's', 'what env vars does the app need to start?'],
  ['AA', 'i L3 py', 'where else is this pattern used in the codebase?'],
  ['AA', 's', 'how does the frontend talk to the backend here — REST, GraphQL, websockets?'],
  ['AA', 's', 'who wrote the retry logic in src/net/client.ts and when did it change?'],
  ['AA', 'c', 'what node version does this repo expect'],
  ['AA', 's', 'what does `npm run build` actually do in this project?'],
  ['AA', 's', 'explain how the plugin system in this repo loads plugins'],
  ['AA', 'p', "why is the app slow on startup? profile it if you can"],
  ['AA', 's', 'is the `legacy/` folder still referenced by anything?'],
  ['AA', 's', 'which database migrations have not been applied yet'],
  ['AA', 'c L1 go', 'what implements this interface?'],
  ['AA', 's', `the CI job fails with

    Error: Cannot find module '@app/shared/logger'
    Require stack:
    - /home/runner/work/app/packages/api/dist/server.js

what's wrong with our setup?`],
  ['AA', 's', 'do we have any hardcoded secrets or API keys committed?'],
  ['AA', 'p', 'show me where feature flags are evaluated'],
  ['AA', 's', 'what is the test coverage of the parser package?'],
  ['AA', 'i L2 ts', 'what are the possible values of this enum in the JSON fixtures?'],
  ['AA', 's', 'how do the services in docker-compose.yml depend on each other?'],
  ['AA', 'c', 'check if the API docs in docs/api.md still match the actual routes'],
  ['AA', 's', 'what would break if I deleted the `utils/format.ts` file?'],
  ['AA', 's', 'how is logging configured across the services'],
  ['AA', 'p', 'find the function that computes shipping costs'],
  ['AA', 's', 'the app throws 500 on /checkout since yesterday, figure out why'],
  ['AA', 'c', 'is this repo using yarn or npm? and which workspaces are there'],
  ['AA', 's', 'why does `cargo build` fail on my machine'],
  ['AA', 'i L1 py', 'where is this setting read from?'],

  // ---- edits beyond the selection
  ['AE', 'p', 'rename getUser to fetchUser everywhere'],
  ['AE', 's', 'add unit tests for src/utils/date.ts'],
  ['AE', 's', 'update all callers of createClient to pass the new options object'],
  ['AE', 's', 'fix the failing tests'],
  ['AE', 'p', 'upgrade axios to v1 and fix whatever breaks'],
  ['AE', 's', 'add a --verbose flag to the CLI and document it in the README'],
  ['AE', 's', 'migrate the whole project from moment to date-fns'],
  ['AE', 'p', 'remove unused dependencies from package.json'],
  ['AE', 's', 'set up eslint with the airbnb config for this repo'],
  ['AE', 'c', 'create a Dockerfile for this service'],
  ['AE', 's', 'add request logging to every API handler'],
  ['AE', 's', 'the build is broken, fix it'],
  ['AE', 'p', 'commit these changes with a good commit message'],
  ['AE', 's', 'split utils.ts into separate modules by concern and update the imports'],
  ['AE', 's', 'add STRIPE_WEBHOOK_SECRET to .env.example and to the config loader'],
  ['AE', 'p', 'implement the TODOs in src/api/'],
  ['AE', 'i L12 ts', 'export this from the package index too'],
  ['AE', 'i L40 ts', 'move this class into its own file and fix the imports'],
  ['AE', 'i L15 py', 'add a test for this function'],
  ['AE', 'p', 'fix all eslint errors in the project'],
  ['AE', 's', 'wire up the new /reports route in the router and add a link in the nav bar'],
  ['AE', 's', 'convert the whole codebase from CommonJS require to ES modules'],
  ['AE', 'c', 'bump the version to 2.1.0 everywhere it appears and add a changelog entry'],
  ['AE', 's', 'add a GitHub Actions workflow that runs lint and tests on every PR'],
  ['AE', 'i L1 ts', 'this function is deprecated, replace all its usages with `formatDate`'],
  ['AE', 's', 'generate TypeScript types from the OpenAPI spec in api/openapi.yaml and use them in the client'],
  ['AE', 'p', 'delete the dead code in the legacy folder, make sure nothing imports it'],
  ['AE', 's', 'run the migrations and then seed the dev database'],
  ['AE', 's', 'install zod and validate the request bodies in all the POST handlers'],
  ['AE', 'i L6 py', 'this config key was renamed to `timeout_s`; update the yaml files and the docs'],
  ['AE', 's', `tests fail with

FAIL src/cart/cart.test.ts
  ● Cart › applies discount
    expected 90, received 100

please fix`],
  ['AE', 's', 'add pagination to the /users endpoint, including the service, the repository and the tests'],
  ['AE', 'c', 'make the project compile with strict mode on'],
  ['AE', 's', 'replace every hardcoded color in the components with theme tokens'],
  ['AE', 'p', 'format all python files with black'],
  ['AE', 's', 'add i18n: extract all the user-facing strings in src/components into en.json'],
  ['AE', 'i L20 go', 'add a handler for this in the router and register the metrics'],
  ['AE', 's', 'write a README for this repo based on what the code actually does'],
  ['AE', 's', 'create a new React component UserCard in components/ following the conventions of the existing ones'],
  ['AE', 'p', 'add a pre-commit hook that runs prettier'],
  ['AE', 's', `getting this on startup:

Error: listen EADDRINUSE: address already in use :::3000
    at Server.setupListenHandle [as _listen2] (node:net:1817:16)

make the port configurable through an env var and document it`],
  ['AE', 'i L3 ts', 'add this new field to the DTO, the DB schema and the mapper'],
  ['AE', 's', 'revert the last commit but keep the test changes'],
  ['AE', 'c', 'the lockfile is out of date, regenerate it and check nothing breaks'],

  // rename across the project: the scope word is what moves it to agentic
  ...variants('en-rename-everywhere', 'AE', ['p', 's L1 ts', 'i L1 py', 'c'], 'rename $1 to $2 $3', [
    ['`OrderDTO`', '`OrderDto`', 'across the codebase'],
    ['userId', 'accountId', 'in every file'],
    ['the `db` module', '`database`', 'and update all imports'],
    ['fetchData', 'loadData', 'throughout the project'],
  ]),
  ...variants('en-find-def', 'AA', ['p', 's', 'c', 'i L1 ts'], '$1', [
    'where is `handleSubmit` defined?',
    'go to the definition of validateToken',
    'where do we define the User model',
    'which file declares AppConfig',
  ]),
];
