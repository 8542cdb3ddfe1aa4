#!/usr/bin/env python3
"""A 50,000-row amoCRM deals export imported by crm_regulation_import, batch by batch.

Builds ``crm_reg_bench_import`` (crm_regulation_import and what it needs, no demo data),
generates the export (amoCRM's headers, cp1251, ``;``; a fifth of the rows name a
contact an earlier row created, so the look-ups find as well as create), imports it the
way the background job does (a batch of 500 rows per transaction) and prints time and
SQL queries per row for the first and the last 5,000 rows: the import must not slow down
as the database fills.

    scripts/bench/bench_import.py [--rows 50000] [--keep]
"""

import argparse
import base64
import csv
import io
import time

from common import bench_db, build_database, configure_odoo, open_database

import odoo

DB = bench_db("crm_reg_bench_import")
HEADERS = ["ID", "Название сделки", "Бюджет", "Ответственный", "Дата создания сделки",
           "Этап сделки", "Воронка", "Полное имя контакта", "Компания контакта",
           "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Теги", "Источник",
           "Примечание"]  # fmt: skip
STAGES = ["Неразобранное", "Первичный контакт", "Переговоры", "Принимают решение",
          "Согласование договора", "Успешно реализовано", "Закрыто и не реализовано"]  # fmt: skip
PEOPLE = [f"Менеджер{n} Бенч" for n in range(10)]
WINDOW = 5000


def export(rows, first_id=700000, contacts_from=0):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for n in range(rows):
        contact = contacts_from + (n - 1 if n % 5 == 4 else n)  # a fifth: an earlier contact
        digits = f"{contact % 1000:03d}-{contact // 1000 % 100:02d}-{contact % 7}1"
        phone = f"8 (9{contact % 100:02d}) {digits}"
        writer.writerow(
            [
                first_id + n, f"Сделка {n}", f"{(n % 97) * 1000 + 500} 000,50",
                f"Бенч Менеджер{n % 10}", f"{1 + n % 28:02d}.0{1 + n % 9}.2024 10:00:00",
                STAGES[n % len(STAGES)], "Основная", f"Клиент {contact}",
                f"ООО Фирма {contact % 3000}", phone, "", f"client{contact}@bench.example",
                "опт, импорт" if n % 3 else "", "Сайт" if n % 2 else "Звонок", "",
            ]
        )  # fmt: skip
    return buffer.getvalue().encode("cp1251")


def prepare(env):
    users = env["res.users"].create(
        [{"name": name, "login": f"bench_{n}"} for n, name in enumerate(PEOPLE)]
    )
    team = env["crm.team"].create(
        {"name": "Bench import", "use_regulation": True, "member_ids": [(6, 0, users.ids)]}
    )
    env.company.country_id = env.ref("base.ru")
    return team


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--keep", action="store_true", help="reuse the bench database")
    args = parser.parse_args()
    configure_odoo()
    if not args.keep:
        build_database(DB, "crm_regulation_import")
    data = export(args.rows)
    registry = open_database(DB)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        job = env["crm.regulation.import.job"].create(
            {"file": base64.b64encode(data), "file_name": "amocrm.csv", "team_id": prepare(env).id}
        )
        job.action_detect()
        cr.commit()
        from odoo.addons.crm_regulation_import.models.import_run import ImportRun

        sheet = job._sheet()
        run = ImportRun(job, dry_run=False)
        samples = []  # (rows, seconds, queries) per batch
        for offset in range(0, len(sheet.rows), 500):
            batch = sheet.rows[offset : offset + 500]
            queries, started = cr.sql_log_count, time.perf_counter()
            run.run_batch(batch)
            env.flush_all()
            cr.commit()
            samples.append((len(batch), time.perf_counter() - started, cr.sql_log_count - queries))
        report(samples, run, args.rows)


def report(samples, run, rows):
    def window(part):
        count = sum(n for n, _s, _q in part)
        seconds = sum(s for _n, s, _q in part)
        queries = sum(q for _n, _s, q in part)
        return count, seconds / count * 1000, queries / count

    per_window = WINDOW // 500
    total = window(samples)
    first, last = window(samples[:per_window]), window(samples[-per_window:])
    print(f"Import of {rows} amoCRM rows, batches of 500 rows, a commit per batch:")
    print(f"  created {run.counts['created']} deals, {run.counts['partners']} contacts;"
          f" rejected {run.counts['rejected']}, skipped {run.counts['skipped']}")  # fmt: skip
    print(f"  all rows:        {total[1]:6.2f} ms/row  {total[2]:5.2f} queries/row"
          f"  ({sum(s for _n, s, _q in samples):.0f} s)")  # fmt: skip
    print(f"  first {first[0]} rows: {first[1]:6.2f} ms/row  {first[2]:5.2f} queries/row")
    print(f"  last {last[0]} rows:  {last[1]:6.2f} ms/row  {last[2]:5.2f} queries/row")
    print(f"  last / first:    {last[1] / first[1]:6.2f}x time  {last[2] / first[2]:5.2f}x queries")


if __name__ == "__main__":
    main()
