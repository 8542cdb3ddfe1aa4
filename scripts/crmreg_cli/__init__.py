"""Shared code of the admin command-line tools in ``scripts/`` (import_spreadsheet,
seed_demo, regulation_report, replay_calls): connecting to Odoo over RPC, errors,
progress output, synthetic PBX days; and ``odoo_server``, the one way the end-to-end
tests and the benchmarks start and stop an Odoo server process."""
