#!/usr/bin/env python3
"""Checks that every public symbol of the library products' facade modules has a doc comment.

Scope: the modules the library products expose (Package.swift's `.library` products), i.e.
Sources/Monodepth2 and Sources/Monodepth2Training. The internal targets (Networks, TensorCore,
Training, ...) are not part of the products' API and are not checked.

A public symbol is a declaration with `public` or `open` (type, function, initialiser, property,
subscript, typealias, extension members) or an enum case declared inside a public enum. Its doc
comment is the `///` line (or `*/` of a `/** */` block) directly above it, attributes such as
`@discardableResult` in between allowed. Prints one line per undocumented symbol (file:line and
the declaration) and exits 1 if there is any.

Usage: Tests/Tools/check-doc-comments.py [package root, default: the checkout of this script]
"""
import os
import re
import sys

MODULES = ["Monodepth2", "Monodepth2Training"]

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
public = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:final|static|nonisolated|override|mutating|convenience|required)\s+)*'
                    r'(?:public|open)\b(?!\s+import\b)')
enum_case = re.compile(r'^\s*case\s+[A-Za-z_]\w*(?:\([^)]*\))?(?:\s*,\s*[A-Za-z_]\w*(?:\([^)]*\))?)*\s*(?://.*)?$')
public_enum = re.compile(r'^\s*(?:@\w+\s+)*public\s+(?:indirect\s+)?enum\b')
attribute = re.compile(r'^\s*@\w+(?:\([^)]*\))?\s*$')

problems = []
symbols = 0
for module in MODULES:
    directory = os.path.join(root, "Sources", module)
    if not os.path.isdir(directory):
        problems.append(f"{directory}: module folder not found")
        continue
    for base, _, files in os.walk(directory):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(base, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            enum_depth = None  # brace depth of the body of the public enum being read, if any
            depth = 0
            for number, line in enumerate(lines, 1):
                code = line.split("//")[0]
                declares = public.match(line) or (enum_depth is not None and depth == enum_depth and enum_case.match(line))
                if public_enum.match(line):
                    enum_depth = depth + 1
                if declares:
                    symbols += 1
                    above = number - 2
                    while above >= 0 and attribute.match(lines[above]):
                        above -= 1
                    previous = lines[above].strip() if above >= 0 else ""
                    if not (previous.startswith("///") or previous.endswith("*/")):
                        problems.append(f"{os.path.relpath(path, root)}:{number}: no doc comment: {line.strip()}")
                depth += code.count("{") - code.count("}")
                if enum_depth is not None and depth < enum_depth:
                    enum_depth = None

for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print(f"check-doc-comments: {symbols} public symbols of {', '.join(MODULES)} have doc comments")
