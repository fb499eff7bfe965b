"""The offline demonstration: a made-up file enriched from a made-up directory (``enrich``),
then every kind of contact tried against a made-up business site (``guard_tour``)."""
