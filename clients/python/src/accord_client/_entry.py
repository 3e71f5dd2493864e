"""The ``accord`` console script.

gRPC's C core writes its own log lines (``I1129 ... ssl_transport_security.cc:
Handshake failed``) straight to stderr; for a command-line user they repeat,
less clearly, what the CLI's error message says. They are turned off unless
``$GRPC_VERBOSITY`` is set, which must happen before grpc is imported, so this
module imports nothing else at load time.
"""

import os


def main() -> None:
    """Runs ``accord`` and exits with its status."""
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    import sys

    from accord_client.cli import main as cli_main

    sys.exit(cli_main())
