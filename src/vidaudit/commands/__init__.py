"""One module per subcommand: ``add_parsers(subparsers)`` and the ``run`` functions.

Modules import only the standard library at the top; the work's imports happen
inside ``run`` so that ``vidaudit --help`` and the hooks start fast.
"""
