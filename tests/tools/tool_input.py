"""What the checkers in tests/tools read: one FILE (or - for standard input), or the standard
output of a COMMAND given after --, whose exit status --expect-exit may require.

    parser = argparse.ArgumentParser(...)
    add_input_arguments(parser)
    args = parser.parse_args()
    name, data = read_input(parser, args)   # bytes; exits 2 (cannot read) or 1 (exit status)
"""

import os
import subprocess
import sys


def add_input_arguments(parser):
    parser.add_argument("--expect-exit", type=int, help="with a COMMAND: its expected exit status")
    parser.add_argument("input", nargs="+", help="FILE, - for stdin, or -- COMMAND ARG...")


def read_input(parser, args):
    """The input's name (for messages) and its bytes; exits as the checkers document."""
    if "--" not in sys.argv[1:]:
        if len(args.input) != 1 or args.expect_exit is not None:
            parser.error("give one FILE (or -), or -- COMMAND ARG... (--expect-exit needs a COMMAND)")
        name = args.input[0]
        try:
            if name == "-":
                return name, sys.stdin.buffer.read()
            with open(name, "rb") as f:
                return name, f.read()
        except OSError as e:
            sys.stderr.write(f"{os.path.basename(sys.argv[0])}: {e}\n")
            sys.exit(2)
    name = " ".join(args.input)
    try:
        done = subprocess.run(args.input, stdout=subprocess.PIPE, check=False)
    except OSError as e:
        sys.stderr.write(f"{sys.argv[0]}: cannot run {args.input[0]}: {e}\n")
        sys.exit(2)
    if args.expect_exit is not None and done.returncode != args.expect_exit:
        sys.stderr.write(f"{name}: exit status {done.returncode}, expected {args.expect_exit}\n")
        sys.exit(1)
    return name, done.stdout
