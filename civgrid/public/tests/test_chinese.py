"""The public side in its default language: the pages and the stored actor label are Chinese."""

from django.test import Client

from civgrid.public import actions
from civgrid.public.models import Channel


def test_the_public_pages_and_the_record_speak_chinese_by_default(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = c.get("/public/report/").content.decode()
    assert "反映问题" in page and "您的电话（可不填）" in page, page[:500]
    done = actions.submit_report(
        channel=Channel.WEB,
        category=world.category,
        description="x",
        longitude=114.605,
        latitude=33.605,
    )
    assert done.case.events.get().actor_name == "群众（网页）"
    page = c.get(f"/public/r/{done.case.tracking_code}/{done.token}/?new=1").content.decode()
    assert "您的查询码" in page and "已收到，等待创建办受理" in page
