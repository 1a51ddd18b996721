#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Reference values for test_stats.c, computed a different way from results/.

Exact p: every one of the C(n, nx) ways to give nx of the pooled mid-ranks to x
is enumerated (no dynamic programme); p is the share whose rank sum W lies at
least as far from nx (n + 1) / 2 as the observed one.  U = W - nx (nx + 1) / 2.
Normal p: z = (|U - nx ny / 2| - 1/2) / sigma, with
sigma^2 = nx ny / 12 (n + 1 - sum(t^3 - t) / (n (n - 1))) over the tie groups,
and p = erfc(z / sqrt 2).  Hodges-Lehmann: the median of the sorted differences
y_j - x_i; the interval [d_(c), d_(m + 1 - c)] with c the largest count such
that P(U <= c - 1) <= 0.025, P from enumerating the U of every split of ranks
1..n (or, past 50 samples, c = floor(nx ny / 2 + 1/2 - 1.959964 sqrt(nx ny
(n + 1) / 12))).  The bootstrap is re-implemented from its description:
splitmix64, index = ((r >> 32) * n) >> 32, x drawn before y, pair by pair,
quantiles with linear interpolation.
Signed ranks: zero differences are dropped, |d| gets mid-ranks, and every one
of the 2^n sign assignments is enumerated; p is the share whose T+ lies at
least as far from sum(ranks) / 2 as the observed one.  Normal p: z = (|T+ -
n (n + 1) / 4| - 1/2) / sigma, sigma^2 = n (n + 1) (2n + 1) / 24 - sum(t^3 -
t) / 48.  Paired Hodges-Lehmann: the median of the Walsh averages (d_i + d_j)
/ 2, i <= j, and [w_(c), w_(M + 1 - c)] with c the largest count such that
P(T+ <= c - 1) <= 0.025 over the 2^n sign assignments of ranks 1..n.

Run it to print the values that the test holds.
"""
import itertools
import math

MASK = (1 << 64) - 1


def midranks(pooled):
    order = sorted(range(len(pooled)), key=lambda i: pooled[i])
    ranks = [0.0] * len(pooled)
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and pooled[order[j]] == pooled[order[i]]:
            j += 1
        for k in range(i, j):
            ranks[order[k]] = (i + 1 + j) / 2
        i = j
    return ranks


def exact(x, y):
    n, nx = len(x) + len(y), len(x)
    ranks = midranks(x + y)
    w = sum(ranks[:nx])
    mean = nx * (n + 1) / 2
    far = total = 0
    for pick in itertools.combinations(range(n), nx):
        total += 1
        if abs(sum(ranks[i] for i in pick) - mean) >= abs(w - mean) - 1e-9:
            far += 1
    return w - nx * (nx + 1) / 2, far / total


def normal(x, y):
    nx, ny = len(x), len(y)
    n = nx + ny
    ranks = midranks(x + y)
    u = sum(ranks[:nx]) - nx * (nx + 1) / 2
    ties = sum(t ** 3 - t for t in [(x + y).count(v) for v in set(x + y)])
    sigma = math.sqrt(nx * ny / 12 * (n + 1 - ties / (n * (n - 1))))
    z = max(0, abs(u - nx * ny / 2) - 0.5) / sigma
    return u, math.erfc(z / math.sqrt(2))


def interval_c(nx, ny):
    n = nx + ny
    if n > 50:
        sd = math.sqrt(nx * ny * (n + 1) / 12)
        return int(math.floor(nx * ny / 2 + 0.5 - 1.959963984540054 * sd))
    us = [sum(p) - nx * (nx + 1) // 2 for p in itertools.combinations(range(1, n + 1), nx)]
    c = 0
    while sum(1 for u in us if u <= c) / len(us) <= 0.025:
        c += 1
    return c


def signed_rank(d):
    a = [v for v in d if v != 0]
    ranks = midranks([abs(v) for v in a])
    t = sum(r for r, v in zip(ranks, a) if v > 0)
    mean = sum(ranks) / 2
    far = total = 0
    for signs in itertools.product((0, 1), repeat=len(a)):
        total += 1
        if abs(sum(r for r, s in zip(ranks, signs) if s) - mean) >= abs(t - mean) - 1e-9:
            far += 1
    return t, far / total


def signed_rank_normal(d):
    a = [v for v in d if v != 0]
    n = len(a)
    ranks = midranks([abs(v) for v in a])
    t = sum(r for r, v in zip(ranks, a) if v > 0)
    ties = sum(k ** 3 - k for k in [[abs(v) for v in a].count(u) for u in set(abs(v) for v in a)])
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - ties / 48)
    z = max(0, abs(t - n * (n + 1) / 4) - 0.5) / sigma
    return t, math.erfc(z / math.sqrt(2))


def walsh_c(n):
    sums = [sum(r for r, s in zip(range(1, n + 1), signs) if s)
            for signs in itertools.product((0, 1), repeat=n)]
    c = 0
    while sum(1 for t in sums if t <= c) / len(sums) <= 0.025:
        c += 1
    return c


def hodges_lehmann_paired(d):
    w = sorted((d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d)))
    c = walsh_c(len(d))
    return median(w), w[c - 1], w[len(w) - c]


def median(v):
    v = sorted(v)
    m = len(v)
    return v[m // 2] if m % 2 else (v[m // 2 - 1] + v[m // 2]) / 2


def hodges_lehmann(x, y):
    d = sorted(b - a for a in x for b in y)
    c = interval_c(len(x), len(y))
    return median(d), d[c - 1], d[len(d) - c]


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def quantile(v, q):
    v = sorted(v)
    h = (len(v) - 1) * q
    k = int(math.floor(h))
    return v[k] + (h - k) * (v[k + 1] - v[k]) if k + 1 < len(v) else v[k]


def bootstrap(pairs, resamples, seed):
    logs = [([math.log(a) for a in x], [math.log(b) for b in y]) for x, y in pairs]

    def stat(samples):
        return sum(median([b - a for a in lx for b in ly]) for lx, ly in samples) / len(samples)

    state, stats = seed, []
    for _ in range(resamples):
        drawn = []
        for lx, ly in logs:
            side = []
            for v in (lx, ly):
                picked = []
                for _ in v:
                    state, r = splitmix(state)
                    picked.append(v[((r >> 32) * len(v)) >> 32])
                side.append(picked)
            drawn.append(side)
        stats.append(stat(drawn))
    return (math.exp(stat(logs)), math.exp(quantile(stats, 0.025)),
            math.exp(quantile(stats, 0.975)))


def hodges_lehmann_ratio(x, y):
    return tuple(math.exp(v) for v in hodges_lehmann([math.log(a) for a in x],
                                                     [math.log(b) for b in y]))


# The samples of test_stats.c; the long ones are made by the same formula there.
TIES_X = [1.1, 2.2, 2.2, 3.3, 4.4]
TIES_Y = [2.2, 3.3, 3.3, 5.5, 6.6, 7.7]
LONG_X = [float(i * 7 % 13) for i in range(30)]
LONG_Y = [float(j * 5 % 11 + 2) for j in range(28)]
HL_X = [10.2, 11.5, 9.8, 10.9, 10.4, 11.1]
HL_Y = [11.0, 12.3, 11.8, 10.7, 12.9, 11.6, 12.1]
HL_LONG_X = [100 + (i * 37 % 101) / 10 for i in range(30)]
HL_LONG_Y = [103 + (j * 53 % 97) / 10 for j in range(30)]
RATIO_X = [100.0, 104.0, 98.0, 101.0, 103.0]
RATIO_Y = [95.0, 97.0, 94.0, 99.0, 96.0]

PAIRED = [0.8, -0.3, 1.9, 1.1, 0.4, 2.6, -0.3, 1.5, 0.0, 0.9, 1.2]
PAIRED_LONG = [((i * 37) % 23 - 8) / 4 for i in range(60)]

CASES = [
    ("signed_rank_exact", signed_rank, (PAIRED,)),
    ("signed_rank_normal", signed_rank_normal, (PAIRED_LONG,)),
    ("hl_paired", hodges_lehmann_paired, (PAIRED,)),
    ("separated_5_5", exact, ([1.0, 2, 3, 4, 5], [6.0, 7, 8, 9, 10])),
    ("ties_exact", exact, (TIES_X, TIES_Y)),
    ("ties_normal", normal, (LONG_X, LONG_Y)),
    ("hl_exact", hodges_lehmann, (HL_X, HL_Y)),
    ("hl_normal", hodges_lehmann, (HL_LONG_X, HL_LONG_Y)),
    ("hl_ratio", hodges_lehmann_ratio, (RATIO_X, RATIO_Y)),
    ("bootstrap", bootstrap, ([(RATIO_X, RATIO_Y), (HL_X, HL_Y)], 200, 42)),
]

if __name__ == "__main__":
    for name, fn, args in CASES:
        print(name, " ".join(repr(v) for v in fn(*args)))
