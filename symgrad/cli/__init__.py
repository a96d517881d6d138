"""The ``symgrad`` command line: the last stage, which wires the others together.

* :mod:`.command` declares the click command and runs one job per ``EXPR``
  set or stdin line through :mod:`symgrad.jobs`;
* :mod:`.plan` holds the option rules (what needs or excludes what), from
  which both the checks and the grouped ``--help`` (:mod:`.help`) are made;
* :mod:`.report` is the one place that turns a failure into one ``Error:``
  line and an exit code (:class:`symgrad.errors.ExitCode`);
* :mod:`.points` and :mod:`.analysis` wire ``--points``/``--grid`` and the
  analysis options; :mod:`.launch` is the console script.

Nothing here is needed by the library: ``import symgrad`` never loads click.
"""
