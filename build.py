#!/usr/bin/env python3
"""Build the committee papers in content/ into the website in output/. Run with --help for the commands."""

import sys
from pathlib import Path

from minutebook.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
