"""The checker: a user's function and proposed derivative, answered by the engine.

``parser`` reads numpy-style text safely (an AST whitelist, shapes tracked, nothing evaluated),
``spec`` validates the options, ``lower`` builds the engine's claim, ``command`` runs it and
reports, ``minimise`` shrinks a counterexample. ``python -m derivations check --help`` has the
options; issue 5 is the reference.
"""
