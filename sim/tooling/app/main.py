"""`cpf-sim-app`: serve the workbench on this machine and print its address.

    cpf-sim-app [--host 127.0.0.1] [--port 8765]   (--port 0: any free port)

Solara renders from the assets it ships (the `app` extra pins a version that needs no
internet), with its telemetry off. The page module, the scenarios and the worker processes are
made ready before the address is printed, so the first page opens fast.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
import warnings
from collections.abc import Sequence

DEFAULT_PORT = 8765


def free_port(host: str) -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def main(argv: Sequence[str] | None = None) -> None:
    """Start the server (Ctrl+C stops it)."""
    parser = argparse.ArgumentParser(
        prog="cpf-sim-app", description="Serve the cpf-sim workbench for policy teams."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any)"
    )
    args = parser.parse_args(argv)
    port = args.port or free_port(args.host)
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["SOLARA_APP"] = "sim.tooling.app.page"
    # Solara wants https for its session cookie when embedded; a local page falls back to lax.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")

    try:
        import uvicorn
        from solara.server import settings
    except ImportError:
        print(
            "cpf-sim-app: the workbench needs the 'app' extra: bash .ci/setup.sh app",
            file=sys.stderr,
        )
        sys.exit(2)

    from sim.tooling.app import page
    from sim.tooling.app.worlds import scenario_levers, scenario_names

    settings.main.mode = "production"
    for name in ("historical", "none"):
        if name in scenario_names():
            scenario_levers(name)
    page.WORKERS.start()
    server = uvicorn.Server(
        uvicorn.Config(
            "solara.server.starlette:app", host=args.host, port=port, log_level="warning"
        )
    )

    def announce() -> None:  # the address, once the server accepts connections
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            print(f"cpf-sim workbench: http://{args.host}:{port}/  (Ctrl+C to stop)", flush=True)

    threading.Thread(target=announce, name="announce", daemon=True).start()
    try:
        server.run()
    finally:
        page.WORKERS.stop()


if __name__ == "__main__":
    main()
