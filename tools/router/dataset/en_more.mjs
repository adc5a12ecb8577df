// English, second batch: self-contained problems with nothing selected (reasoning), imperatives
// that want an answer, and agentic requests phrased as commands that want an answer.
export const lang = 'en';
export const entries = [
  // reasoning, nothing selected: the problem is all in the text
  ['RA', 's', 'design the data model for a multi-tenant SaaS invoicing app: tenants, customers, invoices, line items, payments, partial refunds'],
  ['RA', 'c', 'how should I structure a URL shortener that handles 10k writes/s and 1M reads/s? walk through storage, id generation and caching'],
  ['RA', 's', 'what are the pros and cons of storing money as integer cents vs decimal in Postgres for a multi-currency ledger?'],
  ['RA', 'p', 'a train leaves at 3pm going 80 km/h, another at 4pm going 120 km/h on the same track. when does the second catch up? show the steps'],
  ['RA', 's', 'explain why quicksort is O(n log n) on average but O(n^2) in the worst case, with the math'],
  ['RA', 'c', 'we have 4 microservices calling each other synchronously and one is flaky. compare circuit breakers, retries with backoff, and a queue. which combination and why?'],
  ['RA', 's', 'Is a JWT with a 24h expiry plus a refresh token safer than a server-side session for a banking app? Think it through from an attacker’s point of view.'],
  ['RA', 's', 'How many bits of entropy does a 12-character password from [a-zA-Z0-9] have, and how long would a 10^10 guesses/s attacker need on average?'],
  ['RA', 'c', 'solve: a bag has 5 red and 3 blue balls, draw 3 without replacement, probability of exactly 2 red?'],
  ['RA', 's', 'design an algorithm to detect a cycle in a directed graph with 10^6 nodes and explain its complexity'],
  ['RA', 's', 'what consistency problems can happen if we cache user permissions in Redis for 5 minutes? list scenarios and mitigations'],
  ['RA', 'p', 'compare B-trees and LSM trees for a write-heavy time series workload, think about read amplification and compaction'],
  ['RA', 's', 'plan a zero-downtime migration that renames a column used by a running service with 3 replicas. step by step'],
  ['RA', 'c', 'what is the minimum number of weighings to find the one heavier coin among 12 with a balance scale? prove it'],
  ['RA', 's', 'if a function is called with probability p of failing independently, how many retries do I need for 99.99% success when p = 0.2?'],
  ['RA', 's', 'think through the memory layout: struct { char a; int b; char c; double d; } on x86-64. what is sizeof and why?'],
  ['RA', 'c', 'two people edit the same document offline and sync later. explain how a CRDT would merge "abc" edits where one inserts x at 1 and the other deletes b'],
  ['RA', 's', 'estimate how much storage 1 billion tweets with metadata need, and how many machines to serve them'],
  ['RA', 'p', 'given the sequence 2, 6, 12, 20, 30, what is the closed form and the 100th term? explain'],
  ['RA', 's', 'which isolation level prevents write skew, and show an example where REPEATABLE READ in Postgres still allows an anomaly'],

  // imperatives that want an answer, not an edit
  ['IA', 'i L10 ts', 'explain pls'],
  ['IA', 'i L6 py', 'describe what this returns'],
  ['IA', 'i L20 java', 'summarize this'],
  ['IA', 'i L4 go', 'tell me what this does'],
  ['IA', 'i L3 js', 'explain the regex'],
  ['IA', 'p L12 rb', 'explain this method in plain English'],
  ['IA', 'i L8 cs', 'give me a one-line summary of this'],
  ['IA', 'i L2 ts', 'show me what this evaluates to'],
  ['RA', 'i L35 py', 'walk me through this algorithm step by step'],
  ['RA', 'i L28 ts', 'explain why this is O(n log n) and not O(n^2)'],
  ['IA', 'c L5 sql', 'explain what this join returns'],
  ['IA', 'i L1 sh', 'explain this command'],

  // agentic asks for an answer in command form
  ['AA', 's', 'list the public API of the utils package'],
  ['AA', 'p', 'show me every place we call the payments service'],
  ['AA', 's', 'check whether any file still imports from `lib/old-auth`'],
  ['AA', 'c', 'summarize what changed on this branch compared to main'],
  ['AA', 's', 'count how many React components use class syntax in src/'],
  ['AA', 's', 'tell me which endpoints are not covered by tests'],
  ['AA', 'p', 'give me an overview of the folder structure'],
  ['AA', 's', 'explain how the build pipeline in this repo works, from tsconfig to the bundle'],
  ['AA', 's', 'look at the logs in logs/app.log and tell me what caused the crash at 02:14'],
  ['AA', 'c', 'run the benchmark and report the p99'],

  // instant edits with nothing selected (inline chat at the cursor)
  ['IE', 'i - ts', 'write an enum for the days of the week'],
  ['IE', 'i - py', 'add a main guard'],
  ['IE', 'i - go', 'write a struct for a user with name, email and created time'],
  ['IE', 'i - js', 'write a sleep(ms) helper that returns a promise'],
  ['IE', 'i - rs', 'add a unit test module skeleton here'],
  ['IE', 'i - css', 'write a class that truncates text with an ellipsis'],

  // instant, lookups people ask in the sidebar
  ['IA', 's', 'git: how do I see which branch I am on'],
  ['IA', 'c', 'what is the difference between an abstract class and an interface in TypeScript'],
  ['IA', 's', 'how to pass environment variables to docker run'],
  ['IA', 'p', 'java: what does the `transient` keyword do?'],
  ['IA', 's', 'what does `set -euo pipefail` do'],
  ['IA', 'c', 'SQL: what does HAVING do compared to WHERE?'],
];
