"""For tests, the demo and contract checks: a loopback server that replays recorded responses
(and the policies that allow it), a raw TCP server for servers that misbehave below HTTP, and
the contract checks that replay each connector's examples through the real stack."""
