# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmark scripts share (not a benchmark: ``tools/care.py bench``
runs the ``bench_*.py`` files only).

The scripts write their data by set-based SQL, with the columns that the ORM
would fill. ``insert_select`` adds to such an ``INSERT … SELECT`` every
required column that the script leaves out, with its ORM default, so that a
field the add-on makes required later (``care_credit_mode`` of the credit
feature was one) does not break the scripts again.
"""


def required_defaults(env, model_name, columns):
    """The columns of the table of ``model_name`` that ``columns`` leaves out
    and that must be written (``NOT NULL`` without a database default, or a
    required stored field), with their ORM defaults as ``create`` writes
    them: ``{column: (field, SQL parameter)}``, in the order of the fields.

    Raises ``ValueError`` naming the columns that have no default: the
    script must write those itself."""
    model = env[model_name]
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = %s
           AND is_nullable = 'NO' AND column_default IS NULL
        """,
        [model._table],
    )
    not_null = {row[0] for row in env.cr.fetchall()}
    given = set(columns)
    names = [
        name
        for name, field in model._fields.items()
        if field.store
        and field.column_type
        and name not in given
        and (name in not_null or field.required)
    ]
    defaults = model.default_get(names)
    unknown = sorted(not_null - given - set(model._fields))
    missing = [name for name in names if name not in defaults and name in not_null]
    if unknown or missing:
        raise ValueError(
            f"{model._table}: {', '.join(unknown + missing)}: NOT NULL without "
            f"a default in {model_name}; the benchmark must write it in its "
            "INSERT"
        )
    return {
        name: (
            model._fields[name],
            model._fields[name].convert_to_column_insert(
                defaults[name], model, defaults
            ),
        )
        for name in names
        if name in defaults
    }


def insert_select(env, model_name, columns, select):
    """``INSERT INTO <table of model_name> (columns) <select>``, as an SQL,
    where ``select`` (an SQL ``SELECT``) yields ``columns`` in that order.
    The required columns left out (see ``required_defaults``) are written
    too, with their ORM defaults. Add ``RETURNING`` or ``ON CONFLICT`` after
    it, or put it in a ``WITH``."""
    from odoo.tools import SQL

    table = env[model_name]._table
    defaults = required_defaults(env, model_name, columns)
    head = SQL(
        "INSERT INTO %s (%s)",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(name) for name in [*columns, *defaults]),
    )
    if not defaults:
        return SQL("%s %s", head, select)
    values = SQL(", ").join(
        # typed: a parameter of a SELECT list would be text
        SQL("CAST(%s AS %s)", value, SQL(field.column_type[1]))
        for field, value in defaults.values()
    )
    return SQL("%s SELECT s.*, %s FROM (%s) AS s", head, values, select)


def parse_args(parser, argv, smoke):
    """``parser.parse_args(argv)``, with a ``--smoke`` option that gives the
    options the tiny defaults ``smoke`` (``{dest: value}``): a run that
    checks that the script still works, in seconds, whose figures mean
    nothing. Options given on the command line win over these defaults."""
    shown = ", ".join(
        f"--{dest.replace('_', '-')}" + ("" if value is True else f" {value}")
        for dest, value in smoke.items()
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a tiny run to check that the script works ({shown}); its "
        "figures mean nothing",
    )
    opts = parser.parse_args(argv)
    if opts.smoke:
        parser.set_defaults(**smoke)
        opts = parser.parse_args(argv)
    return opts
