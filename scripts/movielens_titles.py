#!/usr/bin/python3
"""Writes movielens-small's titles as MovieLens' movies.csv (movieId,title,genres).

ratings_small.csv keys movies by MovieLens movieId, and the npm package that brings it has titles
only in movies_metadata.csv, keyed by TMDB id. Debian's r-cran-dslabs holds `movielens`, the same
100,004 ratings with each movie's title, year and genres (dslabs' documentation: "MovieLens Latest
Dataset (Small)"). This script reads that data frame out of the package's R lazy-load database
(data/Rdata.rdx and Rdata.rdb) without R, checks that its (userId, movieId, rating, timestamp)
rows are exactly those of ratings_small.csv (so the ids are the same ids), and writes one line a
movie, the title with its year appended in MovieLens' layout ("Godfather, The (1972)").

Usage: scripts/movielens_titles.py DSLABS_DATA_DIR RATINGS_SMALL_CSV OUT_CSV
Exit code 1 with one line on stderr when anything does not match.
"""
import collections
import csv
import gzip
import os
import struct
import sys
import zlib


def fail(message):
    sys.exit(f"movielens_titles: {message}")


class Unserializer:
    """R's XDR serialization (format 2 or 3), only the types a data frame of atomic columns
    needs: vectors, character strings, pairlists (attributes), symbols and references."""

    NIL, REF, CHAR, SYM = 254, 255, 9, 1
    PAIRLISTS = (2, 6, 239, 240)
    ENVIRONMENTS = (253, 252, 251, 250, 242, 241)

    def __init__(self, data):
        self.data, self.at, self.refs = data, 0, []
        if data[:2] != b"X\n":
            fail("not an R XDR serialization")
        self.at = 2
        version = self.int()
        self.int(), self.int()  # writer's and minimal reader's R versions
        if version == 3:
            self.take(self.int())  # native encoding name

    def take(self, n):
        if self.at + n > len(self.data):
            fail("truncated R serialization")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def int(self):
        return struct.unpack(">i", self.take(4))[0]

    def length(self):
        n = self.int()
        return (self.int() << 32) + self.int() if n == -1 else n

    def item(self):
        flags = self.int()
        kind, has_attributes, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == self.NIL:
            return None
        if kind in self.ENVIRONMENTS:
            return ("environment", kind)
        if kind == self.REF:
            return self.refs[(flags >> 8) - 1]
        if kind == self.SYM:
            symbol = ("symbol", self.item())
            self.refs.append(symbol)
            return symbol
        if kind in self.PAIRLISTS:  # [(tag, value), ...]
            if has_attributes:
                self.item()
            tag = self.item() if has_tag else None
            head, rest = self.item(), self.item()
            return [(tag[1] if tag else None, head)] + (rest if isinstance(rest, list) else [])
        if kind == self.CHAR:
            n = self.int()
            if n == -1:
                return None  # NA_character_
            utf8 = flags & (1 << 15)  # UTF8_MASK (1 << 3) in the levels above the 12 type/flag bits
            return self.take(n).decode("utf-8" if utf8 else "latin-1")
        if kind in (10, 13):  # logical, integer
            n = self.length()
            values = list(struct.unpack(f">{n}i", self.take(4 * n)))
        elif kind == 14:  # double
            n = self.length()
            values = list(struct.unpack(f">{n}d", self.take(8 * n)))
        elif kind in (16, 19, 20):  # character vector, list, expression
            values = [self.item() for _ in range(self.length())]
        else:
            fail(f"unsupported R type {kind} at byte {self.at}")
        attributes = dict(self.item()) if has_attributes else {}
        return values, attributes


def lazy_load(data_dir, name):
    """The object `name` of an R package's lazy-load database (Rdata.rdx index, Rdata.rdb data)."""
    with gzip.open(os.path.join(data_dir, "Rdata.rdx")) as f:
        index, index_attributes = Unserializer(f.read()).item()
    variables = dict(zip(index_attributes["names"][0], index))["variables"]
    offsets = dict(zip(variables[1]["names"][0], variables[0]))
    if name not in offsets:
        fail(f"{data_dir} has no object '{name}'")
    offset, size = offsets[name][0]
    with open(os.path.join(data_dir, "Rdata.rdb"), "rb") as f:
        f.seek(offset)
        blob = f.read(size)
    # Each entry: the uncompressed size (4 bytes, big-endian), then a zlib stream.
    return Unserializer(zlib.decompress(blob[4:])).item()


def main():
    if len(sys.argv) != 4:
        fail("usage: movielens_titles.py DSLABS_DATA_DIR RATINGS_SMALL_CSV OUT_CSV")
    data_dir, ratings_path, out_path = sys.argv[1:]
    columns, attributes = lazy_load(data_dir, "movielens")
    frame = dict(zip(attributes["names"][0], columns))
    movie, title, year = frame["movieId"][0], frame["title"][0], frame["year"][0]
    genres, genre_attributes = frame["genres"]
    genre_names = genre_attributes["levels"][0]

    with open(ratings_path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    theirs = collections.Counter((int(r[0]), int(r[1]), float(r[2]), int(r[3])) for r in rows)
    ours = collections.Counter(zip(frame["userId"][0], movie, frame["rating"][0], frame["timestamp"][0]))
    if ours != theirs:
        fail(f"dslabs' movielens ({sum(ours.values())} rows) is not {ratings_path} ({len(rows)} rows)")

    na_int = -(2**31)
    movies = {}
    for m, t, y, g in zip(movie, title, year, genres):
        if t is None:
            continue  # a movie dslabs has no title for: recommend prints its id alone
        shown = t if y == na_int else f"{t} ({y})"
        movies[m] = (shown, genre_names[g - 1] if g != na_int else "")
    with open(out_path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["movieId", "title", "genres"])
        for m in sorted(movies):
            out.writerow([m, *movies[m]])


if __name__ == "__main__":
    main()
