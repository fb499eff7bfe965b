"""The offline demonstration: made-up public bulk files imported into an index and a made-up
debtor file enriched against it (``offline``), then every kind of contact tried against a
made-up business site (``guard_tour``)."""
