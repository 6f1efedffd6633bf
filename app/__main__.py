"""`python -m app`: serve the Streamlit app over an evals store (read-only).

    python -m app --db runs/store --curation runs/curation --port 8501
    python -m app export runs/store RUN -o run.html   # one run's browser as a self-contained HTML file
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m app", description=__doc__.splitlines()[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter,
                                epilog="python -m app export STORE RUN -o run.html: one run's sample browser as a "
                                       "self-contained HTML file (python -m app export --help)")
    p.add_argument("--db", default="runs/store", help="the evals store (the directory `python -m evals run --db` writes)")
    p.add_argument("--curation", default=None, help="a curation workdir (holding curation.duckdb), for the Curation page")
    p.add_argument("--port", type=int, default=8501, help="port to serve on")
    p.add_argument("--address", default="127.0.0.1", help="address to bind (0.0.0.0 to serve the network)")
    p.add_argument("--browser", action="store_true", help="open a browser tab (off: headless)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["export"]:
        from .export import main as export

        sys.exit(export(argv[1:]))
    args = parse(argv)
    os.environ["R1_EVALS_APP_DB"] = str(Path(args.db).resolve())
    if args.curation:
        os.environ["R1_EVALS_APP_CURATION"] = str(Path(args.curation).resolve())
    from streamlit.web import cli as stcli  # heavy: only after the arguments are read

    sys.argv = ["streamlit", "run", str(Path(__file__).with_name("main.py")),
                "--server.port", str(args.port), "--server.address", args.address,
                "--server.headless", str(not args.browser).lower(), "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"]
    sys.exit(stcli.main())


if __name__ == "__main__":
    main()
