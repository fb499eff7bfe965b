"""For tests, the demo and contract checks: a loopback server that replays recorded responses
(and the policies that allow it), a raw TCP server for servers that misbehave below HTTP,
virtual time for tests of waits, enriched files compared but for their fetch times, the
guard's verdict on a URL as a value, the contract checks that replay each connector's examples
through the real stack, and sandbox worker starters lent to tests' runs in turn."""
