"""The bank's payment file of a run (代发文件), written through civgrid.lib.xlsx.

Sheet 代发明细 holds one row per account, in the layout banks take for batch transfers: 序号,
户名, 开户银行, 账号 (in full: this file is the only place it is), 金额, 摘要. The amount is the
month plus its adjustments; an enrolment whose adjustments leave nothing or less than nothing
to pay is not sent to the bank but listed on sheet 应追回 (to be recovered) with its account
masked. Sheet 调整明细 shows every adjustment with the month it corrects.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from civgrid.assistance.models import PaymentLine, PaymentRun
from civgrid.lib import xlsx
from civgrid.lib.idnumbers import mask_account

BANK_HEADERS = [
    ("序号", 8),
    ("户名", 14),
    ("开户银行", 20),
    ("账号", 26),
    ("金额", 12),
    ("摘要", 30),
]


def net_by_beneficiary(run: PaymentRun) -> list[tuple[PaymentLine, Decimal]]:
    """(the enrolment's first line, its net amount), in household order."""
    first: dict[int, PaymentLine] = {}
    net: dict[int, Decimal] = defaultdict(Decimal)
    for line in run.lines.select_related("beneficiary__household").order_by(
        "beneficiary__household__code", "id_number", "for_month"
    ):
        first.setdefault(line.beneficiary_id, line)
        net[line.beneficiary_id] += line.amount
    return [(line, net[bid]) for bid, line in first.items()]


def write(run: PaymentRun) -> bytes:
    book = xlsx.new_workbook()
    summary = f"{run.programme.name} {run.month:%Y年%m月}"
    rows = net_by_beneficiary(run)
    pay = [(line, amount) for line, amount in rows if amount > 0]
    ws = xlsx.sheet(
        book, "代发明细", BANK_HEADERS, caption=f"{run.district.name} {summary} 代发清册"
    )
    for index, (line, amount) in enumerate(pay, start=1):
        xlsx.append(ws, [index, line.name, line.bank_name, line.bank_account, amount, summary])
    xlsx.append(ws, ["合计", f"{len(pay)}户", "", "", sum((a for _l, a in pay), Decimal(0)), ""])
    recover = xlsx.sheet(book, "应追回", [("户名", 14), ("账号", 26), ("金额", 12), ("说明", 30)])
    for line, amount in rows:
        if amount < 0:
            xlsx.append(
                recover, [line.name, mask_account(line.bank_account), -amount, "多发待追回"]
            )
    adjust = xlsx.sheet(book, "调整明细", [("户名", 14), ("所属月份", 12), ("金额", 12)])
    for line in run.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT).order_by(
        "id_number", "for_month"
    ):
        xlsx.append(adjust, [line.name, f"{line.for_month:%Y-%m}", line.amount])
    return xlsx.to_bytes(book)
