"""Writes the fixture files of the tests (run it after changing a fixture's rows).

The headers are those of the real exports; each file names its source on its first line.
"""

import csv
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent

AMOCRM_SOURCE = (
    "# source: amoCRM deals export (Сделки -> Экспорт), headers as read by the open-source "
    "importers hromov/jevelina amoimport/leads.go and algoritmics_analytics refresh_db_leads"
)
AMOCRM_HEADERS = [
    "ID", "Название сделки", "Бюджет", "Ответственный", "Дата создания сделки",
    "Кем создана сделка", "Дата редактирования", "Кем редактирована", "Дата закрытия", "Теги",
    "Примечание", "Примечание 2", "Этап сделки", "Воронка", "Полное имя контакта",
    "Компания контакта", "Ответственный за контакт", "Компания", "Рабочий телефон",
    "Мобильный телефон", "Рабочий email", "Личный email", "Город", "Источник", "Должность",
    "utm_source", "utm_medium", "utm_campaign", "Причина отказа",
]  # fmt: skip


def amo(row_id, title, budget, person, created, closed, tags, stage, contact="", company="",
        work="", mobile="", email="", personal="", note="", reason="", utm=""):  # fmt: skip
    return [
        row_id, title, budget, person, created, person, created, person, closed, tags, note, "",
        stage, "Основная воронка", contact, company, person, company, work, mobile, email,
        personal, "Москва", "Сайт" if utm else "", "", utm, "cpc" if utm else "",
        "spring" if utm else "", reason,
    ]  # fmt: skip


AMOCRM_ROWS = [
    amo("31001", "Кресла для офиса", "1 250 000,50", "Ковалёва Анна", "12.01.2024 10:15:00", "",
        "опт, VIP", "Первичный контакт", "Иван Петров", "ООО Ромашка", "8 (912) 345-67-89",
        "+7 (912) 345-67-89, 8 (495) 123-45-67", "ivan@romashka.example", "", "Звонил в январе",
        utm="yandex"),
    amo("31002", "Столы переговорные", "1.250.000", "Смирнов Игорь", "15.01.2024 09:00:00", "",
        "", "Переговоры", "Ольга Сидорова", "ООО Лютик", "+7 495 765-43-21", "",
        "olga@lutik.example", "o.sidorova@mail.example"),
    amo("31003", "Шкафы", "—", "Ковалёва Анна", "01.02.2024 12:00:00", "", "", "Принимают решение",
        "Пётр Иванов", "", "8 (916) 111-22-33 доб. 105"),
    amo("31004", "Стеллажи", "-", "Смирнов Игорь", "05.02.2024 12:00:00", "", "",
        "Согласование договора", "Анна Белова", "ИП Белова", "8 916 222-33-44"),
    amo("31005", "Диваны", "300 000", "Ковалёва Анна", "10.01.2024 08:00:00",
        "20.03.2024 17:30:00", "", "Успешно реализовано", "Сергей Орлов", "ООО Орёл",
        "8 916 333-44-55"),
    amo("31006", "Кресла б/у", "50000", "Смирнов Игорь", "11.01.2024 08:00:00",
        "21.03.2024 10:00:00", "", "Закрыто и не реализовано", "Мария Котова", "",
        "8 916 444-55-66", reason="Дорого"),
    amo("31007", "Заявка с сайта", "", "", "25.03.2024 18:00:00", "", "", "Неразобранное",
        "", "", "8 916 555-66-77"),
    amo("31008", "Тумбы", "12 000", "Неизвестный Менеджер", "25.03.2024 18:00:00", "", "",
        "Переговоры", "Иван Петров", "ООО Ромашка", "8 (912) 345-67-89"),
]  # fmt: skip

BITRIX_SOURCE = (
    "# source: Bitrix24 deal list export (CRM -> Сделки -> Экспорт в CSV), column names from "
    "bitrix/components/bitrix/crm.deal.list/lang/ru/component.php (CRM_COLUMN_*), "
    "e.g. antibaloo/bpm.ucre.ru; phone/e-mail columns from the CRM multifields"
)
BITRIX_HEADERS = [
    "ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Ответственный",
    "Дата создания", "Дата изменения", "Кем создана", "Предполагаемая дата закрытия",
    "Вероятность", "Тип", "Компания", "Контакт", "Рабочий телефон", "Мобильный телефон",
    "Рабочий e-mail", "Источник", "Комментарий",
]  # fmt: skip
BITRIX_ROWS = [
    ["501", "Поставка бумаги", "Новая", "10 000", "RUB", "Анна Ковалёва", "03.04.2024 10:00:00",
     "03.04.2024 10:00:00", "Анна Ковалёва", "30.04.2024", "10", "Продажа", "ООО Бумага",
     "Олег Серов", "+7 (343) 200-10-10", "8 922 100-20-30", "oleg@paper.example", "Звонок",
     "Первый звонок"],
    ["502", "Принтеры", "Подготовка документов", "5 000", "USD", "Игорь Смирнов",
     "04.04.2024 11:00:00", "04.04.2024 11:00:00", "Игорь Смирнов", "", "30", "Продажа",
     "ООО Принт", "Нина Лосева", "+7 343 200-20-20", "", "nina@print.example", "Веб-сайт", ""],
    ["503", "Картриджи", "Cчет на предоплату", "2 000,00", "EUR", "Игорь Смирнов",
     "05.04.2024 11:00:00", "05.04.2024 11:00:00", "Игорь Смирнов", "", "60", "Продажа",
     "ООО Принт", "Нина Лосева", "+7 343 200-20-20", "", "nina@print.example", "", ""],
    ["504", "Бумага А3", "Сделка успешна", "7 500", "RUB", "Анна Ковалёва", "01.03.2024 09:00:00",
     "02.04.2024 09:00:00", "Анна Ковалёва", "02.04.2024", "100", "Продажа", "ООО Бумага",
     "Олег Серов", "+7 (343) 200-10-10", "", "oleg@paper.example", "", ""],
    ["505", "Плоттер", "Сделка провалена", "90 000", "RUB", "Анна Ковалёва",
     "01.03.2024 09:00:00", "05.04.2024 09:00:00", "Анна Ковалёва", "05.04.2024", "0", "Продажа",
     "", "Кирилл Волков", "", "8 922 300-40-50", "", "", ""],
    ["506", "Тонер", "Новая", "1 000", "XYZ", "Анна Ковалёва", "06.04.2024 09:00:00",
     "06.04.2024 09:00:00", "Анна Ковалёва", "", "10", "Продажа", "ООО Тонер", "",
     "+7 343 200-30-30", "", "", "", ""],
]  # fmt: skip

ONEC_SOURCE = (
    "# source: 1C:Управление торговлей / Бухгалтерия, справочник Контрагенты, list form "
    "saved as a table (Наименование, ИНН, КПП as in 1C's standard Контрагенты form)"
)
ONEC_TOP = ["Код", "Наименование", "Полное наименование", "Реквизиты", "",
            "Контактная информация", "", "Основной менеджер"]  # fmt: skip
ONEC_BOTTOM = ["", "", "", "ИНН", "КПП", "Телефон", "Адрес электронной почты", ""]
ONEC_ROWS = [
    ["00-000001", "Ромашка ООО", 'Общество с ограниченной ответственностью "Ромашка"',
     "7701234567", "770101001", "+7 (495) 111-11-11", "info@romashka.example",
     "Ковалёва Анна"],
    ["00-000002", "Лютик АО", 'Акционерное общество "Лютик"', "7702345678", "770201001",
     "8 495 222-22-22; 8 916 000-00-02", "office@lutik.example", "Смирнов Игорь"],
    ["00-000003", "Петров Иван Сергеевич ИП", "ИП Петров Иван Сергеевич", "770312345678", "",
     "8-916-333-33-33", "", ""],
]  # fmt: skip

BITRIX_COMPANIES_SOURCE = (
    "# source: Bitrix24 company list export (CRM -> Компании -> Экспорт), headers as read by "
    "an open-source Bitrix24 CRM-file parser (_parse_crm_file: 'Название компании', "
    "'Реквизит (Россия): ИНН', 'Рабочий e-mail', 'Корпоративный сайт')"
)
BITRIX_COMPANIES_HEADERS = [
    "ID", "Название компании", "Тип компании", "Реквизит (Россия): ИНН",
    "Реквизит (Россия): КПП", "Рабочий телефон", "Мобильный телефон", "Рабочий e-mail",
    "Корпоративный сайт", "Ответственный", "Город",
]  # fmt: skip
BITRIX_COMPANIES_ROWS = [
    ["11", "ООО Север", "Клиент", "7810000001", "781001001", "+7 (812) 300-00-01",
     "8 921 300-00-02", "info@sever.example", "sever.example", "Игорь Смирнов",
     "Санкт-Петербург"],
    ["12", "ООО Юг", "Клиент", "2310000002", "231001001", "8 (861) 200-00-03", "",
     "office@yug.example", "", "Анна Ковалёва", "Краснодар"],
]  # fmt: skip

PLAIN_SOURCE = "# source: a salesperson's own Excel file (no CRM): common Russian headers"
PLAIN_HEADERS = ["Сделка", "Клиент", "Контактное лицо", "Телефон", "Телефон 2", "E-mail",
                 "Статус", "Бюджет, ₽", "Менеджер", "Комментарий"]  # fmt: skip
PLAIN_ROWS = [
    ["Окна на дачу", "", "Виктор Гусев", "8 (912) 700-00-01", "8 (912) 700-00-02",
     "gusev@mail.example", "Квалификация", 120000, "Анна Ковалёва", "перезвонить"],
    ["Двери в офис", "ООО Дверь", "Лиана Ким", "+7 912 700 00 03", "", "", "КП отправлено",
     "85 000,50", "Смирнов Игорь", ""],
    ["Балкон", "", "Егор Лис", "8 912 700-00-04", "", "", "Думает", "10 000", "Анна Ковалёва",
     ""],
]  # fmt: skip


def write_csv(path, encoding, delimiter, lines):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for line in lines:
        writer.writerow(line)
    path.write_bytes(buffer.getvalue().encode(encoding))


def main():
    write_csv(HERE / "amocrm_deals.csv", "cp1251", ";",
              [[AMOCRM_SOURCE], AMOCRM_HEADERS, *AMOCRM_ROWS])  # fmt: skip
    write_csv(HERE / "bitrix24_deals.csv", "utf-8-sig", ";",
              [[BITRIX_SOURCE], BITRIX_HEADERS, *BITRIX_ROWS])  # fmt: skip
    total = ["Итого: 3", "", "", "", "", "", "", ""]
    companies = [[BITRIX_COMPANIES_SOURCE], BITRIX_COMPANIES_HEADERS, *BITRIX_COMPANIES_ROWS]
    write_csv(HERE / "bitrix24_companies.csv", "utf-8-sig", ";", companies)
    lines = [[ONEC_SOURCE], ["Контрагенты"], ONEC_TOP, ONEC_BOTTOM, *ONEC_ROWS, total]
    write_csv(HERE / "onec_clients.csv", "cp1251", ";", lines)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Контрагенты"
    sheet.append([ONEC_SOURCE])
    sheet.append(["Контрагенты"])
    sheet.append(ONEC_TOP)
    sheet.append(ONEC_BOTTOM)
    for column in ("A", "B", "C", "H"):  # named on the top row, merged down
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("D3:E3")
    sheet.merge_cells("F3:G3")
    for row in ONEC_ROWS:
        sheet.append(row)
    sheet.append(total)
    book.save(HERE / "onec_clients.xlsx")

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([PLAIN_SOURCE])
    sheet.append(["Продажи, весна 2024"])
    sheet.append(PLAIN_HEADERS)
    for row in PLAIN_ROWS:
        sheet.append(row)
    sheet.append(["Итого", "", "", "", "", "", "", 215000.5, "", ""])
    book.save(HERE / "plain_excel.xlsx")


if __name__ == "__main__":
    main()
