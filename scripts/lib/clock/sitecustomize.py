"""Shifts the wall clock of every Python process that has this folder on its path.

``scripts/test_at`` puts this folder first on ``PYTHONPATH`` and sets
``CRM_REG_CLOCK_OFFSET`` (seconds): the tests, Odoo, the end-to-end server and the admin
scripts then all read a clock that started at another moment and keeps running
(freezegun with ``tick=True``; Odoo's own ``freeze_time`` in tests nests inside it).
Without the variable this file does nothing.
"""

import os

_offset = os.environ.get("CRM_REG_CLOCK_OFFSET")
if _offset:
    import datetime

    import freezegun
    import freezegun.config

    # Every caller gets the shifted clock: by default freezegun hands the real one to
    # code called from threading, queue... (a request signed in a worker thread would
    # carry a real timestamp to a shifted server).
    # (configure(default_ignore_list=[]) cannot say "none": it treats [] as "default".)
    freezegun.config.settings.default_ignore_list = []
    _start = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    freezegun.freeze_time(_start + datetime.timedelta(seconds=int(_offset)), tick=True).start()

    import logging
    import types

    # freezegun swaps the builtin time.localtime held by logging.Formatter for a Python
    # function, which the class then binds as a method: keep it a plain function.
    if isinstance(logging.Formatter.converter, types.FunctionType):
        logging.Formatter.converter = staticmethod(logging.Formatter.converter)
