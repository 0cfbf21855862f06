"""The interface is Chinese first: without a language preference the pages speak zh-Hans."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from civgrid.cases import actions
from civgrid.cases.actions import InvalidInput
from civgrid.testing import PASSWORD, photo_upload, report


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_ledger_speaks_chinese_by_default_and_english_on_request(client, world):
    assert client.login(username="office", password=PASSWORD)
    chinese = client.get(reverse("cases:ledger")).content.decode()
    assert "问题整改台账" in chinese
    english = client.get(reverse("cases:ledger"), headers={"accept-language": "en"})
    assert '<html lang="en">' in english.content.decode()
    assert "Report a problem" in english.content.decode()
    assert "Report a problem" not in chinese


def test_workflow_refusals_are_told_in_the_users_language(world):
    case = report(world)
    for language, chinese in [("zh-hans", True), ("en", False)]:
        with translation.override(language), pytest.raises(InvalidInput) as err:
            actions.reject(case, actor=world.office.user, expected_version=case.version, reason="")
        assert has_chinese(err.value.message) is chinese


def test_a_refused_photo_is_explained_in_chinese_to_the_end(world):
    case = report(world)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as err:
        actions.fix_on_spot(
            case,
            actor=world.worker_a.user,
            expected_version=case.version,
            note="已清理",
            photos=[photo_upload("x.png", b"not an image")],
        )
    assert err.value.message == "照片 x.png 未能接收：无法识别为图片。"
    case.refresh_from_db()
    assert case.status == "reported" and case.photos.count() == 0
