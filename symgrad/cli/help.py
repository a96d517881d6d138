"""``--help`` in sections, written from the command's plan (:mod:`symgrad.cli.plan`).

Click's own :class:`~click.HelpFormatter` writes it: one ``formatter.section``
per entry of :data:`~symgrad.cli.plan.SECTIONS`, and each option whose use
a rule of the plan restricts begins "With --check: ...", in the words the
rule's error message uses.
"""

from __future__ import annotations

import click

from . import plan as cli_plan


def long_name(param: click.Parameter) -> str:
    """The name the plan calls an option by: its first ``--`` spelling (``--at``)."""
    names = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")]
    return names[0] if names else (param.name or "")


class SectionedCommand(click.Command):
    """A command whose ``--help`` lists its options by section, from the plan."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records: dict[str, tuple[str, str]] = {}
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):
                continue  # EXPR is described by the usage line and the docstring (click 8.5 lists it too)
            record = param.get_help_record(ctx)
            if record is None:
                continue
            option, text = record
            needs = cli_plan.needs(long_name(param))
            records[long_name(param)] = option, f"With {needs}: {text}" if needs else text
        for title, options in cli_plan.SECTIONS:
            rows = [records.pop(name) for name in options if name in records]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        if records:  # an option no section names: still listed, never hidden
            with formatter.section("More options"):
                formatter.write_dl(list(records.values()))
