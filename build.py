#!/usr/bin/env python3
"""Build the committee papers in content/ into the website in output/. Run with --help for the commands."""

import sys
from pathlib import Path

if __name__ == "__main__":
    try:
        from minutebook.shell.cli import main  # inside the guard: Ctrl-C while starting up is a stop, not a traceback

        sys.exit(main(root=Path(__file__).resolve().parent))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        sys.exit(130)
