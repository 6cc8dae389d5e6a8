#!/usr/bin/env python3
"""The most frequent two-character terms of a site's search index.

    python3 bench/search/frequent.py PUBLIC_DIR [N]

Reads only the term heads of search/terms/*.bin (format in src/search/shards.rs)
and prints the N (default 10) two-CJK-character terms held by the most
documents: the worst case for bytes per query.
"""
import glob
import os
import sys


def varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def heads(path):
    data = open(path, "rb").read()
    assert data[:4] == b"LTS1", path
    count, at = varint(data, 4)
    previous = b""
    for _ in range(count):
        shared, at = varint(data, at)
        length, at = varint(data, at)
        term = previous[:shared] + data[at:at + length]
        at += length
        documents, at = varint(data, at)
        _, at = varint(data, at)
        previous = term
        yield term.decode("utf-8"), documents


def is_cjk(c):
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def main():
    site = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    pairs = []
    for path in glob.glob(os.path.join(site, "search", "terms", "*.bin")):
        for term, documents in heads(path):
            if len(term) == 2 and all(is_cjk(c) for c in term):
                pairs.append((documents, term))
    pairs.sort(reverse=True)
    for documents, term in pairs[:n]:
        print(f"{term}\t{documents}")


if __name__ == "__main__":
    main()
