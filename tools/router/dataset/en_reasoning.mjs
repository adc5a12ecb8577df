// English, reasoning: multi-step deduction, but everything needed is in the query or the selection.
export const lang = 'en';
export const entries = [
  // ---- answers that need thinking
  ['RA', 'i L14 py', 'why does this recursion blow the stack for n = 10000 but not for 1000?'],
  ['RA', 'p L22 ts', "what's the time complexity of this function? I think it's quadratic but not sure"],
  ['RA', 'i L30 java', 'is this class thread-safe?'],
  ['RA', 's L8 c', 'prove that this loop always terminates'],
  ['RA', 's', `why does this crash?

\`\`\`js
function total(items) {
  return items.reduce((sum, it) => sum + it.price * it.qty);
}
console.log(total([{ price: 2, qty: 3 }, { price: 1, qty: 1 }]));
\`\`\`
it prints [object Object]1 instead of 7`],
  ['RA', 'i L25 py', 'there is a bug in this binary search somewhere, where is it?'],
  ['RA', 's', 'We need a cache in front of a slow pricing API: 50k SKUs, prices change hourly, 200 req/s. Compare a TTL cache vs write-through invalidation and recommend one.'],
  ['RA', 's', 'design a relational schema for a library: books, copies, members, loans and holds with a waiting list'],
  ['RA', 'c', 'how many ways are there to climb 10 stairs if you can take 1 or 2 steps at a time? show the reasoning'],
  ['RA', 's', `what does this print and why?

\`\`\`js
for (var i = 0; i < 3; i++) {
  setTimeout(() => console.log(i), 0);
}
Promise.resolve().then(() => console.log('p'));
console.log('sync');
\`\`\``],
  ['RA', 'i L40 ts', 'walk me through what happens in this reducer when LOGOUT is dispatched while a refresh is in flight'],
  ['RA', 'p L12 sql', `given this schema and query, why is it slow and which index would fix it?`],
  ['RA', 'i L26 go', 'is there a race between these two goroutines? they both touch `count`'],
  ['RA', 's L9 sql', 'this query returns duplicate rows, why? I only expect one row per customer'],
  ['RA', 's', 'derive the recurrence for merge sort with a 3-way split and solve it'],
  ['RA', 's', "explain step by step how the regex (a+)+b backtracks on the input 'aaaaaaaaaaaaaaaac'"],
  ['RA', 'i L18 py', `why does this test fail? the function is selected and here is the output:

AssertionError: assert [1, 2, 2, 3] == [1, 2, 3]`],
  ['RA', 's', 'Is it possible for a deadlock to occur if every thread acquires locks A and B in the same order but one thread also takes lock C inside B? Reason it out.'],
  ['RA', 'p L35 rs', 'does this code have any undefined behaviour or unsound unsafe blocks?'],
  ['RA', 'i L16 cpp', 'what happens to the iterator here when I erase inside the loop? walk through it'],
  ['RA', 's', 'A service does 3 retries with exponential backoff starting at 200ms, factor 2, with full jitter. What is the worst-case and expected total wait before giving up?'],
  ['RA', 's L20 ts', 'find the edge cases this date range overlap check gets wrong'],
  ['RA', 'c', 'if I have 3 replicas with quorum reads R=2 and writes W=2, can a read miss the latest write? explain with a scenario'],
  ['RA', 'i L45 java', 'this method sometimes returns null even though the map has the key. why??'],
  ['RA', 's', 'what is the probability that two of 23 random people share a birthday? derive it, do not just quote it'],
  ['RA', 'p L60 py', 'review this function for correctness: does it handle empty input, duplicates and negative numbers?'],
  ['RA', 's', `Why does this Python code print True then False?

\`\`\`python
a = 256
b = 256
print(a is b)
a = 257
b = 257
print(a is b)
\`\`\``],
  ['RA', 'i L10 hs', 'why does foldl blow up memory here but foldr does not?'],
  ['RA', 's', 'I have a function f(n) = f(n-1) + f(n-3) with f(0)=f(1)=f(2)=1. what is f(20)? please compute carefully'],
  ['RA', 's L28 ts', 'compare these two implementations, which one is faster for large arrays and why'],
  ['RA', 'i L15 c', 'can this overflow? a and b are both up to 2^31-1'],
  ['RA', 's', 'what are the trade-offs between optimistic and pessimistic locking for an inventory system where two users often buy the last item at once?'],
  ['RA', 'c L24 py', 'is this memoization correct? it seems to return stale values when the list argument changes'],
  ['RA', 's', `Given:
- orders(id, customer_id, created_at)
- order_items(order_id, sku, qty)
How would I compute each customer's most frequently ordered SKU in a single SQL query? Explain the approach.`],
  ['RA', 'i L12 js', 'why is `this` undefined inside the callback here?'],
  ['RA', 's', 'Explain, step by step, why a Bloom filter can have false positives but never false negatives, and how to size one for 1M items at 1% error.'],
  ['RA', 'p L19 kt', 'what will this coroutine code print, and in what order?'],
  ['RA', 's L33 py', "analyze this algorithm's worst case. it's some kind of interval merge"],
  ['RA', 'i L8 sol', 'is this contract vulnerable to reentrancy?'],
  ['RA', 's', `Here's the stack trace and the code it points to. Why does it fail?

\`\`\`
Traceback (most recent call last):
  File "app.py", line 9, in <module>
    print(avg([]))
  File "app.py", line 3, in avg
    return sum(xs) / len(xs)
ZeroDivisionError: division by zero
\`\`\`

\`\`\`python
def avg(xs):
    # mean of the list
    return sum(xs) / len(xs)
\`\`\``],
  ['RA', 'i L50 ts', 'does this state machine ever get stuck? check every transition'],
  ['RA', 'c', 'which is more efficient for 10^6 lookups on a static set of 5000 strings: a sorted array with binary search, a hash set, or a trie? reason about it'],
  ['RA', 's L14 go', 'why would this channel code deadlock when the buffer is full?'],
  ['RA', 's', 'how would you shard a users table of 2B rows by region while keeping cross-region lookups by email fast? think through the trade-offs'],
  ['RA', 'i L9 ts', 'why does TypeScript infer `never` here?'],

  // ---- edits that need thinking, everything given
  ['RE', 'i L10 py', 'fix the off-by-one error in this loop'],
  ['RE', 'i L22 ts', "optimize this, it's O(n^2) and n can be 100k"],
  ['RE', 'p L45 java', 'refactor this method to get rid of the nested ifs without changing behaviour'],
  ['RE', 'i L30 go', 'this deadlocks sometimes under load — fix it'],
  ['RE', 'i L25 java', 'make this class thread-safe'],
  ['RE', 'i L12 py', 'rewrite this recursive function iteratively'],
  ['RE', 'i L40 ts', 'fix the bug: the cache never evicts old entries'],
  ['RE', 'i - py', "implement Dijkstra's shortest path with a binary heap"],
  ['RE', 'i - ts', 'write a function that parses ISO 8601 durations like P3DT4H12M into seconds'],
  ['RE', 'i - java', 'implement an LRU cache with O(1) get and put'],
  ['RE', 'i L15 js', 'this returns wrong results for negative numbers, fix it'],
  ['RE', 'p L18 py', 'handle the DST and leap-year edge cases in this date difference'],
  ['RE', 'i L60 ts', 'turn this regex-based parser into a proper tokenizer + recursive descent parser'],
  ['RE', 'i L20 D1 rs', 'fix the borrow checker error, I need to mutate the vec while iterating'],
  ['RE', 'i L35 py', 'make this faster, it is called millions of times'],
  ['RE', 'i L28 cpp', 'there is a memory leak in this class, fix it (rule of five?)'],
  ['RE', 'i - go', 'write a rate limiter using the token bucket algorithm, safe for concurrent use'],
  ['RE', 'i L16 ts', 'rewrite this so the retries use exponential backoff with jitter and a max total time'],
  ['RE', 's L24 py', 'the pagination in this function skips items when new rows are inserted meanwhile. change it to keyset pagination'],
  ['RE', 'i L12 sql', 'rewrite this query to avoid the correlated subquery'],
  ['RE', 'i - rs', 'implement a trie with insert, search and starts_with'],
  ['RE', 'i L50 js', 'this function is a mess. split it into smaller pure functions, keep the same output'],
  ['RE', 'i L14 ts', `fix this. the test output:

expected: ["a","b","c"]
received: ["a","c","b"]

the comparator should sort by priority then by name`],
  ['RE', 'i L8 py', 'make this function correct for unicode strings, it breaks on emoji'],
  ['RE', 'p L33 kt', 'convert this callback hell into coroutines, keep the error handling semantics'],
  ['RE', 'i L22 c', 'fix the buffer overflow'],
  ['RE', 'i - py', 'write a function to solve sudoku with backtracking'],
  ['RE', 'i L9 js', 'the floating point sum is off by a cent sometimes, fix it so money is exact'],
  ['RE', 'i L40 ts', 'add cancellation support to this async pipeline with AbortSignal, every stage must stop'],
  ['RE', 'c L18 go', 'can you rewrite this worker pool so it shuts down gracefully without losing jobs?'],
  ['RE', 'i L70 py', `this crashes with the trace below, fix it

Traceback (most recent call last):
  File "etl.py", line 41, in transform
    row["total"] = row["price"] * row["qty"]
TypeError: can't multiply sequence by non-int of type 'str'`],
  ['RE', 'i L26 ts', 'implement the missing `merge` so overlapping intervals are combined, O(n log n)'],
  ['RE', 'i L11 java', 'equals and hashCode are inconsistent here, fix them'],
  ['RE', 'i - cpp', 'implement a lock-free single-producer single-consumer ring buffer'],
  ['RE', 'p L30 swift', 'refactor this view model to remove the retain cycle'],
  ['RE', 'i L13 py', 'vectorize this with numpy, the loop is too slow'],
  ['RE', 'i L19 D3 ts', 'fix these type errors properly, no `any`'],
];
