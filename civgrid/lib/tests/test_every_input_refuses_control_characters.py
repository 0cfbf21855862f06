"""Every free-text field civgrid defines, in a page's form, an admin form or an API serializer,
refuses an invisible control character: the rule lives in civgrid.lib.text and reaches a
field written tomorrow without anyone remembering. These tests walk every Form and Serializer
class, and the admin's form of every civgrid model."""

import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

import civgrid

HOSTILE = "路灯不亮\x07"
SKIPPED_MODULES = ("tests", "migrations", "testing", "settings", "management", "demo")


def civgrid_modules():
    for info in pkgutil.walk_packages(civgrid.__path__, "civgrid."):
        if any(part in SKIPPED_MODULES for part in info.name.split(".")[1:]) or info.name in (
            "civgrid.testing_browser",
            "civgrid.wsgi",
        ):
            continue
        importlib.import_module(info.name)


def subclasses(base):
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted(
        (c for c in found if c.__module__.startswith("civgrid.")), key=lambda c: c.__qualname__
    )


def free_text_form_fields():
    civgrid_modules()
    for form in subclasses(forms.BaseForm):
        for name, field in form.base_fields.items():
            if type(field) in (forms.CharField,) or (
                isinstance(field, forms.CharField)
                and not isinstance(field, forms.JSONField | forms.UUIDField)
            ):
                yield pytest.param(field, id=f"{form.__module__}.{form.__qualname__}.{name}")


def admin_form_fields():
    """The forms the admin builds for civgrid's models (at request time, from the model)."""
    from django.contrib import admin
    from django.forms import modelform_factory

    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("civgrid."):
            continue
        form = modelform_factory(model, form=model_admin.form, fields="__all__")
        for name, field in form.base_fields.items():
            if isinstance(field, forms.CharField) and not isinstance(
                field, forms.JSONField | forms.UUIDField
            ):
                yield pytest.param(field, id=f"admin.{model._meta.label}.{name}")


def serializer_fields(serializer, prefix):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListField):
            field = field.child
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from serializer_fields(field, f"{prefix}.{name}")
        elif isinstance(field, serializers.CharField) and not isinstance(
            field, serializers.UUIDField
        ):
            yield pytest.param(field, id=f"{prefix}.{name}")


def free_text_serializer_fields():
    civgrid_modules()
    for cls in subclasses(serializers.BaseSerializer):
        if cls.__name__ == "ListSerializer":
            continue
        yield from serializer_fields(cls(), f"{cls.__module__}.{cls.__qualname__}")


def test_the_walk_finds_the_forms_and_serializers_of_every_app():
    form_ids = {p.id.split(".")[1] for p in free_text_form_fields()}
    serializer_ids = {p.id.split(".")[1] for p in free_text_serializer_fields()}
    assert {"cases", "public", "worklogs", "visits", "inspections", "standards"} <= form_ids
    assert {"cases", "worklogs", "visits", "inspections", "standards"} <= serializer_ids


@pytest.mark.parametrize("field", [*free_text_form_fields(), *admin_form_fields()])
def test_every_form_text_field_refuses_a_control_character(field):
    with pytest.raises(ValidationError) as refused:
        field.clean(HOSTILE)
    assert "control_character" in [e.code for e in refused.value.error_list]


@pytest.mark.django_db  # a unique field's check looks in the table
@pytest.mark.parametrize("field", list(free_text_serializer_fields()))
def test_every_serializer_text_field_refuses_a_control_character(field):
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(HOSTILE)
    assert "control_character" in str(refused.value.get_codes())
