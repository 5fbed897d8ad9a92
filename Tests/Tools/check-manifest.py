#!/usr/bin/env python3
"""Checks that Package.swift declares exactly what each target imports.

For every target of the manifest (library, executable and test targets), the package modules its
Swift sources import (`import X`, `@testable import X`, `import struct X.Y`, ...) are compared with
the target's declared `dependencies`:
  - a package module that is imported but not declared is an error (it only builds because some
    other dependency happens to bring it along);
  - a declared dependency that no source of the target imports is an error (a link edge the code
    does not use).
Imports of modules that are not targets of this package (Foundation, XCTest, Glibc, ...) are ignored.
A C target (no .swift files) is skipped. Prints one line per mismatch and exits 1 if there is any.

Usage: Tests/Tools/check-manifest.py [package root, default: the checkout of this script]
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
manifest = open(os.path.join(root, "Package.swift"), encoding="utf-8").read()

target_pattern = re.compile(
    r'\.(target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)"'
    r'(?:\s*,\s*dependencies:\s*\[([^\]]*)\])?'
    r'(?:\s*,\s*path:\s*"([^"]+)")?')
targets = []
for kind, name, dependencies, path in target_pattern.findall(manifest):
    declared = set(re.findall(r'"([^"]+)"', dependencies or ""))
    folder = path or os.path.join("Tests" if kind == "testTarget" else "Sources", name)
    targets.append((name, declared, folder))
names = {name for name, _, _ in targets}
if not targets:
    sys.exit("check-manifest: no targets found in Package.swift")

import_pattern = re.compile(
    r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public\s+|internal\s+|package\s+|private\s+|fileprivate\s+)?'
    r'import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)',
    re.MULTILINE)

problems = []
for name, declared, folder in targets:
    directory = os.path.join(root, folder)
    imported = {}
    swift_files = 0
    for base, _, files in os.walk(directory):
        for file in sorted(files):
            if not file.endswith(".swift"):
                continue
            swift_files += 1
            path = os.path.join(base, file)
            for module in import_pattern.findall(open(path, encoding="utf-8").read()):
                if module in names and module != name:
                    imported.setdefault(module, os.path.relpath(path, root))
    if swift_files == 0:
        continue  # a C target
    for module in sorted(set(imported) - declared):
        problems.append(f"{name}: imports {module} ({imported[module]}) without declaring it")
    for module in sorted(declared - set(imported)):
        problems.append(f"{name}: declares {module} but no source imports it")

for problem in problems:
    print(problem)
if problems:
    print(f"check-manifest: {len(problems)} mismatch(es) between Package.swift and the imports")
    sys.exit(1)
print(f"check-manifest: {len(targets)} targets, dependencies match the imports")
