"""pytest plugin: ``--left-out <addon>/tests/<file>::<class>::<test>`` leaves that test
out (reported as deselected), matched exactly on the end of its node id.

scripts/test uses it for Odoo's own tests listed in scripts/lib/core_known_failures.txt.
pytest's ``--deselect`` needs the node id as pytest spells it relative to its rootdir
(``../../../opt/odoo19/odoo/addons/...``), and ``-k`` matches substrings
(``test_merge_method`` would also leave out ``test_merge_method_followers``).
"""


def pytest_addoption(parser):
    parser.addoption(
        "--left-out",
        action="append",
        default=[],
        metavar="ADDON/tests/FILE::CLASS::TEST",
        help="leave this test out (exact match on the end of its node id)",
    )


def _is_left_out(nodeid, left_out):
    return any(nodeid == test_id or nodeid.endswith("/" + test_id) for test_id in left_out)


def pytest_collection_modifyitems(config, items):
    left_out = config.getoption("left_out")
    if not left_out:
        return
    kept, deselected = [], []
    for item in items:
        (deselected if _is_left_out(item.nodeid, left_out) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
