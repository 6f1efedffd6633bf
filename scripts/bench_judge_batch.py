"""The batch that scripts/bench_judge.py judges: 12 LiveCodeBench-like problems, tests, submissions.

Each problem has a deterministic test generator (``gen(rng, i) -> (input, output)``, the expected
output computed here by a reference), several correct Python submissions in the styles models write
(``input()``, ``sys.stdin.readline``, ``sys.stdin.read().split()``, ``if __name__ == "__main__"``,
LeetCode ``class Solution``), a wrong-answer one, a runtime-error one, and for some a too-slow one
(time limit exceeded on its largest test). Correct submissions stay inside what LiveCodeBench's
mocked stdin supports (no ``sys.stdin.buffer``) and recurse no deeper than Python's default limit,
so that both runners must agree on every verdict.
"""
from __future__ import annotations

import json
import math
import random
from bisect import bisect_left
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable

TIME_LIMIT_S = 1.0


@dataclass
class Spec:
    name: str
    kind: str  # "stdin" | "functional"
    n_tests: int
    gen: Callable[[random.Random, int], tuple[str, str]]
    correct: list[str]
    wrong: str
    crash: str
    slow: str | None = None  # TLE on the last (largest) test
    cpp: list[str] = field(default_factory=list)
    func_name: str | None = None


def ramp(i: int, n_tests: int, lo: int, hi: int) -> int:
    """Sizes grow with the test index, the last test the largest (as in real test sets)."""
    return lo + (hi - lo) * i * i // max(1, (n_tests - 1) ** 2)


def fn_input(*args) -> str:
    return "\n".join(json.dumps(a) for a in args)


# --- generators: (rng, test index) -> (input, expected output) ----------------------------------

def gen_sum(rng, i):
    a = [rng.randint(-10**9, 10**9) for _ in range(ramp(i, 25, 1, 20000))]
    return f"{len(a)}\n{' '.join(map(str, a))}\n", f"{sum(a)}\n"


def gen_sort(rng, i):
    a = [rng.randint(-10**6, 10**6) for _ in range(ramp(i, 20, 1, 10000))]
    return f"{len(a)}\n{' '.join(map(str, a))}\n", " ".join(map(str, sorted(a))) + "\n"


def gen_range_sums(rng, i):
    n, q = ramp(i, 30, 1, 5000), ramp(i, 30, 1, 5000)
    a = [rng.randint(-1000, 1000) for _ in range(n)]
    qs = [sorted((rng.randint(1, n), rng.randint(1, n))) for _ in range(q)]
    text = f"{n} {q}\n{' '.join(map(str, a))}\n" + "".join(f"{l} {r}\n" for l, r in qs)
    return text, "".join(f"{sum(a[l - 1:r])}\n" for l, r in qs)


def gen_two_sum(rng, i):
    n = 10000 if i == 24 else ramp(i, 24, 2, 3000)
    nums = [4 * v for v in rng.sample(range(-250000, 250000), n)]
    x, y = (n - 2, n - 1) if i == 24 else sorted(rng.sample(range(min(1, n - 2), n), 2))
    nums[x] += 1  # the only two values = 1 (mod 4): the only pair summing to target = 2 (mod 4)
    nums[y] += 1
    target = nums[x] + nums[y]
    if i % 3 == 2 and n > 2 and target // 2 not in nums:
        nums[0] = target // 2  # a lone half of the target: a trap for solutions allowing i == j
    return fn_input(nums, target), json.dumps([x, y])


def bfs_grid(g):
    h, w = len(g), len(g[0])
    dist = {(0, 0): 0}
    todo = deque([(0, 0)])
    while todo:
        r, c = todo.popleft()
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < h and 0 <= nc < w and g[nr][nc] == "." and (nr, nc) not in dist:
                dist[nr, nc] = dist[r, c] + 1
                todo.append((nr, nc))
    return dist.get((h - 1, w - 1), -1)


def gen_grid(rng, i):
    h, w = ramp(i, 25, 2, 60), ramp(i, 25, 2, 60)
    wall = 0.25 if i % 4 else 0.45
    g = [[("#" if rng.random() < wall else ".") for _ in range(w)] for _ in range(h)]
    g[0][0] = g[h - 1][w - 1] = "."
    g = ["".join(row) for row in g]
    return f"{h} {w}\n" + "\n".join(g) + "\n", f"{bfs_grid(g)}\n"


def lis(nums):
    tails = []
    for x in nums:
        k = bisect_left(tails, x)
        tails[k:k + 1] = [x]
    return len(tails)


def gen_lis(rng, i):
    nums = [rng.randint(0, 50 + 40 * i) for _ in range(ramp(i, 20, 1, 2500))]
    return fn_input(nums), json.dumps(lis(nums))


def gen_letters(rng, i):
    letters, n = "zyxwvutsrqponmlkjihgfedcba"[: 3 + i], ramp(i, 20, 1, 100000)
    if i % 4 == 1:  # every letter equally often: ties go to the smallest letter
        s = list(letters * max(1, n // len(letters)))
        rng.shuffle(s)
        s = "".join(s)
    else:
        s = "".join(rng.choice(letters) for _ in range(n))
    top = max(sorted(Counter(s).items()), key=lambda kv: kv[1])
    return s + "\n", f"{top[0]} {top[1]}\n"


def divisors(x):
    return sum(1 if d * d == x else 2 for d in range(1, math.isqrt(x) + 1) if x % d == 0)


def gen_divisors(rng, i):
    xs = [rng.randint(1, 10**7) for _ in range(ramp(i, 20, 1, 60))]
    xs[0] = rng.randint(1, 3000) ** 2 if i % 2 else xs[0]
    return f"{len(xs)}\n" + "\n".join(map(str, xs)) + "\n", "".join(f"{divisors(x)}\n" for x in xs)


def gen_max_sub(rng, i):
    n = ramp(i, 25, 1, 10000)
    nums = [rng.randint(-10**4, -1) if i % 7 == 4 else rng.randint(-10**4, 10**4) for _ in range(n)]
    best = cur = nums[0]
    for x in nums[1:]:
        cur = max(x, cur + x)
        best = max(best, cur)
    return fn_input(nums), json.dumps(best)


def gen_edit(rng, i):
    a = "".join(rng.choice("acgt") for _ in range(rng.randint(400, 650)))
    b = "".join(rng.choice("acgt") for _ in range(rng.randint(400, 650)))
    prev = list(range(len(b) + 1))
    for x in a:
        cur = [prev[0] + 1]
        for j, y in enumerate(b):
            cur.append(min(prev[j + 1] + 1, cur[j] + 1, prev[j] + (x != y)))
        prev = cur
    return f"{a}\n{b}\n", f"{prev[-1]}\n"


def gen_parens(rng, i):
    n = ramp(i, 20, 1, 5000)
    out, stack = [], []
    for _ in range(n):
        if stack and rng.random() < 0.5:
            out.append(")]}"["([{".index(stack.pop())])
        else:
            stack.append(rng.choice("([{"))
            out.append(stack[-1])
    out += [")]}"["([{".index(c)] for c in reversed(stack)]
    if i % 3 == 1:  # one closer of the wrong type: the counts still balance, the nesting breaks
        j = next(k for k in range(len(out)) if out[k] in ")]}")
        out[j] = {")": "]", "]": "}", "}": ")"}[out[j]]
    if i % 5 == 3:
        out.insert(0, ")")
    s = "".join(out)
    stack, ok = [], True
    for c in s:
        if c in "([{":
            stack.append(c)
        elif not stack or "([{".index(stack.pop()) != ")]}".index(c):
            ok = False
            break
    return fn_input(s), json.dumps(ok and not stack)


def gen_islands(rng, i):
    h, w = ramp(i, 20, 1, 40), ramp(i, 20, 1, 40)
    g = [[("1" if rng.random() < 0.45 else "0") for _ in range(w)] for _ in range(h)]
    seen, count = set(), 0
    for r in range(h):
        for c in range(w):
            if g[r][c] == "1" and (r, c) not in seen:
                count += 1
                seen.add((r, c))
                todo = [(r, c)]
                while todo:
                    y, x = todo.pop()
                    for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                        if 0 <= ny < h and 0 <= nx < w and g[ny][nx] == "1" and (ny, nx) not in seen:
                            seen.add((ny, nx))
                            todo.append((ny, nx))
    return fn_input(g), json.dumps(count)


# --- submissions -------------------------------------------------------------------------------

SPECS = [
    Spec("sum-array", "stdin", 25, gen_sum, [
        "n = int(input())\na = list(map(int, input().split()))\nprint(sum(a))\n",
        "import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\nprint(sum(int(x) for x in data[1:1 + n]))\n",
        "def main():\n    n = int(input())\n    total = 0\n    for x in input().split():\n        total += int(x)\n"
        "    print(total)\n\nif __name__ == \"__main__\":\n    main()\n",
    ], wrong="n = int(input())\na = list(map(int, input().split()))\nprint(max(0, sum(a)))\n",
        crash="n = int(input())\na = input().split()\nprint(sum(int(a[i]) for i in range(n + 1)))\n",
        cpp=["#include <bits/stdc++.h>\nint main(){int n;scanf(\"%d\",&n);long long s=0,x;"
             "for(int i=0;i<n;i++){scanf(\"%lld\",&x);s+=x;}printf(\"%lld\\n\",s);}\n"]),
    Spec("sort-numbers", "stdin", 20, gen_sort, [
        "input()\nprint(*sorted(map(int, input().split())))\n",
        "import sys\ninput = sys.stdin.readline\nn = int(input())\na = [int(x) for x in input().split()]\na.sort()\n"
        "sys.stdout.write(' '.join(map(str, a)) + '\\n')\n",
    ], wrong="input()\nprint(*sorted(input().split()))\n",
        crash="import heapq\nn = int(input())\na = list(map(int, input().split()))\nheapq.heapify(a)\n"
              "print(*[heapq.heappop(a) for _ in range(n + (n > 5))])\n",
        cpp=["#include <bits/stdc++.h>\nusing namespace std;\nint main(){int n;cin>>n;vector<long long>a(n);"
             "for(auto&x:a)cin>>x;sort(a.begin(),a.end());for(int i=0;i<n;i++)cout<<a[i]<<(i+1<n?' ':'\\n');}\n"]),
    Spec("range-sums", "stdin", 30, gen_range_sums, [
        "import sys\nfrom itertools import accumulate\ninput = sys.stdin.readline\nn, q = map(int, input().split())\n"
        "p = [0] + list(accumulate(map(int, input().split())))\nout = []\nfor _ in range(q):\n"
        "    l, r = map(int, input().split())\n    out.append(p[r] - p[l - 1])\nprint('\\n'.join(map(str, out)))\n",
        "n, q = map(int, input().split())\na = list(map(int, input().split()))\np = [0] * (n + 1)\n"
        "for i in range(n):\n    p[i + 1] = p[i] + a[i]\nfor _ in range(q):\n    l, r = map(int, input().split())\n"
        "    print(p[r] - p[l - 1])\n",
    ], wrong="n, q = map(int, input().split())\na = list(map(int, input().split()))\np = [0]\nfor x in a:\n"
             "    p.append(p[-1] + x)\nfor _ in range(q):\n    l, r = map(int, input().split())\n    print(p[r] - p[l])\n",
        crash="n, q = map(int, input().split())\na = list(map(int, input().split()))\np = [0]\nfor x in a:\n"
              "    p.append(p[-1] + x)\nfor _ in range(q + 1):\n    l, r = map(int, input().split())\n"
              "    print(p[r] - p[l - 1])\n",
        cpp=["#include <bits/stdc++.h>\nint main(){int n,q;scanf(\"%d %d\",&n,&q);std::vector<long long>p(n+1);"
             "for(int i=0;i<n;i++){long long x;scanf(\"%lld\",&x);p[i+1]=p[i]+x;}"
             "while(q--){int l,r;scanf(\"%d %d\",&l,&r);printf(\"%lld\\n\",p[r]-p[l-1]);}}\n"]),
    Spec("two-sum", "functional", 25, gen_two_sum, [
        "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        seen = {}\n"
        "        for i, x in enumerate(nums):\n            if target - x in seen:\n                return [seen[target - x], i]\n"
        "            seen[x] = i\n        return []\n",
        "class Solution:\n    def twoSum(self, nums, target):\n        order = sorted(range(len(nums)), key=nums.__getitem__)\n"
        "        lo, hi = 0, len(nums) - 1\n        while lo < hi:\n            s = nums[order[lo]] + nums[order[hi]]\n"
        "            if s == target:\n                return sorted([order[lo], order[hi]])\n"
        "            if s < target:\n                lo += 1\n            else:\n                hi -= 1\n",
    ], wrong="class Solution:\n    def twoSum(self, nums, target):\n        pos = {x: i for i, x in enumerate(nums)}\n"
             "        for i, x in enumerate(nums):\n            if target - x in pos:\n                return [i, pos[target - x]]\n",
        crash="class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n        for i, x in enumerate(nums):\n"
              "            j = seen[target - x]\n            if j is not None:\n                return [j, i]\n"
              "            seen[x] = i\n",
        slow="class Solution:\n    def twoSum(self, nums, target):\n        for i in range(len(nums)):\n"
             "            for j in range(i + 1, len(nums)):\n                if nums[i] + nums[j] == target:\n"
             "                    return [i, j]\n", func_name="twoSum"),
    Spec("grid-bfs", "stdin", 25, gen_grid, [
        "from collections import deque\nh, w = map(int, input().split())\ng = [input() for _ in range(h)]\n"
        "dist = [[-1] * w for _ in range(h)]\ndist[0][0] = 0\ndq = deque([(0, 0)])\nwhile dq:\n    r, c = dq.popleft()\n"
        "    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n        nr, nc = r + dr, c + dc\n"
        "        if 0 <= nr < h and 0 <= nc < w and g[nr][nc] == '.' and dist[nr][nc] < 0:\n"
        "            dist[nr][nc] = dist[r][c] + 1\n            dq.append((nr, nc))\nprint(dist[h - 1][w - 1])\n",
        "import sys\ndef solve():\n    h, w = map(int, sys.stdin.readline().split())\n"
        "    g = [sys.stdin.readline().strip() for _ in range(h)]\n    seen = {0: 0}\n    q = [0]\n    for v in q:\n"
        "        r, c = divmod(v, w)\n        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):\n"
        "            u = nr * w + nc\n            if 0 <= nr < h and 0 <= nc < w and g[nr][nc] == '.' and u not in seen:\n"
        "                seen[u] = seen[v] + 1\n                q.append(u)\n    print(seen.get(h * w - 1, -1))\nsolve()\n",
    ], wrong="from collections import deque\nh, w = map(int, input().split())\ng = [input() for _ in range(h)]\n"
             "dist = [[0] * w for _ in range(h)]\nseen = {(0, 0)}\ndq = deque([(0, 0)])\nwhile dq:\n    r, c = dq.popleft()\n"
             "    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):\n"
             "        if 0 <= nr < h and 0 <= nc < w and g[nr][nc] == '.' and (nr, nc) not in seen:\n"
             "            seen.add((nr, nc))\n            dist[nr][nc] = dist[r][c] + 1\n            dq.append((nr, nc))\n"
             "print(dist[h - 1][w - 1])\n",
        crash="from collections import deque\nh, w = map(int, input().split())\ng = [input() for _ in range(h)]\n"
              "seen = {(0, 0): 0}\ndq = deque([(0, 0)])\nwhile dq:\n    r, c = dq.popleft()\n"
              "    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):\n"
              "        if 0 <= nr <= h and 0 <= nc < w and g[nr][nc] == '.' and (nr, nc) not in seen:\n"
              "            seen[nr, nc] = seen[r, c] + 1\n            dq.append((nr, nc))\nprint(seen.get((h - 1, w - 1), -1))\n"),
    Spec("lis", "functional", 20, gen_lis, [
        "from bisect import bisect_left\nclass Solution:\n    def lengthOfLIS(self, nums: List[int]) -> int:\n"
        "        tails = []\n        for x in nums:\n            i = bisect_left(tails, x)\n            if i == len(tails):\n"
        "                tails.append(x)\n            else:\n                tails[i] = x\n        return len(tails)\n",
        "class Solution:\n    def lengthOfLIS(self, nums):\n        vals = sorted(set(nums))\n"
        "        rank = {v: i + 1 for i, v in enumerate(vals)}\n        tree = [0] * (len(vals) + 1)\n        best = 0\n"
        "        for x in nums:\n            i, cur = rank[x] - 1, 0\n            while i > 0:\n"
        "                cur = max(cur, tree[i])\n                i -= i & -i\n            cur += 1\n            best = max(best, cur)\n"
        "            i = rank[x]\n            while i < len(tree):\n                tree[i] = max(tree[i], cur)\n"
        "                i += i & -i\n        return best\n",
    ], wrong="import bisect\nclass Solution:\n    def lengthOfLIS(self, nums):\n        tails = []\n        for x in nums:\n"
             "            i = bisect.bisect_right(tails, x)\n            tails[i:i + 1] = [x]\n        return len(tails)\n",
        crash="class Solution:\n    def lengthOfLIS(self, nums):\n        tails = [nums[0]]\n        for x in nums[1:]:\n"
              "            lo, hi = 0, len(tails)\n            while lo < hi:\n                mid = (lo + hi) // 2\n"
              "                if tails[mid] < x:\n                    lo = mid + 1\n                else:\n                    hi = mid\n"
              "            tails[lo] = x\n        return len(tails)\n", func_name="lengthOfLIS"),
    Spec("letter-count", "stdin", 20, gen_letters, [
        "from collections import Counter\ns = input().strip()\ncnt = Counter(s)\n"
        "best = min(cnt, key=lambda ch: (-cnt[ch], ch))\nprint(best, cnt[best])\n",
        "import sys\ns = sys.stdin.readline().strip()\nf = [0] * 26\nfor ch in s:\n    f[ord(ch) - 97] += 1\n"
        "m = max(f)\ni = f.index(m)\nprint(chr(97 + i), m)\n",
    ], wrong="from collections import Counter\ns = input()\nch, k = max(Counter(s).items(), key=lambda kv: (kv[1], kv[0]))\n"
             "print(ch, k)\n",
        crash="s = input()\nf = [0] * 25\nfor ch in s:\n    f[ord(ch) - ord('a')] += 1\nm = max(f)\n"
              "print(chr(97 + f.index(m)), m)\n"),
    Spec("divisors", "stdin", 20, gen_divisors, [
        "import math\nt = int(input())\nfor _ in range(t):\n    x = int(input())\n    c = 0\n"
        "    for d in range(1, math.isqrt(x) + 1):\n        if x % d == 0:\n            c += 1 if d * d == x else 2\n    print(c)\n",
        "import sys\ndef count(x):\n    res, p = 1, 2\n    while p * p <= x:\n        e = 0\n        while x % p == 0:\n"
        "            x //= p\n            e += 1\n        res *= e + 1\n        p += 1\n    return res * (2 if x > 1 else 1)\n"
        "data = sys.stdin.read().split()\nprint('\\n'.join(str(count(int(v))) for v in data[1:]))\n",
    ], wrong="t = int(input())\nfor _ in range(t):\n    x = int(input())\n    c, d = 0, 1\n    while d * d < x:\n"
             "        if x % d == 0:\n            c += 2\n        d += 1\n    print(c)\n",
        crash="import math\nt = int(input())\nfor _ in range(t):\n    x = int(input())\n"
              "    print(sum(2 for d in range(1, math.sqrt(x)) if x % d == 0))\n",
        slow="t = int(input())\nfor _ in range(t):\n    x = int(input())\n"
             "    print(sum(1 for d in range(1, x + 1) if x % d == 0))\n"),
    Spec("max-subarray", "functional", 25, gen_max_sub, [
        "class Solution:\n    def maxSubArray(self, nums: List[int]) -> int:\n        best = cur = nums[0]\n"
        "        for x in nums[1:]:\n            cur = max(x, cur + x)\n            best = max(best, cur)\n        return best\n",
        "class Solution:\n    def maxSubArray(self, nums):\n        best, low, pre = nums[0], 0, 0\n        for x in nums:\n"
        "            pre += x\n            best = max(best, pre - low)\n            low = min(low, pre)\n        return best\n",
    ], wrong="class Solution:\n    def maxSubArray(self, nums):\n        best = cur = 0\n        for x in nums:\n"
             "            cur = max(0, cur + x)\n            best = max(best, cur)\n        return best\n",
        crash="class Solution:\n    def maxSubArray(self, nums):\n        best = cur = nums[0]\n"
              "        for i in range(1, len(nums) + 1):\n            cur = max(nums[i], cur + nums[i])\n"
              "            best = max(best, cur)\n        return best\n",
        slow="class Solution:\n    def maxSubArray(self, nums):\n        best = nums[0]\n        for i in range(len(nums)):\n"
             "            s = 0\n            for j in range(i, len(nums)):\n                s += nums[j]\n"
             "                if s > best:\n                    best = s\n        return best\n", func_name="maxSubArray"),
    Spec("edit-distance", "stdin", 10, gen_edit, [
        "a = input().strip()\nb = input().strip()\nprev = list(range(len(b) + 1))\nfor i, x in enumerate(a, 1):\n"
        "    cur = [i] + [0] * len(b)\n    for j, y in enumerate(b, 1):\n"
        "        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))\n    prev = cur\nprint(prev[-1])\n",
        "import sys\ndef main():\n    a, b = sys.stdin.read().split()\n    m = len(b)\n"
        "    dp = [[0] * (m + 1) for _ in range(len(a) + 1)]\n    for j in range(m + 1):\n        dp[0][j] = j\n"
        "    for i in range(1, len(a) + 1):\n        dp[i][0] = i\n        row, up = dp[i], dp[i - 1]\n"
        "        for j in range(1, m + 1):\n            if a[i - 1] == b[j - 1]:\n                row[j] = up[j - 1]\n"
        "            else:\n                row[j] = 1 + min(up[j], row[j - 1], up[j - 1])\n    print(dp[-1][-1])\n"
        "if __name__ == '__main__':\n    main()\n",
    ], wrong="a = input().strip()\nb = input().strip()\nprev = list(range(len(b) + 1))\nfor i, x in enumerate(a, 1):\n"
             "    cur = [i] + [0] * len(b)\n    for j, y in enumerate(b, 1):\n"
             "        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + 2 * (x != y))\n    prev = cur\nprint(prev[-1])\n",
        crash="a = input().strip()\nb = input().strip()\nprev = list(range(len(b) + 1))\nfor i, x in enumerate(a, 1):\n"
              "    cur = [i] * len(b)\n    for j, y in enumerate(b, 1):\n"
              "        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))\n    prev = cur\nprint(prev[-1])\n",
        cpp=["#include <bits/stdc++.h>\nusing namespace std;\nint main(){string a,b;cin>>a>>b;vector<int>p(b.size()+1),c(b.size()+1);"
             "iota(p.begin(),p.end(),0);for(size_t i=1;i<=a.size();i++){c[0]=i;for(size_t j=1;j<=b.size();j++)"
             "c[j]=min({p[j]+1,c[j-1]+1,p[j-1]+(a[i-1]!=b[j-1])});swap(p,c);}printf(\"%d\\n\",p[b.size()]);}\n"]),
    Spec("valid-parentheses", "functional", 20, gen_parens, [
        "class Solution:\n    def isValid(self, s: str) -> bool:\n        pair = {')': '(', ']': '[', '}': '{'}\n"
        "        stack = []\n        for c in s:\n            if c in pair:\n                if not stack or stack.pop() != pair[c]:\n"
        "                    return False\n            else:\n                stack.append(c)\n        return not stack\n",
        "class Solution:\n    def isValid(self, s):\n        st = []\n        for c in s:\n            if c in '([{':\n"
        "                st.append(')]}'['([{'.index(c)])\n            elif not st or st.pop() != c:\n                return False\n"
        "        return len(st) == 0\n",
    ], wrong="class Solution:\n    def isValid(self, s):\n        depth = 0\n        for c in s:\n"
             "            depth += 1 if c in '([{' else -1\n            if depth < 0:\n                return False\n"
             "        return depth == 0\n",
        crash="class Solution:\n    def isValid(self, s):\n        pair = {')': '(', ']': '[', '}': '{'}\n        stack = []\n"
              "        for c in s:\n            if c in pair:\n                if stack.pop() != pair[c]:\n                    return False\n"
              "            else:\n                stack.append(c)\n        return not stack\n", func_name="isValid"),
    Spec("num-islands", "functional", 20, gen_islands, [
        "from collections import deque\nclass Solution:\n    def numIslands(self, grid: List[List[str]]) -> int:\n"
        "        h, w = len(grid), len(grid[0])\n        seen = [[False] * w for _ in range(h)]\n        count = 0\n"
        "        for r in range(h):\n            for c in range(w):\n                if grid[r][c] == '1' and not seen[r][c]:\n"
        "                    count += 1\n                    seen[r][c] = True\n                    q = deque([(r, c)])\n"
        "                    while q:\n                        y, x = q.popleft()\n"
        "                        for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):\n"
        "                            if 0 <= ny < h and 0 <= nx < w and grid[ny][nx] == '1' and not seen[ny][nx]:\n"
        "                                seen[ny][nx] = True\n                                q.append((ny, nx))\n"
        "        return count\n",
        "class Solution:\n    def numIslands(self, grid):\n        h, w = len(grid), len(grid[0])\n"
        "        parent = list(range(h * w))\n        def find(x):\n            while parent[x] != x:\n"
        "                parent[x] = parent[parent[x]]\n                x = parent[x]\n            return x\n"
        "        land = 0\n        for r in range(h):\n            for c in range(w):\n                if grid[r][c] != '1':\n"
        "                    continue\n                land += 1\n                for nr, nc in ((r - 1, c), (r, c - 1)):\n"
        "                    if nr >= 0 and nc >= 0 and grid[nr][nc] == '1':\n"
        "                        a, b = find(r * w + c), find(nr * w + nc)\n                        if a != b:\n"
        "                            parent[a] = b\n                            land -= 1\n        return land\n",
    ], wrong="class Solution:\n    def numIslands(self, grid):\n        h, w = len(grid), len(grid[0])\n        seen = set()\n"
             "        count = 0\n        for r in range(h):\n            for c in range(w):\n"
             "                if grid[r][c] == '1' and (r, c) not in seen:\n                    count += 1\n"
             "                    todo = [(r, c)]\n                    seen.add((r, c))\n                    while todo:\n"
             "                        y, x = todo.pop()\n                        for dy in (-1, 0, 1):\n"
             "                            for dx in (-1, 0, 1):\n                                ny, nx = y + dy, x + dx\n"
             "                                if 0 <= ny < h and 0 <= nx < w and grid[ny][nx] == '1' and (ny, nx) not in seen:\n"
             "                                    seen.add((ny, nx))\n                                    todo.append((ny, nx))\n"
             "        return count\n",
        crash="class Solution:\n    def numIslands(self, grid):\n        h, w = len(grid), len(grid[0])\n        seen = set()\n"
              "        count = 0\n        for r in range(h):\n            for c in range(w):\n"
              "                if grid[r][c] == '1' and (r, c) not in seen:\n                    count += 1\n"
              "                    todo = [(r, c)]\n                    seen.add((r, c))\n                    while todo:\n"
              "                        y, x = todo.pop()\n                        for ny, nx in ((y + 1, x), (y, x + 1)):\n"
              "                            if grid[ny][nx] == '1' and (ny, nx) not in seen:\n"
              "                                seen.add((ny, nx))\n                                todo.append((ny, nx))\n"
              "        return count\n", func_name="numIslands"),
]


@dataclass
class Job:
    problem: str
    label: str  # correct1, wrong, crash, slow, cpp1...
    code: str
    language: str
    expected: str  # the verdict the batch was built to produce


def build_tests(spec: Spec, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(f"{seed}:{spec.name}")
    return [spec.gen(rng, i) for i in range(spec.n_tests)]


def build_jobs(specs: list[Spec], n_tle: int, copies: int = 2, cpp: bool = False) -> list[Job]:
    """Python submissions, or the C++ ones.

    Per problem: each correct solution ``copies`` times (models' samples repeat; each copy differs by a
    comment so no cache can skip it), one wrong, one crashing; ``n_tle`` too-slow ones in the whole batch.
    """
    jobs: list[Job] = []
    slow_left = n_tle
    for spec in specs:
        if cpp:
            jobs += [Job(spec.name, f"cpp{k}", code, "cpp", "correct") for k, code in enumerate(spec.cpp, 1)]
            continue
        jobs += [Job(spec.name, f"correct{k}.{c}", f"# sample {c}\n{code}", "python", "correct")
                 for k, code in enumerate(spec.correct, 1) for c in range(1, copies + 1)]
        jobs += [Job(spec.name, "wrong", spec.wrong, "python", "wrong_answer"),
                 Job(spec.name, "crash", spec.crash, "python", "runtime_error")]
        if spec.slow and slow_left > 0:
            jobs.append(Job(spec.name, "slow", spec.slow, "python", "time_limit"))
            slow_left -= 1
    return jobs
