"""``python -m accord_client``: the ``accord`` CLI."""

import sys

from accord_client.cli import main

sys.exit(main())
