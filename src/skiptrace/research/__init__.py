"""Research: a ``Run`` owns the session stack, the sources' health and a ``Session`` per
connector and debtor; ``lookup`` researches one debtor, ``enrich`` a whole file, and
``findings`` scores what the sources returned against the debtor."""
