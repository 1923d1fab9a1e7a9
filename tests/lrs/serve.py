"""Run Ralph, a real LRS, next to ``make serve``: ``make serve-lrs`` (Ctrl-C stops it).

    .venv/bin/python tests/lrs/serve.py [--port 8100] [--site http://127.0.0.1:8000] [--folder .venv/lrs]

The same server the tests use (tests/lrs/fixture.py: Ralph's own app, the fs backend, CORS for the
site's origin, a write-only credential for the browser and a read credential for
``sop-hub training``). Statements are kept in the folder between runs; delete it to start over.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.lrs.fixture import READER, Ralph, make_credentials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--site", default="http://127.0.0.1:8000", help="the origin `make serve` serves the hub on")
    parser.add_argument("--folder", type=Path, default=Path(".venv/lrs"))
    args = parser.parse_args()
    args.folder = args.folder.resolve()  # Ralph runs from folders of its own: no relative paths
    credentials = args.folder / "credentials"
    if not (credentials / "auth.json").is_file():
        make_credentials(credentials)
    server = Ralph(args.folder / "ralph", credentials, port=args.port)
    try:
        serve(server, args.site)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def serve(server: Ralph, site: str) -> None:
    server.start(site_origin=site)
    print(
        f"Ralph LRS at {server.endpoint} (statements kept in {server.data_dir}), accepting {site}\n"
        "Paste into mkdocs.yml, under `- sop-hub:`:\n"
        "      learning_records:\n"
        f"        endpoint: {server.endpoint}\n"
        f"        auth: {server.write_auth}   # write-only: every reader can see it\n"
        "Read the records back:\n"
        f"  .venv/bin/sop-hub training --lrs {server.endpoint} --auth {READER[0]}:{READER[1]}\n"
        "Ctrl-C stops it.",
        flush=True,
    )
    stop = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)  # after start(): Ralph itself keeps the default handlers
    signal.sigwait(stop)


if __name__ == "__main__":
    sys.exit(main())
