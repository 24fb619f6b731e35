"""The ``gongkai`` command: ``main`` parses arguments and dispatches to check, diff, new,
annual, audit and fields."""
