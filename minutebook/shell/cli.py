"""Command line: `build` (the default), `check`, `serve`, `new` and `import`, with plain-language errors."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..build import pipeline
from ..build.files import OutputRefused
from ..diagnostics import Diagnostic
from . import commands, progress, reporting, scaffold_arguments
from .importer import arguments


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    root = (root or Path.cwd()).resolve()
    command = args.command or "build"
    try:
        if command == "build":
            return _build(root, args)
        if command == "check":
            return _check(root, args)
        if command == "serve":
            from . import serve  # watchdog and the HTTP server are only needed here

            _today(args)  # a mistyped --now is reported before the server starts
            return serve.run(root, args.port, getattr(args, "now", None))
        if command == "new":
            from . import scaffold  # it reads meetings with the content parser, which a build may not need

            return scaffold.run(root, args)
        if command == "import":
            from .importer import command as importer  # python-docx and mammoth are only needed here

            return importer.run(root, args)
    except OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the committee papers in content/ into a website in output/."
    )
    commands = parser.add_subparsers(dest="command", metavar="command")
    build = commands.add_parser(
        "build",
        help="build the public site into output/ (the default)",
        description="Build the public site: drafts, embargoed and exempt text are left out.",
    )
    _common(build)
    build.add_argument("--output", default="output", help="folder to build into (default: output)")
    build.add_argument("--base-path", default=None, help="override the path part of base_url, e.g. /democracy/")
    build.add_argument("--jobs", type=_jobs, default=None, help="processes to use (default: one per core)")
    build.add_argument("--timings", action="store_true", help="also print the seconds each stage took")
    build.add_argument(
        "--no-search", action="store_true", help="leave the search index out: a quicker build, for a look at home"
    )
    _warnings(build)
    check = commands.add_parser(
        "check",
        help="check every file and report all problems; writes nothing",
        description="Check every file and report all problems at once. Writes nothing.",
    )
    _common(check)
    _warnings(check)
    check.add_argument("--strict", action="store_true", help="a warning fails the check too (exit status 1)")
    serve = commands.add_parser(
        "serve",
        help="preview drafts and scheduled papers with live reload",
        description="Build the clerk's preview (drafts, scheduled and exempt papers shown "
        "and marked) into .preview/, serve it on http://127.0.0.1:PORT/ and rebuild and "
        "reload the browser on every save. Nothing is written to output/.",
    )
    _common(serve)
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    scaffold_arguments.add_parser(commands)
    arguments.add_parser(commands)
    _common(parser)
    parser.add_argument("--output", default="output", help=argparse.SUPPRESS)
    parser.add_argument("--base-path", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=_jobs, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-search", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warnings", choices=reporting.MODES, default="auto", help=argparse.SUPPRESS)
    parser.add_argument("--warnings-file", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def _warnings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warnings",
        choices=reporting.MODES,
        default="auto",
        help="show every warning (all), only how many of each kind (summary), or all when few (auto, the default)",
    )
    parser.add_argument(
        "--warnings-file", type=Path, default=None, metavar="FILE", help="also write every problem to FILE"
    )


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more, found {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, found {text!r}")
    return int(text)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        metavar="YYYY-MM-DD",
        default=argparse.SUPPRESS,
        help="build as if today were this date (also SOURCE_DATE_EPOCH)",
    )


def _today(args: argparse.Namespace) -> dt.date:
    try:
        return pipeline.today_from_environment(getattr(args, "now", None))
    except ValueError:
        print(f"error: --now expects a date written YYYY-MM-DD, found {args.now!r}", file=sys.stderr)
        raise SystemExit(2) from None


def report(diagnostics: list[Diagnostic], args: argparse.Namespace, after_errors: str) -> None:
    """Every problem as `path:line: message` (warnings summed up when many), then how many there were."""
    how = reporting.Reporting(getattr(args, "warnings", "auto"), getattr(args, "warnings_file", None))
    reporting.report(diagnostics, how, sys.stderr)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if errors:
        also = f", {warnings:,} warning(s)" if warnings else ""
        print(f"{errors:,} error(s){also}{after_errors}", file=sys.stderr)


def _build(root: Path, args: argparse.Namespace) -> int:
    output = Path(args.output)
    output = output if output.is_absolute() else root / output
    shown = progress.Progress()
    try:
        result = commands.build_into(
            root, output, _today(args), base=args.base_path, jobs=args.jobs, search=not args.no_search, progress=shown
        )
    finally:
        shown.close()
    report(result.diagnostics, args, ": nothing was published")
    if not result.ok:
        return 1
    print(summary(result, output.relative_to(root) if output.is_relative_to(root) else output))
    if getattr(args, "timings", False):
        for stage, seconds in result.timings.items():
            again = f" ({result.replanned} pages planned again)" if stage == "planning" and result.replanned else ""
            print(f"  {stage}: {seconds:.2f}s{again}", file=sys.stderr)
        print(f"  peak memory without the search index: {result.own_peak_mb:.0f} MB", file=sys.stderr)
        print(f"  peak memory: {result.peak_mb:.0f} MB", file=sys.stderr)
    return 0


def summary(result: pipeline.BuildResult, output: Path) -> str:
    """One line: what was rendered, what was reused as it was, what changed on disk, and how long it took."""
    search_seconds = result.timings.get("search index", 0.0)
    search_note = f" (search index {search_seconds:.2f}s)" if search_seconds else ""
    return (
        f"built {result.planned} files into {output}: {result.rendered} pages rendered, {result.reused} reused; "
        f"{result.written} written, {result.unchanged} unchanged, {result.removed} removed "
        f"in {result.seconds:.2f}s{search_note}"
    )


def _check(root: Path, args: argparse.Namespace) -> int:
    diagnostics = commands.check(root, _today(args))
    report(diagnostics, args, ": fix them, then build")
    errors = [d for d in diagnostics if d.severity == "error"]
    if not errors:
        print(f"no errors{f' ({len(diagnostics):,} warning(s))' if diagnostics else ''}")
    return 1 if errors or (args.strict and diagnostics) else 0
