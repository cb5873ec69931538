#!/usr/bin/env python3
"""How popular, in the training matrix, a user's training items and test
items are (CiteULike-a P=10 split). Per user, equal weight:
  - mean number of *other* users holding each of the user's training items;
  - mean number of users holding each of the user's test items;
  - the share of those items that no other training user holds.

  python3 tools/citeulike/split_popularity.py ../shared/data/citeulike-a-cvae
"""
import statistics
import sys
from collections import Counter


def read(path):
    with open(path) as f:
        return [[int(x) for x in line.split()[1:]] for line in f]


def main(folder):
    train = read(f"{folder}/cf-train-10-users.dat")
    test = read(f"{folder}/cf-test-10-users.dat")
    pop = Counter(i for items in train for i in items)
    rows = [(tr, te) for tr, te in zip(train, test) if te]
    print(f"users with test items: {len(rows)}")
    print("training items: mean other holders %.1f, held by no other user %.1f %%" % (
        statistics.mean(statistics.mean(pop[i] - 1 for i in tr) for tr, _ in rows),
        100 * statistics.mean(statistics.mean(pop[i] == 1 for i in tr) for tr, _ in rows)))
    print("test items:     mean holders %.1f, held by no training user %.1f %%" % (
        statistics.mean(statistics.mean(pop[i] for i in te) for _, te in rows),
        100 * statistics.mean(statistics.mean(pop[i] == 0 for i in te) for _, te in rows)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/citeulike-a-cvae")
