"""Certificates and plaques (荣誉证书 / 授牌) of a fixed cycle as a Word document: first the
list of results (名单) as announced, then one certificate page per rated subject. Text goes
through civgrid.bulletins.word, which cleans every run (civgrid.lib.text.clean_for_export)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from civgrid.appraisals.actions import AppraisalError
from civgrid.appraisals.models import Cycle
from civgrid.bulletins import word

MOVEMENT_WORDS = {
    "new": "新评",
    "promoted": "升星",
    "kept": "保持",
    "demoted": "降星",
    "lost": "摘星",
}


def certificates(cycle: Cycle) -> bytes:
    """The document; refused before the results are fixed (nothing to certify yet)."""
    if cycle.status != Cycle.Status.FIXED:
        raise AppraisalError(_("Certificates are printed once the results are fixed."))
    enrolments = list(
        cycle.enrolments.select_related("branch").order_by("-rank", "branch__kind", "branch__code")
    )
    doc = word.new_document()
    word.title(doc, f"{cycle.name}结果名单", f"共{len(enrolments)}个参评对象")
    word.table(
        doc,
        ["序号", "名称", "类型", "总分", "等次", "升降"],
        [
            [
                i,
                e.branch.name if e.branch else "",
                e.branch.get_kind_display() if e.branch else "",
                word.number(e.total),
                e.grade or "—",
                MOVEMENT_WORDS.get(e.movement, "—"),
            ]
            for i, e in enumerate(enrolments, start=1)
        ],
    )
    fixed_on = timezone.localtime(cycle.fixed_at or timezone.now()).date()
    for e in enrolments:
        if not e.rank or e.branch is None:
            continue
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.title(doc, "荣誉证书")
        word.paragraph(doc, f"{e.branch.name}：")
        word.paragraph(
            doc,
            f"在{cycle.year}年度{cycle.scheme.name}中，经支部自评、上级党组织审查、考评验收和公示，"
            f"被评定为“{e.grade}”。特发此证，以资鼓励。",
        )
        signature = doc.add_paragraph()
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.add_run(f"{fixed_on.year}年{fixed_on.month}月{fixed_on.day}日")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
