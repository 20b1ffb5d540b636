#!/usr/bin/python3
"""check_layers: the architecture rules of nqpsim, checked from the sources.

Reads layers.txt (the layer order, lowest first, and the folders of each
layer) and every C source and header under those folders, then fails
(exit 1), naming file and line, when:
  1. a file includes a header of a layer above its own;
  2. a header whose top comment says `Private to: a.c b.c` is included by
     any other file;
  3. a header of a layer (the clients, listed last, excepted) says in its
     top comment neither `Included by:` nor `Private to:`;
  4. modules include each other in a circle (a module is a .c with its .h
     and its _priv.h: firm.c including world.h and world.c including
     firm.h is a circle);
  5. one folder's own files hold more than MAX_SHARE of the code (lines of
     C, JavaScript and Python outside tests/, build trees and node_modules;
     a subfolder counts on its own).
Includes are written from the repository root ("sim/step.h"); tests/ also
includes from tests/ ("support/testutil.h"), and "nqpsim.h" means
include/nqpsim.h.

Invariant: the result depends only on the files, never on their order on
disk (everything is sorted). Usage: check_layers.py [--root DIR] [--quiet]
"""
import argparse
import os
import re
import sys

MAX_SHARE = 0.30
CODE_EXT = (".c", ".h", ".cpp", ".js", ".py")
SOURCE_EXT = (".c", ".h", ".cpp")
SKIP_DIRS = {".git", "node_modules", "__pycache__"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def read_layers(root):
    """[(layer, rank, [folders])] from layers.txt, lowest first."""
    layers = []
    path = os.path.join(root, "layers.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            name, folders = words[0], []
            for w in words[1:]:
                if not re.fullmatch(r"[a-z_][a-z_/]*", w):
                    break
                folders.append(w)
            layers.append((name, len(layers), folders))
    return layers


def folder_rank(layers):
    return {folder: (name, rank) for name, rank, folders in layers for folder in folders}


def layer_of(path, ranks):
    """(layer, rank) of a root-relative path, by its longest matching folder."""
    best = None
    for folder, lr in ranks.items():
        if path.startswith(folder + "/") and (best is None or len(folder) > len(best[0])):
            best = (folder, lr)
    return best[1] if best else None


def walk(root):
    """Root-relative paths of every file, sorted, outside build trees."""
    out = []
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not
                         (rel == "." and (x.startswith("build") or x == "runs")))
        for f in files:
            out.append(os.path.normpath(os.path.join(rel, f)))
    return sorted(out)


def resolve(inc, src, files):
    """The file an include names, or None when it is not in the tree."""
    candidates = [inc]
    if src.startswith("tests/"):
        candidates.append("tests/" + inc)
    if inc == "nqpsim.h":
        candidates.append("include/nqpsim.h")
    for c in candidates:
        if c in files:
            return c
    return None


def top_comment(text):
    m = re.match(r"\s*/\*(.*?)\*/", text, re.S)
    return m.group(1) if m else ""


def private_to(comment):
    m = re.search(r"Private to:\s*((?:[\w./-]+\s*)+)", comment.replace("*", " "))
    return set(m.group(1).split()) if m else None


def module(path):
    """A .c, its .h and its _priv.h are one module."""
    base = os.path.splitext(path)[0]
    return base[:-5] if base.endswith("_priv") else base


def find_cycles(edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return comps


def check_includes(root, layers, files, errors):
    ranks = folder_rank(layers)
    fileset = set(files)
    texts, edges, sites = {}, {}, {}
    for path in files:
        if not path.endswith(SOURCE_EXT) or layer_of(path, ranks) is None:
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            texts[path] = f.read()
    for path in sorted(texts):
        own = layer_of(path, ranks)
        for no, line in enumerate(texts[path].split("\n"), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = resolve(m.group(1), path, fileset)
            if target is None:
                if not m.group(1).startswith("gen/"):  # generated at build time
                    errors.append(f"{path}:{no}: includes \"{m.group(1)}\", which is not in the tree")
                continue
            theirs = layer_of(target, ranks)
            if theirs and theirs[1] > own[1]:
                errors.append(f"{path}:{no}: includes {target} of layer `{theirs[0]}` from "
                              f"layer `{own[0]}` below it (layers.txt)")
            if module(target) != module(path):
                edges.setdefault(module(path), set()).add(module(target))
                sites.setdefault((module(path), module(target)), f"{path}:{no}")
    clients = layers[-1][0]
    for path in sorted(texts):
        if not path.endswith(".h"):
            continue
        comment = top_comment(texts[path])
        allowed = private_to(comment)
        if allowed is None and "Included by:" not in comment and layer_of(path, ranks)[0] != clients:
            errors.append(f"{path}:1: the header's top comment says neither `Included by:` nor "
                          f"`Private to:`")
        if allowed is None:
            continue
        for src in sorted(texts):
            if src == path or src in allowed:
                continue
            for no, line in enumerate(texts[src].split("\n"), 1):
                m = INCLUDE.match(line)
                if m and resolve(m.group(1), src, fileset) == path:
                    errors.append(f"{src}:{no}: includes {path}, which is private to "
                                  f"{' '.join(sorted(allowed))}")
    for comp in find_cycles(edges):
        members = set(comp)
        where = sorted(sites[(a, b)] for (a, b) in sites if a in members and b in members)
        errors.append(f"{where[0]}: modules include each other in a circle: "
                      f"{' -> '.join(comp)} (include sites: {', '.join(where)})")


def check_shares(root, files, errors, report):
    lines = {}
    for path in files:
        if not path.endswith(CODE_EXT) or path.startswith("tests/"):
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            n = sum(1 for _ in f)
        folder = os.path.dirname(path) or "."
        lines[folder] = lines.get(folder, 0) + n
    total = sum(lines.values())
    for folder in sorted(lines, key=lambda k: -lines[k]):
        share = lines[folder] / total if total else 0
        report.append(f"  {folder:<16} {lines[folder]:>6} lines  {100 * share:5.1f}%")
        if share > MAX_SHARE:
            errors.append(f"{folder}/: holds {100 * share:.1f}% of the code ({lines[folder]} of "
                          f"{total} lines), more than {100 * MAX_SHARE:.0f}%: split it by concern")
    report.insert(0, f"code outside tests/: {total} lines of C, JavaScript and Python")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("-q", "--quiet", action="store_true", help="print only violations")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    layers = read_layers(root)
    files = walk(root)
    errors, report = [], []
    check_includes(root, layers, files, errors)
    check_shares(root, files, errors, report)
    if not args.quiet:
        print("layers, lowest first: " + " < ".join(name for name, _, _ in layers))
        print("\n".join(report))
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check_layers: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    print("check_layers: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
