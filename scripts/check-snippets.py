#!/usr/bin/env python3
"""Type-checks the Swift snippets of README.md and of the DocC catalogs against the modules of
the last debug build, so that the documentation cannot drift from the code.

Each ```swift block becomes a function (its imports stay at the top of its file) and all of
them are checked in one swiftc call with the module and header search flags SwiftPM gave the
targets that import every Glossa module (read from .build/debug.yaml). A block that opens
with `// Package.swift` is a manifest excerpt and is left out. Run it after `swift build`
(.ci/run does, after the tests' build)."""
import glob
import os
import re
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)

def search_flags():
    """The -I and -Xcc flags of the glossa and GlossaServer targets' compile commands."""
    manifest = open(".build/debug.yaml").read()
    flags = []
    for target in ("glossa", "GlossaServer"):
        match = re.search(r'"C\.%s-(?!server-)[^"]*-debug\.module":.*?args: \[(.*?)\]\n' % target, manifest, re.S)
        if not match:
            sys.exit("check-snippets: no %s compile command in .build/debug.yaml (build first)" % target)
        arguments = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
        n = 0
        while n < len(arguments):
            argument = arguments[n]
            following = arguments[n + 1] if n + 1 < len(arguments) else ""
            if argument == "-I":  # a Swift module folder
                flags += [argument, following]
                n += 2
            elif argument.startswith("-I"):
                flags.append(argument)
                n += 1
            elif argument == "-Xcc" and following.startswith("-fmodule-map-file"):
                flags += [argument, following]
                n += 2
            elif argument == "-Xcc" and following == "-I":  # -Xcc -I -Xcc FOLDER
                flags += arguments[n:n + 4]
                n += 4
            else:
                n += 1
    return flags

def snippets():
    """(file, line, code) of every ```swift block of the documentation."""
    for path in ["README.md"] + sorted(glob.glob("Sources/*/*.docc/*.md")):
        lines = open(path).read().split("\n")
        start = None
        for number, line in enumerate(lines, 1):
            if start is None and line.strip() == "```swift":
                start = number
            elif start is not None and line.strip() == "```":
                code = lines[start:number - 1]
                if not (code and code[0].startswith("// Package.swift")):
                    yield path, start + 1, code
                start = None

folder = tempfile.mkdtemp(prefix="glossa-snippets-")
files = []
for index, (path, line, code) in enumerate(snippets()):
    imports = [c for c in code if c.startswith("import ")]
    body = [c for c in code if not c.startswith("import ")]
    name = os.path.join(folder, "snippet%d.swift" % index)
    with open(name, "w") as out:
        out.write("\n".join(imports) + "\n")
        out.write("// %s, line %d\n" % (path, line))
        out.write("func snippet%d() async throws {\n" % index)
        # A line directive makes errors name the documentation file and its line.
        out.write('#sourceLocation(file: "%s", line: %d)\n' % (os.path.join(root, path), line))
        out.write("\n".join(body) + "\n")
        out.write("#sourceLocation()\n}\n")
    files.append(name)
print("check-snippets: %d snippets" % len(files))
command = ["swiftc", "-typecheck", "-swift-version", "6", "-suppress-warnings"] + search_flags() + files
sys.exit(subprocess.call(command))
