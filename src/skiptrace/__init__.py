"""skiptrace: find where a debtor gets mail and works, from public business records only.

Every HTTP request goes through one guarded client (``skiptrace.net.client``); the hard rules it
enforces are in ``skiptrace.net.hardrules`` and the policy it reads in ``skiptrace.policy``.
"""

__version__ = "0.1.0"
