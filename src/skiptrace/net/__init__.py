"""Everything between a connector and a socket.

``urls`` canonicalises, ``hardrules`` and the policy judge, ``guard`` admits or refuses and
audits, ``client`` is the one factory for HTTP clients (the guard always outermost), ``stack``
writes down the order of the layers under the guard (``layers/``), ``session`` is what a
connector is handed, and ``wall`` refuses any connection made outside the guard.
"""
