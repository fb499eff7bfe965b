"""``python -m skiptrace``: the same as the ``skiptrace`` command."""

from skiptrace._start import main

main()
