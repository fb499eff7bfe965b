"""``python -m skiptrace``: the same as the ``skiptrace`` command."""

from skiptrace.cli import main

main()
