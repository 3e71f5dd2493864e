"""``python -m accord_client``: the ``accord`` CLI."""

from accord_client._entry import main

main()
